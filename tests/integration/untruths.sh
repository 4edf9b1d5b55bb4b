#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Smaller untruths (issue 14 point 9): a live file whose name ends in
# " (deleted)" is not reported deleted, nor its name cut, live and in a
# snapshot (the capture records the stat that decided it); a file really
# unlinked still is; a snapshot VMA whose bounds are not whole pages is
# an error naming its line, not a 63K VMA with 64K resident.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"

cp /bin/sleep "$TMPD/sleep (deleted)"
cp /bin/sleep "$TMPD/gone"
"$TMPD/sleep (deleted)" 60 &
live=$!
on_exit "kill $live"
"$TMPD/gone" 60 &
gone=$!
on_exit "kill $gone"
sleep 0.2
rm "$TMPD/gone"
grep -q "sleep (deleted)" "/proc/$live/maps" || skip_all "the process did not start"

vmas() { # PID ROOT-ARGS...: "NAME deleted" of its sleep mappings, once
	local pid=$1; shift
	"$VMSCOPE" "$@" --json maps "$pid" |
		jq -r '.vmas[] | select(.name | test("/(sleep|gone)")) | "\(.name) \(.deleted)"' | sort -u
}
equals "live: a live file named 'x (deleted)' is not deleted, its name whole" \
	"$(vmas "$live")" "$TMPD/sleep (deleted) false"
equals "live: a file unlinked is deleted" "$(vmas "$gone")" "$TMPD/gone true"

out=$("$VMSCOPE" snapshot -p "$live" -p "$gone" -o "$TMPD/snap" 2>&1); rc=$?
equals "a snapshot of both exits 0" "$rc" 0
check "... and records the stat that decided it" \
	grep -q "sleep (deleted)" "$TMPD/snap/vmscope-snapshot.stat"
kill "$live" "$gone" 2>/dev/null
wait "$live" "$gone" 2>/dev/null
rm -f "$TMPD/sleep (deleted)"
equals "snapshot: still not deleted, once the file is gone from here" \
	"$(vmas "$live" --root "$TMPD/snap")" "$TMPD/sleep (deleted) false"
equals "snapshot: the unlinked one still deleted" \
	"$(vmas "$gone" --root "$TMPD/snap")" "$TMPD/gone true"

# a snapshot VMA ffff1000-ffffffff (not whole pages: read as 60K with 64K resident)
FIX=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
printf 'ffff1000-ffffffff rw-p 00000000 00:00 0\nRss:                  64 kB\n' \
	>>"$FIX/proc/1234/smaps"
rm -f "$FIX/proc/1234/maps"
out=$("$VMSCOPE" --root "$FIX" maps 1234 2>&1); rc=$?
equals "an unaligned snapshot VMA: exit 1" "$rc" 1
contains "... naming the line and why" "$out" "not multiples of the page size"
matches "... and the line number" "$out" 'line [0-9]+:'
finish
