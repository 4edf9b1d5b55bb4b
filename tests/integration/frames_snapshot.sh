#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Frames in a snapshot (issue 10, items 5 and 6).  A capture from the
# zynq-armv7 fixture whose heap holds a page with a bogus PFN, whose
# kpageflags has an entry there (a fixture on tmpfs holds it; the
# capture's staging directory cannot): the capture goes on, notes the
# frame as bad, and every command says so for that page.  A frame the
# snapshot did not record reads "not recorded in this snapshot", never
# "no flags, map count 0"; a frame it did record keeps its flags.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"
# an entry at PFN 0x7fffffffffffff is 2^62 bytes into kpageflags: only
# tmpfs (or xfs, btrfs) holds a file that long
SHM=$(mktemp -d /dev/shm/vmscope-frames.XXXXXX 2>/dev/null) ||
	skip_all "needs a tmpfs at /dev/shm for the fixture's 2^62-byte kpageflags"
on_exit "rm -rf '$SHM'"
BAD=0x7fffffffffffff
ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$SHM/zynq")
cat >"$SHM/bogus" <<EOF
entry proc/1234/pagemap  0x17 0x80$(printf '%014x' $BAD)  # present, PFN $BAD
entry proc/kpageflags    $BAD 0x5828
entry proc/kpagecount    $BAD 1
EOF
"$BUILD/tests/fixture_write" "$ROOT" "$SHM/bogus" ||
	skip_all "this tmpfs does not hold the bogus PFN's entry"

SNAP=$TMPD/snap
out=$("$VMSCOPE" --root "$ROOT" snapshot -p 1234 -o "$SNAP" 2>"$TMPD/err"); rc=$?
err=$(cat "$TMPD/err")
equals "a bogus PFN does not abort the capture (exit 0)" "$rc" 0
contains "the capture reports the process captured" "$out" "1 process"
not_contains "no 'File too large'" "$err" "File too large"
contains "the capture's notes count the bad frame" "$err" \
	"proc/kpageflags: 1 frame recorded as bad (first PFN $BAD)"
contains "the snapshot's conf keeps the note" "$(cat "$SNAP/vmscope-snapshot.conf")" \
	"note=proc/kpageflags: 1 frame recorded as bad"
check "the snapshot lists what it read" [ -s "$SNAP/vmscope-snapshot.ranges" ]
contains "the list is checked with the other files" "$(cat "$SNAP/vmscope-snapshot.files")" \
	"vmscope-snapshot.ranges"

vm() { "$VMSCOPE" --root "$SNAP" "$@"; }

# the page with the bogus PFN
out=$(vm pages 1234 0x17000)
matches "pages: the bogus frame is 'recorded as bad', no count" "$out" \
	'^00017000 anon +0x7fffffffffffff .* - - \(recorded as bad in this snapshot\)$'
j=$(vm --json pages 1234 0x17000)
equals "pages --json: frame_record bad" "$(jq -r '.pages[0].frame_record' <<<"$j")" bad
equals "pages --json: kpageflags null" "$(jq -r '.pages[0].kpageflags' <<<"$j")" null
out=$(vm translate 1234 0x17000)
contains "translate: the frame was recorded as bad" "$out" "frame:   recorded as bad in this snapshot"
# a recorded page keeps its flags
out=$(vm pages 1234 0x13000)
contains "pages: a recorded frame keeps its flags" "$out" "UPTODATE,LRU,MMAP,ANON,SWAPBACKED"
equals "pages --json: a recorded frame" \
	"$(vm --json pages 1234 0x13000 | jq -r '.pages[0].frame_record')" recorded

# a RAM frame no captured process mapped
out=$(vm phys --no-lookup 0x1000)
contains "phys: an unrecorded frame is said to be" "$out" "page:    none: not recorded in this snapshot"
not_contains "phys: not 'no flags, map count 0'" "$out" "no flags"
j=$(vm --json phys --no-lookup 0x1000)
equals "phys --json: frame_record not-recorded" "$(jq -r .frame_record <<<"$j")" not-recorded
equals "phys --json: page null" "$(jq -r .page <<<"$j")" null
out=$(vm phys --no-lookup 0x1f3a2000)
contains "phys: a recorded frame keeps its flags" "$out" \
	"page:    UPTODATE,LRU,MMAP,ANON,SWAPBACKED, map count 1"

# the same from a tar
"$VMSCOPE" --root "$ROOT" snapshot -p 1234 -o "$TMPD/snap.tar" >/dev/null 2>&1
equals "a tar capture goes on too" "$?" 0
out=$("$VMSCOPE" --root "$TMPD/snap.tar" phys --no-lookup 0x1000)
contains "tar: an unrecorded frame is said to be" "$out" "not recorded in this snapshot"
out=$("$VMSCOPE" --root "$TMPD/snap.tar" pages 1234 0x17000)
contains "tar: the bogus frame is bad" "$out" "(recorded as bad in this snapshot)"

# a snapshot of the snapshot keeps what was not recorded, and what was bad
"$VMSCOPE" --root "$SNAP" snapshot -p 1234 -o "$TMPD/resnap" >/dev/null 2>&1
equals "a re-capture from the snapshot" "$?" 0
out=$("$VMSCOPE" --root "$TMPD/resnap" phys --no-lookup 0x1000)
contains "re-capture: the unrecorded frame stays unrecorded" "$out" "not recorded in this snapshot"
out=$("$VMSCOPE" --root "$TMPD/resnap" pages 1234 0x17000)
contains "re-capture: the bad frame stays bad" "$out" "(recorded as bad in this snapshot)"

# without the bogus PFN (item 6 alone): the board's plain fixture
PLAIN=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/plain")
"$VMSCOPE" --root "$PLAIN" snapshot -p 1234 -o "$TMPD/plain-snap" >/dev/null 2>&1
out=$("$VMSCOPE" --root "$TMPD/plain-snap" phys --no-lookup 0x2000)
contains "plain capture: an unrecorded frame is said to be" "$out" \
	"page:    none: not recorded in this snapshot"

# a fixture directory made by hand: every byte is what the board had
out=$("$VMSCOPE" --root "$ROOT" phys --no-lookup 0x1000)
contains "fixture: a flagless frame is a page without flags" "$out" "page:    no flags, map count 0"
finish
