#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pages_scale: `vmscope pages PID START-END` over a touched anonymous
# VMA of 64 MiB to 16 GiB (tests/helpers/uihelper --touch), against the
# kernel's page-types on the same range (-p PID -a RANGE -l, built by
# bench/peers.sh), output to /dev/null: median time and cost per MiB, so
# that a regression shows as a change of slope.  Sizes of 4 GiB and more
# are timed once (VMSCOPE_BENCH_ROUNDS rounds below).
# Needs root (PFNs and kpage*); the memory of the largest size.
# Usage: bench/pages_scale.sh  (VMSCOPE_BENCH_MIB="64 256 1024 4096 16384")
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VMSCOPE=${VMSCOPE:-$BUILD/vmscope}
SIZES=${VMSCOPE_BENCH_MIB:-64 256 1024 4096 16384}
ROUNDS=${VMSCOPE_BENCH_ROUNDS:-9}

[ "$(id -u)" = 0 ] || { echo "pages_scale: needs root"; exit 77; }
for f in "$VMSCOPE" "$BUILD/tests/uihelper"; do
	[ -x "$f" ] || { echo "pages_scale: $f missing (make bench)"; exit 1; }
done
. bench/peers.sh
. bench/measure.sh
peers_find
TMPD=$(mktemp -d)
HELPER=
cleanup() {
	[ -n "$HELPER" ] && { kill "$HELPER" 2>/dev/null; wait "$HELPER" 2>/dev/null; }
	rm -rf "$TMPD"
}
trap cleanup EXIT

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", (NR ? a[int((NR + 1) / 2)] : 0) / 1000 }'; }
per() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.3f", t / n }'; }

echo "pages_scale: vmscope pages over a touched VMA ($(uname -r), $ROUNDS rounds)"
printf '%s' "$PEERS_SKIPPED"
printf '\n  %8s %12s %12s %12s %12s %8s\n' "MiB" "vmscope" "per MiB" \
	"page-types" "per MiB" "ratio"
for mib in $SIZES; do
	if [ "$mib" -gt $((avail * 3 / 4)) ]; then
		printf '  %8s skipped: %s MiB available\n' "$mib" "$avail"
		continue
	fi
	[ -n "$HELPER" ] && { kill "$HELPER"; wait "$HELPER" 2>/dev/null; }
	"$BUILD/tests/uihelper" --touch "$mib" >"$TMPD/h" 2>&1 &
	HELPER=$!
	for _ in $(seq 1 6000); do grep -q '^ready' "$TMPD/h" && break; sleep 0.05; done
	a=$(sed -n 's/^touch=0x//p' "$TMPD/h")
	len=$(sed -n 's/^touch_len=//p' "$TMPD/h")
	[ -n "$a" ] || { echo "pages_scale: helper did not start"; exit 1; }
	range=$(printf '%x-%x' $((16#$a)) $((16#$a + len)))
	ps=$(getconf PAGESIZE)
	ptrange=$(printf '0x%x,0x%x' $((16#$a / ps)) $(((16#$a + len) / ps)))
	rounds=$ROUNDS
	[ "$mib" -ge 4096 ] && rounds=1
	: >"$TMPD/v"; : >"$TMPD/p"
	for _ in $(seq 1 "$rounds"); do
		ms "$VMSCOPE" pages "$HELPER" "$range" >>"$TMPD/v"
		[ -n "$PAGE_TYPES" ] &&
			ms "$PAGE_TYPES" -p "$HELPER" -a "$ptrange" -l >>"$TMPD/p"
	done
	v=$(median <"$TMPD/v"); p=$(median <"$TMPD/p")
	printf '  %8s %9s ms %9s ms %9s ms %9s ms %7sx\n' "$mib" "$v" \
		"$(per "$v" "$mib")" "${PAGE_TYPES:+$p}" \
		"${PAGE_TYPES:+$(per "$p" "$mib")}" \
		"$( [ -n "$PAGE_TYPES" ] && ratio "$v" "$p")"
done
echo "  (per MiB: milliseconds of wall time per MiB of the range; ratio:"
echo "   vmscope / page-types)"
