#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vmas_bench: what a process with many VMAs costs, from 1,000 to
# 1,000,000 one-page VMAs (tests/helpers/manyvmas), so that a regression
# shows as a change of slope:
#
#  1. `vmscope maps PID` against its floor, `cat /proc/PID/smaps` (the
#     kernel's own formatting of what maps prints), and its peers
#     `cat /proc/PID/maps` and `pmap -X PID`: median of alternating
#     rounds, output to /dev/null, and the cost per VMA.  Goal: <= 1.5x
#     the floor.
#  2. The explorer's VMA screen (120x40, 1 s refresh) in a detached tmux
#     session: CPU as a percentage of a core over one period from a full
#     read to the next (at most SECONDS), and per VMA per refresh.  Goal
#     at 100,000: < 1%.
#     Then the page map of one of its VMAs, likewise.
#  3. Peak RSS (VmHWM) of that session against pagemon's (-p PID, its
#     default refresh) on the same target, and pagemon's CPU.  Goal: no
#     more than pagemon.
# Needs root (vm.max_map_count is raised for the run and set back), tmux.
# Peers it cannot find are skipped and named (bench/peers.sh).
# Usage: bench/vmas_bench.sh   (VMSCOPE_BENCH_VMAS="1000 10000 100000
#        1000000", VMSCOPE_BENCH_ROUNDS, VMSCOPE_BENCH_SECONDS)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VMSCOPE=${VMSCOPE:-$BUILD/vmscope}
SIZES=${VMSCOPE_BENCH_VMAS:-1000 10000 100000 1000000}
ROUNDS=${VMSCOPE_BENCH_ROUNDS:-9}
SECS=${VMSCOPE_BENCH_SECONDS:-120}
HZ=$(getconf CLK_TCK)

[ "$(id -u)" = 0 ] || { echo "vmas_bench: needs root"; exit 77; }
command -v tmux >/dev/null || { echo "vmas_bench: needs tmux"; exit 77; }
for f in "$VMSCOPE" "$BUILD/tests/manyvmas"; do
	[ -x "$f" ] || { echo "vmas_bench: $f missing (make bench)"; exit 1; }
done
. bench/peers.sh
. bench/measure.sh
peers_find
PMAP=$(command -v pmap || true)
[ -n "$PMAP" ] || peers_skip "pmap (not installed: procps)"

TMPD=$(mktemp -d)
T="tmux -L vmscope-vbench-$$ -f /dev/null"
HELPER=
OLD_MAX=$(sysctl -n vm.max_map_count)
cleanup() {
	$T kill-server 2>/dev/null
	[ -n "$HELPER" ] && { kill "$HELPER" 2>/dev/null; wait "$HELPER" 2>/dev/null; }
	sysctl -q -w vm.max_map_count="$OLD_MAX" >/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

# many N: start manyvmas with N VMAs; sets HELPER
many() {
	[ -n "$HELPER" ] && { kill "$HELPER" 2>/dev/null; wait "$HELPER" 2>/dev/null; }
	HELPER=
	sysctl -q -w vm.max_map_count=$(($1 + 65536 > OLD_MAX ? $1 + 65536 : OLD_MAX)) >/dev/null
	"$BUILD/tests/manyvmas" "$1" >"$TMPD/helper.out" 2>&1 &
	HELPER=$!
	for _ in $(seq 1 1200); do
		grep -q '^ready' "$TMPD/helper.out" && return 0
		kill -0 "$HELPER" 2>/dev/null || break
		sleep 0.05
	done
	echo "vmas_bench: manyvmas $1 did not start: $(cat "$TMPD/helper.out")"; exit 1
}
# tui NAME CMD...: CMD in a 120x40 session; sets VPID
tui() {
	$T kill-server 2>/dev/null
	sleep 0.2
	T="tmux -L vmscope-vbench-$$-$1 -f /dev/null"
	shift
	$T new-session -d -x 120 -y 40 -e LANG=C.UTF-8 -e TERM=xterm-256color \
		"exec $(printf '%q ' "$@")"
	VPID=$($T list-panes -F '#{pane_pid}' | head -1)
}
waitfor() {
	for _ in $(seq 1 1200); do $T capture-pane -p | grep -qF -- "$1" && return 0; sleep 0.05; done
	echo "vmas_bench: never saw '$1' on screen:"; $T capture-pane -p | head -5; return 1
}
rchar() { sed -n 's/^rchar: //p' "/proc/$1/io"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# period_pct BYTES CAP: CPU % of a core over whole periods of the
# screen's refreshes.  While the process holds still a screen skips its
# reads, but reads everything at least every 5 s, or every 200x that
# read's CPU time (0.3 s at 100,000 VMAs: a minute): a fixed window
# holds one of those full reads or none, and says 1.4% or 0.1% by
# chance.  So: from the end of one full read (the session's rchar grows
# by BYTES, half of smaps, within half a second) to the end of the next;
# a period longer than CAP seconds is cut there.  Prints "PERCENT|HOW".
period_pct() {
	local want=$1 cap=$2 t0 t1 s0 s1 period
	period="cut at ${cap}s"
	full_read() { # waits up to $1 s for a full read to end
		local end=$(( $(now_ms) + $1 * 1000 )) a b
		a=$(rchar "$VPID")
		while [ "$(now_ms)" -lt "$end" ]; do
			sleep 0.5; b=$(rchar "$VPID")
			if [ $((b - a)) -ge "$want" ]; then
				# and wait for its end: no more reading
				while sleep 0.5; a=$b; b=$(rchar "$VPID"); [ $((b - a)) -ge $((want / 8)) ]; do :; done
				return 0
			fi
			a=$b
		done
		return 1
	}
	if ! full_read "$cap"; then
		echo "$(cpu_pct "$cap")|no full read in ${cap}s"; return
	fi
	t0=$(ticks "$VPID"); s0=$(now_ms)
	if full_read "$cap"; then period="one period"; fi
	t1=$(ticks "$VPID"); s1=$(now_ms)
	awk -v d=$((t1 - t0)) -v hz="$HZ" -v ms=$((s1 - s0)) -v p="$period" \
		'BEGIN { printf "%.2f|%s, %.0f s", (ms > 0 ? d / hz / (ms / 1000) * 100 : 0), p, ms / 1000 }'
}
# ms CMD...: wall milliseconds of CMD, output to /dev/null
# cpu CMD...: CPU milliseconds (user + system) of CMD, output to
# /dev/null: steadier than wall time on a busy machine
cpu() {
	local TIMEFORMAT='%3U %3S' t
	t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
	awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%d\n", (a[1] + a[2]) * 1000000 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", (NR ? a[int((NR + 1) / 2)] : 0) / 1000 }'; }
per() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.2f", t * 1000 / n }'; }

echo "vmas_bench: many VMAs ($(uname -r), HZ=$HZ, $ROUNDS rounds, ${SECS}s of screen)"
printf '%s' "$PEERS_SKIPPED"
ROWS=()
for n in $SIZES; do
	many "$n"
	pid=$HELPER
	rounds=$ROUNDS
	[ "$n" -ge 1000000 ] && rounds=$(( ROUNDS < 3 ? ROUNDS : 3 ))
	: >"$TMPD/v"; : >"$TMPD/f"; : >"$TMPD/m"; : >"$TMPD/p"
	: >"$TMPD/vc"; : >"$TMPD/fc"
	for _ in $(seq 1 "$rounds"); do
		ms "$VMSCOPE" maps "$pid" >>"$TMPD/v"
		ms cat "/proc/$pid/smaps" >>"$TMPD/f"
		cpu "$VMSCOPE" maps "$pid" >>"$TMPD/vc"
		cpu cat "/proc/$pid/smaps" >>"$TMPD/fc"
		ms cat "/proc/$pid/maps" >>"$TMPD/m"
		[ -n "$PMAP" ] && ms "$PMAP" -X "$pid" >>"$TMPD/p"
	done
	v=$(median <"$TMPD/v"); f=$(median <"$TMPD/f")
	m=$(median <"$TMPD/m"); p=$(median <"$TMPD/p")
	vc=$(median <"$TMPD/vc"); fc=$(median <"$TMPD/fc")
	ROWS+=("$(printf '  %-10s %9s %10s %10s %7sx %9s %10s' "maps" "$n" \
		"$v ms" "$f ms" "$(ratio "$v" "$f")" "$m ms" \
		"${PMAP:+$p ms}")")
	ROWS+=("$(printf '  %-10s %9s %10s %10s %8s %9s %10s' "  per VMA" "" \
		"$(per "$v" "$n") us" "$(per "$f" "$n") us" "" "$(per "$m" "$n") us" \
		"${PMAP:+$(per "$p" "$n") us}")")
	ROWS+=("$(printf '  %-10s %9s %10s %10s %7sx' "  CPU" "" \
		"$vc ms" "$fc ms" "$(ratio "$vc" "$fc")")")

	tui "v$n" "$VMSCOPE" -p "$pid" --delay 1
	waitfor "START-END" || exit 1
	# the first refreshes read everything (0.3 s of CPU per 100,000
	# VMAs): measure after them
	sleep $((3 + n / 100000))
	half=$(( $(wc -c <"/proc/$pid/smaps") / 2 ))
	res=$(period_pct "$half" "$SECS"); cpu=${res%%|*}; vperiod=${res#*|}
	# the page map of one of the VMAs, the same way
	for _ in $(seq 1 10); do $T send-keys Down; done
	$T send-keys Enter
	waitfor "| table |" || waitfor "pg/cell" || exit 1
	$T capture-pane -p | head -1 | grep -qF "| table |" && $T send-keys m
	waitfor "pg/cell" || exit 1
	sleep $((3 + n / 100000))
	res=$(period_pct "$half" "$SECS"); mapcpu=${res%%|*}; mperiod=${res#*|}
	hwm=$(kib "$VPID" VmHWM)
	$T send-keys q; sleep 0.3
	pm_cpu=-; pm_hwm=-
	if [ -n "$PAGEMON" ]; then
		tui "p$n" "$PAGEMON" -p "$pid"
		sleep 3
		pm_cpu=$(cpu_pct 20)   # it reads everything every refresh
		pm_hwm=$(kib "$VPID" VmHWM)
		$T send-keys q; sleep 0.3
	fi
	ROWS+=("$(printf '  %-10s %9s %9s%% %10s %8s %9s' "VMA screen" "$n" "$cpu" \
		"-" "" "${PAGEMON:+pagemon $pm_cpu%}")  ($vperiod)")
	ROWS+=("$(printf '  %-10s %9s %10s %10s %8s' "  per VMA" "" \
		"$(awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.3f us", c * 10000 / n }')" "" "")")
	ROWS+=("$(printf '  %-10s %9s %9s%% %10s %8s %9s' "page map" "$n" "$mapcpu" \
		"-" "" "${PAGEMON:+pagemon $pm_cpu%}")  ($mperiod)")
	ROWS+=("$(printf '  %-10s %9s %6s KiB %10s %7sx %9s' "peak RSS" "$n" "$hwm" \
		"-" "$(ratio "$hwm" "$pm_hwm")" "${PAGEMON:+pagemon $pm_hwm KiB}")")
	ROWS+=("$(printf '  %-10s %9s %10s' "  per VMA" "" \
		"$(awk -v k="$hwm" -v n="$n" 'BEGIN { printf "%.0f B", k * 1024 / n }')")")
done
printf '\n  %-10s %9s %10s %10s %8s %9s %10s\n' "case" "VMAs" "vmscope" \
	"floor" "x floor" "cat maps" "pmap -X"
printf '  %-10s %9s %10s %10s %8s %9s %10s\n' "" "" "" "(smaps)" "" "" ""
printf '%s\n' "${ROWS[@]}"
echo "  (maps: median wall time, and CPU time (user + system) below it;"
echo "   VMA screen, page map: CPU % of a core, 120x40 at a 1 s refresh, over one"
echo "   period from a full read to the next, or over VMSCOPE_BENCH_SECONDS when"
echo "   that is shorter (cut); per VMA: CPU time per refresh; peak RSS x floor"
echo "   column: vmscope / pagemon)"
echo "  goals at 100,000 VMAs: maps <= 1.5x floor, VMA screen < 1%, peak RSS <= pagemon"
