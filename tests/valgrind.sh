#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The batch commands under valgrind memcheck: maps, pages, translate,
# kernel and phys (text and JSON) on a live helper process, on this
# machine's kernel ranges, on the zynq-armv7 fixture and on the bundled
# demo, plus a snapshot.  Each must exit as it does without valgrind,
# with no memcheck error and no definite leak.  Run by `make valgrind`
# (a plain build: valgrind cannot run ASan binaries), not by tests/run:
# it takes a few minutes.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip_all "valgrind missing (make deps)"
[ -x "$VMSCOPE" ] || skip_all "no $VMSCOPE (make first)"
if nm "$VMSCOPE" 2>/dev/null | grep -q __asan_init; then
	skip_all "$VMSCOPE is an ASan build: valgrind needs a plain one"
fi

VG=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --track-origins=yes --trace-children=no)
N=0
# vg DESC WANT_STATUS ARGS...: vmscope ARGS under memcheck
vg() {
	local desc=$1 want=$2 rc log=$TMPD/vg.$N
	shift 2
	N=$((N + 1))
	"${VG[@]}" --log-file="$log" "$VMSCOPE" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ "$rc" = 99 ] || [ -s "$log" ]; then
		fail "$desc: memcheck clean"
		sed 's/^/#   /' "$log" | head -40
	elif [ "$rc" != "$want" ]; then
		fail "$desc: exits $want (got $rc)"
		sed 's/^/#   /' "$TMPD/err" | head -5
	else
		ok "$desc: memcheck clean, exit $want"
	fi
}

# ---- live: a helper with every kind of page ----
start_helper "$HELPERS/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
hx() { printf '%x' "$(helper_value "$1")"; }
touched=$(hx anon_touched)
vg "maps live" 0 maps "$pid"
vg "maps --holes --json live" 0 --json maps --holes "$pid"
# one range over all of them: they sit close together, in any order
lo=$(for k in anon_touched thp file hole shared zero; do echo $(( $(helper_value $k) )); done | sort -n | head -1)
hi=$(for k in anon_touched thp file hole shared zero; do
	echo $(( $(helper_value $k) + $(helper_value ${k}_len) )); done | sort -n | tail -1)
vg "pages live (anon, file, THP, zero, shared, hole)" 0 pages "$pid" "$(printf '%x-%x' "$lo" "$hi")"
vg "pages --json live" 0 --json pages "$pid" "$touched-$(printf '%x' $(( $(helper_value anon_touched) + 32 * 4096 )))"
vg "translate live, present" 0 translate "$pid" "$touched"
vg "translate --json live, not present" 3 --json translate "$pid" "$(hx anon_untouched)"
vg "translate live, hole" 2 translate "$pid" "$(hx hole)"
vg "translate live, file" 0 translate "$pid" "$(hx file)"
vg "maps of a process that does not exist" 1 maps 999999999
vg "bad usage" 64 pages "$pid"

# ---- live kernel ranges ----
vg "kernel live" 0 kernel
vg "kernel --json live" 0 --json kernel
log=$(ls "$FIXTURES"/bootlogs/*.log | head -1)
vg "kernel --bootlog-only" 0 kernel --bootlog "$log" --bootlog-only
vg "kernel --bootlog --json" 0 --json kernel --bootlog "$FIXTURES/bootlogs/x86_64-memmap-tytso.log" --bootlog-only
phys=$("$VMSCOPE" --json translate "$pid" "$touched" | sed -n 's/.*"phys":"\(0x[0-9a-f]*\)".*/\1/p')
if [ -n "$phys" ]; then
	vg "phys --no-lookup live" 0 phys --no-lookup "$phys"
	vg "phys --json live (reverse lookup over every process)" 0 --json phys "$phys"
else
	fail "the helper's page has a physical address"
fi

# ---- a fixture root (32-bit ARM board, UIO gaps, cgroups from inodes) ----
ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
vg "maps fixture" 0 --root "$ROOT" maps 1234
vg "pages --json fixture" 0 --root "$ROOT" --json pages 1234 13000-15000
vg "translate fixture, heap" 0 --root "$ROOT" translate 1234 0x13010
vg "translate fixture, UIO gap" 0 --root "$ROOT" --json translate 1234 b6f14004
vg "kernel fixture" 0 --root "$ROOT" kernel
vg "phys fixture" 0 --root "$ROOT" phys 0x1f3a2010

# ---- the bundled demo, a snapshot as a tar ----
vg "kernel --demo" 0 --demo kernel
dpid=$("$VMSCOPE" --demo --json kernel >/dev/null 2>&1; ls "$TOP/demo/pc/root/proc" | grep -E '^[0-9]+$' | head -1)
if [ -n "$dpid" ]; then
	vg "maps --demo" 0 --demo maps "$dpid"
	vg "pages --demo" 0 --demo --json pages "$dpid" "$("$VMSCOPE" --demo --json maps "$dpid" | jq -r '.vmas[0].start')"
fi
vg "snapshot of the helper to a tar" 0 snapshot -p "$pid" -o "$TMPD/snap.tar"
[ -s "$TMPD/snap.tar" ] && vg "maps from that tar" 0 --root "$TMPD/snap.tar" maps "$pid"

finish
