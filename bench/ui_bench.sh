#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ui_bench: what the interactive explorer costs, measured on the live
# program in a detached tmux session (make bench builds what it needs).
#
#  1. CPU of the live page map (120x40, 1 s refresh) on a process with
#     1 GiB touched, over SECONDS (default 30): at 1 page per cell and
#     zoomed to fit the whole GiB; utime+stime from /proc/PID/stat.
#  2. Peak RSS (VmHWM) with a 64 GiB VSZ process open on its largest VMA,
#     paged through in the table and the map, zoomed in and out.
#  3. One process-list refresh with ~2,000 processes against a bare
#     libproc2 reap of the same items (bench/procs_bench --bare-only).
# Needs root (PFNs, kpage*), tmux.  Prints one table; exits 77 when it
# cannot run here.
# Usage: bench/ui_bench.sh   (VMSCOPE_BENCH_SECONDS, VMSCOPE_BENCH_PROCS)
set -u
cd "$(dirname "$0")/.."
. bench/measure.sh
BUILD=${BUILD:-build}
VMSCOPE=${VMSCOPE:-$BUILD/vmscope}
SECONDS_CPU=${VMSCOPE_BENCH_SECONDS:-30}
NPROCS=${VMSCOPE_BENCH_PROCS:-2000}
HZ=$(getconf CLK_TCK)

[ "$(id -u)" = 0 ] || { echo "ui_bench: needs root"; exit 77; }
command -v tmux >/dev/null || { echo "ui_bench: needs tmux"; exit 77; }
for f in "$VMSCOPE" "$BUILD/tests/uihelper" "$BUILD/bench/procs_bench"; do
	[ -x "$f" ] || { echo "ui_bench: $f missing (make bench)"; exit 1; }
done

TMPD=$(mktemp -d)
T="tmux -L vmscope-bench-$$ -f /dev/null"
HELPER=
cleanup() {
	$T kill-server 2>/dev/null
	[ -n "$HELPER" ] && { kill "$HELPER" 2>/dev/null; wait "$HELPER" 2>/dev/null; }
	rm -rf "$TMPD"
}
trap cleanup EXIT

# helper ARGS...: start uihelper, wait for "ready"; sets HELPER
helper() {
	[ -n "$HELPER" ] && { kill "$HELPER" 2>/dev/null; wait "$HELPER" 2>/dev/null; }
	"$BUILD/tests/uihelper" "$@" >"$TMPD/helper.out" 2>&1 &
	HELPER=$!
	for _ in $(seq 1 600); do
		grep -q '^ready' "$TMPD/helper.out" && return 0
		sleep 0.05
	done
	echo "ui_bench: helper did not start: $(cat "$TMPD/helper.out")"; exit 1
}
hval() { sed -n "s/^$1=//p" "$TMPD/helper.out" | head -1; }
# the UI in a 120x40 session; VPID is vmscope's pid
ui() {
	$T kill-server 2>/dev/null
	sleep 0.2
	T="tmux -L vmscope-bench-$$-$RANDOM -f /dev/null"
	$T new-session -d -x 120 -y 40 -e LANG=C.UTF-8 -e TERM=xterm-256color \
		-e VMSCOPE_STATS="$TMPD/stats" \
		"exec $(printf '%q ' "$VMSCOPE" "$@")"
	VPID=$($T list-panes -F '#{pane_pid}' | head -1)
}
screen() { $T capture-pane -p; }
waitfor() {
	for _ in $(seq 1 200); do screen | grep -qF -- "$1" && return 0; sleep 0.05; done
	echo "ui_bench: never saw '$1' on screen:"; screen | head -5; return 1
}
cmd() { $T send-keys : ; $T send-keys -l "$1"; $T send-keys Enter; }

echo "ui_bench: vmscope's interactive screens, live ($(uname -r), HZ=$HZ)"

# 1. CPU of the live page map on 1 GiB touched
helper --touch 1024
addr=$(printf '%x' "$(hval touch)")
ui -p "$HELPER" --delay 1
waitfor "START-END" || exit 1
cmd "goto $addr"
waitfor "$addr " || exit 1
screen | head -1 | grep -qF "| table |" && $T send-keys m
waitfor "map 1 pg/cell" || exit 1
sleep 2
map1=$(cpu_pct "$SECONDS_CPU")
$T send-keys z
for _ in $(seq 1 100); do screen | head -1 | grep -qF "map 1 pg/cell" || break; sleep 0.05; done
zoom=$(screen | head -1 | sed -n 's/.*map \([0-9]*\) pg\/cell.*/\1/p')
sleep 2
mapfit=$(cpu_pct "$SECONDS_CPU")
rss_map=$(kib "$VPID" VmHWM)
$T send-keys q
sleep 0.5

# 2. Peak RSS, 64 GiB VSZ, its largest VMA
helper --bigvma 64
addr=$(printf '%x' "$(hval bigvma)")
vsz=$(kib "$HELPER" VmSize)
ui -p "$HELPER" --delay 1
waitfor "START-END" || exit 1
cmd "goto $addr"
waitfor "$addr " || exit 1
start=$(date +%s.%N)
for _ in $(seq 1 30); do $T send-keys NPage; done
$T send-keys End; sleep 0.3; $T send-keys Home; sleep 0.3
screen | head -1 | grep -qF "| table |" && $T send-keys m
waitfor "pg/cell" || exit 1
for _ in $(seq 1 30); do $T send-keys NPage; done
$T send-keys z
sleep 1.5
for _ in $(seq 1 6); do $T send-keys +; sleep 0.3; done
for _ in $(seq 1 12); do $T send-keys -; sleep 0.3; done
$T send-keys End; sleep 0.5; $T send-keys Home
sleep 2.5
hwm64=$(kib "$VPID" VmHWM)
$T send-keys q
sleep 0.5

# 3. Process list refresh with ~NPROCS processes
helper --children "$NPROCS"
bare=$("$BUILD/bench/procs_bench" --bare-only 0 9)
bare_ms=$(sed -n 's/.*bare_cpu_ms=\([0-9.]*\).*/\1/p' <<<"$bare")
nproc_seen=$(sed -n 's/.*processes=\([0-9]*\).*/\1/p' <<<"$bare")
rm -f "$TMPD/stats"
ui --delay 0.5
waitfor "processes:" || exit 1
sleep 2
secs=20
t0=$(ticks "$VPID"); w0=$(date +%s.%N)
sleep "$secs"
t1=$(ticks "$VPID"); w1=$(date +%s.%N)
$T send-keys q
sleep 0.5
refreshes=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%d", (b - a) / 0.5 }')
ui_ms=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$refreshes" 'BEGIN { printf "%.2f", d / hz * 1000 / n }')
ratio=$(awk -v u="$ui_ms" -v b="$bare_ms" 'BEGIN { printf "%.2f", (b > 0 ? u / b : 0) }')
stats=$(cat "$TMPD/stats" 2>/dev/null)

printf '\n  %-58s %10s %10s\n' "measure" "value" "goal"
printf '  %-58s %9s%% %10s\n' "page map 120x40, 1 GiB touched, 1 page/cell, ${SECONDS_CPU}s" "$map1" "< 0.5%"
printf '  %-58s %9s%% %10s\n' "page map 120x40, 1 GiB touched, fit ($zoom pages/cell), ${SECONDS_CPU}s" "$mapfit" "< 0.5%"
printf '  %-58s %7s KiB %10s\n' "peak RSS (VmHWM), 1 GiB map session" "$rss_map" ""
printf '  %-58s %7s KiB %10s\n' "peak RSS (VmHWM), $((vsz / 1048576)) GiB VSZ, largest VMA, table+map+zoom" "$hwm64" "< 16384"
printf '  %-58s %7s ms %10s\n' "bare libproc2 reap, $nproc_seen processes (CPU)" "$bare_ms" ""
printf '  %-58s %7s ms %10s\n' "vmscope process list refresh incl. drawing (CPU)" "$ui_ms" ""
printf '  %-58s %9sx %10s\n' "refresh / bare reap" "$ratio" "< 1.5x"
printf '  (%d refreshes over %ss; vmscope counted %s)\n' "$refreshes" "$secs" "${stats:-?}"
