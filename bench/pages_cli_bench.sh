#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# pages_cli_bench: what a user runs, `vmscope pages PID START-END` (text
# and --json), against its floor, bench/pages_floor.c (a minimal program
# that prints the same fields and the same JSON: one pread of pagemap,
# sorted batched preads of the kpage files, one printf a page into a
# large stdio buffer), and the kernel's page-types (-p PID -a RANGE -l)
# where bench/peers.sh built it.  Output to /dev/null; the median of
# VMSCOPE_BENCH_ROUNDS (default 9) alternating rounds.
#   1 GiB touched anonymous memory, text and --json
#   4 GiB, every 10th page touched, text and --json
#   64 GiB VMA with 100 MiB touched (1 MiB blocks spread over it)
# then the cost per MiB of a touched VMA from 64 MiB to 16 GiB
# (VMSCOPE_BENCH_MIB; 4 GiB 3 rounds, 16 GiB one; a size that needs
# more than 3/4 of the available memory is skipped), so that a
# regression shows as a change of slope.  Needs root (PFNs, kpage*).
set -u
cd "$(dirname "$0")/.."
. bench/measure.sh
BUILD=${BUILD:-build}
VMSCOPE=${VMSCOPE:-$BUILD/vmscope}
FLOOR=$BUILD/bench/pages_floor
TARGET=$BUILD/bench/pages_target
ROUNDS=${VMSCOPE_BENCH_ROUNDS:-9}
SIZES=${VMSCOPE_BENCH_MIB:-64 256 1024 4096 16384}

[ "$(id -u)" = 0 ] || { echo "pages_cli_bench: needs root"; exit 77; }
for f in "$VMSCOPE" "$FLOOR" "$TARGET"; do
	[ -x "$f" ] || { echo "pages_cli_bench: $f missing (make bench)"; exit 1; }
done
PAGE_TYPES=${VMSCOPE_PAGE_TYPES:-}
if [ -z "$PAGE_TYPES" ] && [ -f bench/peers.sh ]; then
	. bench/peers.sh
	peers_find >/dev/null 2>&1
	printf '%s' "$PEERS_SKIPPED"
fi
[ -z "$PAGE_TYPES" ] && [ -x "$BUILD/peers/page-types/page-types" ] &&
	PAGE_TYPES=$BUILD/peers/page-types/page-types
[ -n "$PAGE_TYPES" ] || echo "  peer skipped: page-types (make bench-deps; bench/peers.sh builds it)"

TMPD=$(mktemp -d)
HOLD=
cleanup() {
	[ -n "$HOLD" ] && { kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null; }
	rm -rf "$TMPD"
}
trap cleanup EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.0f", (NR ? a[int((NR + 1) / 2)] : 0) / 1000 }'; }
per() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.3f", t / n }'; }

# target SIZE_MIB STEP [TOUCH_MIB]: PID, RANGE and PTRANGE of a new target
target() {
	local a len ps
	[ -n "$HOLD" ] && { kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null; }
	rm -f "$TMPD/fifo" && mkfifo "$TMPD/fifo"
	"$TARGET" "$@" <"$TMPD/fifo" >"$TMPD/t" &
	PID=$!
	exec 9>"$TMPD/fifo"   # the target lives while fd 9 is open
	HOLD=$PID
	for _ in $(seq 1 6000); do grep -q '^addr=' "$TMPD/t" && break; sleep 0.05; done
	a=$(sed -n 's/^addr=0x\([0-9a-f]*\) .*/\1/p' "$TMPD/t")
	len=$(sed -n 's/.* len=//p' "$TMPD/t")
	[ -n "$a" ] || { echo "pages_cli_bench: target did not start"; exit 1; }
	ps=$(getconf PAGESIZE)
	RANGE=$(printf '%x-%x' $((16#$a)) $((16#$a + len)))
	PTRANGE=$(printf '0x%x,0x%x' $((16#$a / ps)) $(((16#$a + len) / ps)))
}
stop_target() { exec 9>&-; wait "$HOLD" 2>/dev/null; HOLD=; }

# row NAME ROUNDS JSON: vmscope, floor and page-types alternating
row() {
	local name=$1 rounds=$2 j=${3:-} v f p
	: >"$TMPD/v"; : >"$TMPD/f"; : >"$TMPD/p"
	for _ in $(seq 1 "$rounds"); do
		ms "$VMSCOPE" $j pages "$PID" "$RANGE" >>"$TMPD/v"
		ms "$FLOOR" $j "$PID" "$RANGE" >>"$TMPD/f"
		[ -n "$PAGE_TYPES" ] && [ -z "$j" ] &&
			ms "$PAGE_TYPES" -p "$PID" -a "$PTRANGE" -l >>"$TMPD/p"
	done
	v=$(median <"$TMPD/v"); f=$(median <"$TMPD/f"); p=$(median <"$TMPD/p")
	[ -s "$TMPD/p" ] || p=
	printf '  %-40s %8s ms %8s ms %6sx %9s %7s\n' "$name" "$v" "$f" \
		"$(ratio "$v" "$f")" "${p:+$p ms}" "${p:+$(ratio "$v" "$p")x}"
	LAST_V=$v LAST_F=$f
}

echo "pages_cli_bench: vmscope pages against its floor ($(uname -r), $ROUNDS rounds, output to /dev/null)"
printf '  %-40s %11s %11s %7s %9s %7s\n' case vmscope floor "x floor" page-types "x peer"
target 1024 1
row "pages, 1 GiB touched anon" "$ROUNDS"
row "--json pages, 1 GiB touched anon" "$ROUNDS" --json
target 4096 10
row "pages, 4 GiB, every 10th page touched" "$ROUNDS"
row "--json pages, 4 GiB, every 10th page" "$ROUNDS" --json
target 65536 1 100
row "pages, 64 GiB VMA, 100 MiB touched" "$ROUNDS"
stop_target
echo "  (goals: pages <= 1.25x the floor, --json <= 1.5x; 64 GiB no slower than page-types)"

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
echo
echo "  cost per MiB of a touched VMA (ms per MiB of the range):"
printf '  %8s %11s %9s %11s %9s %7s\n' MiB vmscope "per MiB" floor "per MiB" "x floor"
for mib in $SIZES; do
	if [ "$mib" -gt $((avail * 3 / 4)) ]; then
		printf '  %8s skipped: %s MiB available\n' "$mib" "$avail"
		continue
	fi
	target "$mib" 1
	rounds=$ROUNDS
	[ "$mib" -ge 4096 ] && rounds=3
	[ "$mib" -ge 16384 ] && rounds=1
	: >"$TMPD/v"; : >"$TMPD/f"
	for _ in $(seq 1 "$rounds"); do
		ms "$VMSCOPE" pages "$PID" "$RANGE" >>"$TMPD/v"
		ms "$FLOOR" "$PID" "$RANGE" >>"$TMPD/f"
	done
	stop_target
	v=$(median <"$TMPD/v"); f=$(median <"$TMPD/f")
	printf '  %8s %8s ms %9s %8s ms %9s %6sx\n' "$mib" "$v" "$(per "$v" "$mib")" \
		"$f" "$(per "$f" "$mib")" "$(ratio "$v" "$f")"
done
