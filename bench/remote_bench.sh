#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# remote_bench: what `vmscope --remote` costs, on the live explorer in a
# detached tmux session (120x40, 1 s refresh), the agent run here
# (build/vmscope-collect --serve) as the board:
#
#  1. bytes moved per refresh (client counters, VMSCOPE_STATS: both
#     directions, frames included; the median of the steady refreshes)
#     on a process with 1 GiB touched (uihelper --touch 1024): the page
#     map at 1 page per cell and zoomed to fit the GiB, the page table,
#     the VMA screen; beside the floor: the bytes of the files one
#     refresh must read (the visible pages' pagemap and kpage* entries;
#     at fit, every page's pagemap entry and each present page's
#     kpageflags, as the map reads without PAGEMAP_SCAN; the VMA
#     screen's smaps and status);
#  2. CPU per refresh of vmscope and of the agent (/proc/PID/schedstat's
#     run time over VMSCOPE_BENCH_SECONDS at one refresh a second),
#     beside vmscope's own CPU per refresh on the local root;
#  3. time from starting vmscope -p PID to its page screen on the GiB,
#     with 0 ms and 100 ms of round-trip time (tests/helpers/delaypipe 50
#     each way), beside the local root; round trips counted.
# Needs root (PFNs, kpage*) and tmux; exits 77 when it cannot run here.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VMSCOPE=${VMSCOPE:-$BUILD/vmscope}
COLLECT=$BUILD/vmscope-collect
DELAY=$BUILD/tests/delaypipe
SECS=${VMSCOPE_BENCH_SECONDS:-10}
HZ=$(getconf CLK_TCK)

[ "$(id -u)" = 0 ] || { echo "remote_bench: needs root"; exit 77; }
command -v tmux >/dev/null || { echo "remote_bench: needs tmux"; exit 77; }
for f in "$VMSCOPE" "$COLLECT" "$DELAY" "$BUILD/tests/uihelper"; do
	[ -x "$f" ] || { echo "remote_bench: $f missing (make test-bin bench)"; exit 1; }
done

TMPD=$(mktemp -d)
T="tmux -L vmscope-rbench-$$ -f /dev/null"
HELPER=
cleanup() {
	$T kill-server 2>/dev/null
	[ -n "$HELPER" ] && { kill "$HELPER" 2>/dev/null; wait "$HELPER" 2>/dev/null; }
	rm -rf "$TMPD"
}
trap cleanup EXIT

"$BUILD/tests/uihelper" --touch 1024 >"$TMPD/helper.out" 2>&1 &
HELPER=$!
for _ in $(seq 1 600); do grep -q '^ready' "$TMPD/helper.out" && break; sleep 0.05; done
addr=$(sed -n 's/^touch=0x//p' "$TMPD/helper.out" | head -1)
[ -n "$addr" ] || { echo "remote_bench: uihelper did not start"; exit 1; }

# agent MS: the --remote command, the agent's pid into $TMPD/agent.pid
agent() {
	local inner="sh -c 'echo \$\$ >$TMPD/agent.pid; exec $COLLECT --serve'"
	if [ "$1" = 0 ]; then echo "$inner"; else echo "$DELAY $1 $inner"; fi
}
ui() {
	$T kill-server 2>/dev/null
	sleep 0.2
	T="tmux -L vmscope-rbench-$$-$RANDOM -f /dev/null"
	rm -f "$TMPD/stats" "$TMPD/agent.pid"
	$T new-session -d -x 120 -y 40 -e LANG=C.UTF-8 -e TERM=xterm-256color \
		-e VMSCOPE_STATS="$TMPD/stats" "exec $(printf '%q ' "$VMSCOPE" "$@")"
	VPID=$($T list-panes -F '#{pane_pid}' | head -1)
}
screen() { $T capture-pane -p; }
waitfor() {
	for _ in $(seq 1 ${2:-400}); do screen | grep -qF -- "$1" && return 0; sleep 0.05; done
	echo "remote_bench: never saw '$1' on screen:"; screen | head -5; return 1
}
cmd() { $T send-keys : ; $T send-keys -l "$1"; $T send-keys Enter; }
# CPU time in ns (schedstat: finer than utime+stime's clock ticks)
ticks() { [ -r "/proc/$1/schedstat" ] && awk '{ print $1 }' "/proc/$1/schedstat" || echo 0; }
quit() { $T send-keys q; sleep 0.3; $T send-keys q; for _ in $(seq 1 100); do [ -s "$TMPD/stats" ] && break; sleep 0.05; done; }
# median of the comma-separated list $1, from its item $2 on
median() { tr ',' '\n' <<<"$1" | tail -n +"$2" | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }
human() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.2f MiB", b / 1048576; else if (b >= 1024) printf "%.1f KiB", b / 1024; else printf "%d B", b }'; }

# steady VIEW REMOTE: open the view (vmas, table, map, fit), let it
# settle, then count SECS of refreshes.  Sets BYTES (median per refresh,
# both ways), CPU_UI and CPU_AGENT (ms per refresh), NREF.
steady() {
	local view=$1 remote=$2 t0 a0 t1 a1 n s apid
	if [ "$remote" = 1 ]; then ui -p "$HELPER" --delay 1 --remote "$(agent 0)"
	else ui -p "$HELPER" --delay 1; fi
	waitfor "START-END" || return 1
	if [ "$view" != vmas ]; then
		cmd "goto $addr"
		waitfor "$addr " || return 1
		if [ "$view" = table ]; then want="| table |"; else want="pg/cell"; fi
		for _ in $(seq 1 80); do
			screen | head -1 | grep -qF -- "$want" && break
			screen | head -1 | grep -qE -- "\| table \||pg/cell" && $T send-keys m
			sleep 0.5
		done
		waitfor "$want" || return 1
		[ "$view" = fit ] && $T send-keys z && sleep 1
	fi
	sleep 8   # the first refreshes of a screen, and RC_KEEP's ageing
	apid=$(cat "$TMPD/agent.pid" 2>/dev/null)
	t0=$(ticks "$VPID"); a0=$(ticks "${apid:-0}")
	sleep "$SECS"
	t1=$(ticks "$VPID"); a1=$(ticks "${apid:-0}")
	ZOOM=$(screen | head -1 | sed -n 's/.*map \([0-9]*\) pg\/cell.*/\1/p')
	quit
	NREF=$SECS
	if [ "$remote" = 1 ]; then
		s=$(cat "$TMPD/stats")
		n=$(sed -n 's/^remote_tick_bytes_in=//p' <<<"$s" | tr ',' '\n' | wc -l)
		local from=$((n - SECS + 1)); [ "$from" -lt 1 ] && from=1
		BYTES=$(( $(median "$(sed -n 's/^remote_tick_bytes_in=//p' <<<"$s")" "$from") + \
			  $(median "$(sed -n 's/^remote_tick_bytes_out=//p' <<<"$s")" "$from") ))
		RT=$(median "$(sed -n 's/^remote_tick_roundtrips=//p' <<<"$s")" "$from")
	fi
	CPU_UI=$(awk -v d=$((t1 - t0)) -v n="$NREF" 'BEGIN { printf "%.2f", d / 1e6 / n }')
	CPU_AGENT=$(awk -v d=$((a1 - a0)) -v n="$NREF" 'BEGIN { printf "%.2f", d / 1e6 / n }')
}

# the floors: what one refresh must read, from the helper's files
pid=$HELPER
smaps=$(wc -c <"/proc/$pid/smaps"); status=$(wc -c <"/proc/$pid/status")
ps=$(getconf PAGESIZE)

echo "remote_bench: vmscope --remote, the agent here as the board ($(uname -r), HZ=$HZ, ${SECS}s per measure)"
declare -A B C A R Z
for v in map fit table vmas; do
	steady "$v" 1 || exit 1
	B[$v]=$BYTES; C[$v]=$CPU_UI; A[$v]=$CPU_AGENT; R[$v]=$RT; Z[$v]=${ZOOM:-}
	steady "$v" 0 || exit 1
	C[local-$v]=$CPU_UI
done

# the page map's cells at 120x40: the body rows times the cells a row holds
cells=$(( (40 - 6) * (120 - 20) ))
floor_map=$(( cells * 8 + cells * 24 ))
pages=$(( 1024 * 1048576 / ps ))
floor_fit=$(( pages * 8 + pages * 8 ))
floor_table=$(( 34 * (8 + 24) ))
floor_vmas=$(( smaps + status ))

# time to the page screen: vmscope -p PID, then goto the GiB
open_time() {
	local start end
	start=$(date +%s.%N)
	if [ "$1" = local ]; then ui -p "$HELPER" --delay 1
	else ui -p "$HELPER" --delay 1 --remote "$(agent "$1")"; fi
	cmd "goto $addr"
	waitfor "ADDRESS      STATE" 1200 >/dev/null || waitfor "pg/cell" 10 || return 1
	end=$(date +%s.%N)
	OPEN=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
	quit
	ORT=$(sed -n 's/.*remote_roundtrips=\([0-9]*\).*/\1/p' "$TMPD/stats")
}
open_time local || exit 1; o_local=$OPEN
open_time 0 || exit 1; o_0=$OPEN; rt_0=$ORT
open_time 50 || exit 1; o_100=$OPEN; rt_100=$ORT

printf '\n  %-52s %12s %12s %6s\n' "bytes moved per refresh (1 GiB touched, 120x40)" "vmscope" "floor" "RTs"
printf '  %-52s %12s %12s %6s\n' "page map, 1 page/cell" "$(human "${B[map]}")" "$(human $floor_map)" "${R[map]}"
printf '  %-52s %12s %12s %6s\n' "page map, fit (${Z[fit]:-?} pages/cell)" "$(human "${B[fit]}")" "$(human $floor_fit)" "${R[fit]}"
printf '  %-52s %12s %12s %6s\n' "page table" "$(human "${B[table]}")" "$(human $floor_table)" "${R[table]}"
printf '  %-52s %12s %12s %6s\n' "VMA screen" "$(human "${B[vmas]}")" "$(human $floor_vmas)" "${R[vmas]}"
printf '\n  %-52s %10s %10s %10s\n' "CPU per refresh (ms)" "vmscope" "agent" "local"
for v in map fit table vmas; do
	printf '  %-52s %10s %10s %10s\n' "$v" "${C[$v]}" "${A[$v]}" "${C[local-$v]}"
done
printf '\n  %-52s %10s %10s\n' "vmscope -p PID to its page screen on the GiB" "seconds" "RTs"
printf '  %-52s %10s %10s\n' "local root (the floor)" "$o_local" "-"
printf '  %-52s %10s %10s\n' "--remote, 0 ms round trip" "$o_0" "$rt_0"
printf '  %-52s %10s %10s\n' "--remote, 100 ms round trip (delaypipe 50)" "$o_100" "$rt_100"
