#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/measure.sh: the measures the benchmarks share (sourced: `. bench/measure.sh`).
#   ms CMD...        wall microseconds of CMD, its output to /dev/null
#   ratio A B        A / B to two places (0 when B is 0)
#   ticks PID        CPU clock ticks (user + system) PID has used
#   cpu_pct SECONDS  CPU of $VPID over SECONDS, in % of a core ($HZ ticks a second)
#   kib PID FIELD    a "kB" field of /proc/PID/status (VmHWM, VmRSS), in KiB
ms() {
	local t0 t1
	t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
cpu_pct() {
	local t0 t1
	t0=$(ticks "$VPID"); sleep "$1"; t1=$(ticks "$VPID")
	awk -v d=$((t1 - t0)) -v hz="$HZ" -v s="$1" 'BEGIN { printf "%.2f", d / hz / s * 100 }'
}
kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }
