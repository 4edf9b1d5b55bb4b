#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/phys_bench.sh [HELPERS] [MIB] [ROUNDS]: start HELPERS helper
# processes that each touch MIB MiB (default 16 x 64 MiB = 1 GiB present),
# then time the reverse lookup of 'vmscope phys' against just reading every
# process's present pagemap ranges (bench/phys_bench.c).  Needs root and
# Linux 6.7+ (PAGEMAP_SCAN).  Prints the figures; asserts nothing.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
n=${1:-16} mib=${2:-64} rounds=${3:-9}
make -s "$BUILD/bench/phys_bench" "$BUILD/tests/vmhelper" || exit 1
[ "$(id -u)" = 0 ] || { echo "phys_bench: needs root"; exit 77; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT
for i in $(seq 1 "$n"); do
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	"$BUILD/tests/vmhelper" --big "$mib" --comm "benchhelper$i" >"$fifo" &
	pids+=($!)
	grep -q -m1 '^ready' "$fifo"
	rm -f "$fifo"
done
echo "phys_bench: $n helpers x $mib MiB touched, $(ls /proc | grep -c '^[0-9]') processes, $(nproc) CPUs, $(uname -r)"
"$BUILD/bench/phys_bench" "$rounds"
