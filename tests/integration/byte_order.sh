#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A big-endian board's snapshot (the mips-be-ath79 fixture, byte_order=big)
# and its little-endian twin (the same entries in little-endian order,
# byte_order=little) opened here: every batch command gives the same
# answer on both, byte for byte but for the root's name, and the right
# one; a tar of the big-endian snapshot too, and a snapshot taken from it
# keeps its order.
. "$(dirname "$0")/../lib.sh"

BE=$("$TOP/tests/fixtures/build" mips-be-ath79 "$TMPD/be")
LE=$("$TOP/tests/fixtures/build" mips-be-ath79 "$TMPD/le")
# the twin: the same values written little-endian, and said so
sed 's/^order big$/order little/' "$FIXTURES/mips-be-ath79/entries" >"$TMPD/le.entries"
"$HELPERS/fixture_write" "$LE" "$TMPD/le.entries"
sed -i 's/^byte_order=big$/byte_order=little/' "$LE/vmscope-snapshot.conf"

equals "the fixture says big" "$(grep '^byte_order=' "$BE/vmscope-snapshot.conf")" "byte_order=big"
equals "the twin says little" "$(grep '^byte_order=' "$LE/vmscope-snapshot.conf")" "byte_order=little"
# the heap's first entry, 0x8100000000006c01, as each board wrote it
entry_bytes() { od -A n -t x1 -j $((0x1a6f * 8)) -N 8 "$1/proc/1523/pagemap" | tr -d ' '; }
equals "the big-endian pagemap holds the entry big-endian" "$(entry_bytes "$BE")" "8100000000006c01"
equals "the twin holds it little-endian" "$(entry_bytes "$LE")" "016c000000000081"
kp_bytes() { od -A n -t x1 -j $((0x1f00 * 8)) -N 8 "$1/proc/kpagecount" | tr -d ' '; }
equals "kpagecount big-endian" "$(kp_bytes "$BE")" "0000000000000009"

# Each command on both roots: same exit code, same output (the root's
# path replaced by ROOT); the big-endian answers are kept for the checks.
declare -A OUT RC
same() {
	local name=$1 be le rcbe rcle
	shift
	be=$("$VMSCOPE" --root "$BE" "$@" 2>&1); rcbe=$?
	le=$("$VMSCOPE" --root "$LE" "$@" 2>&1); rcle=$?
	be=${be//"$BE"/ROOT}
	le=${le//"$LE"/ROOT}
	OUT[$name]=$be
	RC[$name]=$rcbe
	if [ "$be" = "$le" ] && [ "$rcbe" = "$rcle" ]; then
		ok "$name: the same on both (exit $rcbe)"
	else
		fail "$name: the same on both (exit $rcbe and $rcle)"
		diff <(echo "$be") <(echo "$le") | head -20 | sed 's/^/#   /'
	fi
}

same maps maps 1523
same maps-holes maps --holes 1523
same maps-json --json maps 1523
same pages-text pages 1523 400000-45a000
same pages-heap pages 1523 1a6f000-1a72000
same pages-libc pages 1523 77e80000-77e82000
same pages-top pages 1523 7fb5e000-7fefc000
same pages-json --json pages 1523 1a6f000-1a72000
same pages-json-libc --json pages 1523 77e80000-77f0a000
for a in 0x400010 0x458004 0x1a6f123 0x1a70ffc 0x1a71000 0x1a72000 \
	0x77e81040 0x77f09000 0x7fb5effc 0x7fefa010 0x7fefb000 0x5000; do
	same "translate $a" translate 1523 "$a"
	same "translate --json $a" --json translate 1523 "$a"
done
for p in 0x6c01000 0x1f00abc 0x3f5000 0x6e33ffc 0x7fff000 0x18020004; do
	same "phys $p" phys "$p"
	same "phys --json $p" --json phys "$p"
done
same kernel kernel
same kernel-json --json kernel

# ... and the answers are the board's, not byte-swapped ones
equals "translate heap exits 0" "${RC[translate 0x1a6f123]}" 0
contains "heap address -> PFN 0x6c01" "${OUT[translate 0x1a6f123]}" "0x1a6f123 -> 0x6c01123"
contains "heap page flags" "${OUT[translate 0x1a6f123]}" "UPTODATE,DIRTY,LRU,MMAP,ANON,SWAPBACKED"
contains "heap page cgroup" "${OUT[translate 0x1a6f123]}" "/services/dnsmasq"
equals "swapped page exits 4" "${RC[translate 0x1a71000]}" 4
contains "swap offset from the big-endian entry" "${OUT[translate 0x1a71000]}" "swap type 0 at offset 0x1c5"
equals "untouched heap page exits 3" "${RC[translate 0x1a72000]}" 3
equals "[vvar] is a gap (exit 5)" "${RC[translate 0x7fefa010]}" 5
equals "unmapped exits 2" "${RC[translate 0x5000]}" 2
contains "libc page: map count 9" "${OUT[translate 0x77e81040]}" "map count 9"
matches "pages: libc rows are file pages" "${OUT[pages-libc]}" '^77e80000 file +0x1f00 '
equals "pages --json: states" "$(jq -r '[.pages[].state]|join(",")' <<<"${OUT[pages-json]}")" "anon,anon,swapped"
equals "pages --json: PFN" "$(jq -r '.pages[0].pfn' <<<"${OUT[pages-json]}")" "0x6c01"
contains "phys finds the heap page's process" "${OUT[phys 0x6c01000]}" "1523"
contains "maps: heap RSS" "${OUT[maps]}" "[heap]"

# a tar of the big-endian snapshot, read in place
tar -C "$BE" --format=gnu -cSf "$TMPD/be.tar" .
out=$("$VMSCOPE" --root "$TMPD/be.tar" translate 1523 0x1a6f123); rc=$?
equals "the tar of the big-endian snapshot: exit 0" "$rc" 0
contains "the tar of the big-endian snapshot: its answer" "$out" "0x1a6f123 -> 0x6c01123"
# (past the first line, which names the root)
out=$("$VMSCOPE" --root "$TMPD/be.tar" pages 1523 1a6f000-1a72000 | tail -n +2)
equals "the tar's pages are the directory's" "$out" "$("$VMSCOPE" --root "$BE" pages 1523 1a6f000-1a72000 | tail -n +2)"

# a snapshot taken from the big-endian one (directory and tar) keeps its
# bytes and says so, and answers the same
out=$("$VMSCOPE" --root "$BE" snapshot -p 1523 -o "$TMPD/re" 2>&1); rc=$?
equals "a snapshot of the big-endian snapshot: exit 0" "$rc" 0
contains "it found the present pages" "$out" "13 present pages, 13 page frames"
equals "it says big" "$(grep '^byte_order=' "$TMPD/re/vmscope-snapshot.conf")" "byte_order=big"
"$VMSCOPE" --root "$BE" snapshot -p 1523 -o "$TMPD/re.tar" >/dev/null 2>&1
for r in "$TMPD/re" "$TMPD/re.tar"; do
	out=$("$VMSCOPE" --root "$r" pages 1523 77e80000-77f0a000 | tail -n +2)
	equals "${r##*/}: pages as the original's" "$out" \
		"$("$VMSCOPE" --root "$BE" pages 1523 77e80000-77f0a000 | tail -n +2)"
done

# the compact form of the big-endian snapshot (snapshot_compact lists the
# values with "order big"), opened as a demo, answers as the snapshot does
mkdir -p "$TMPD/data/demo/be"
cp -a "$TMPD/re" "$TMPD/data/demo/be/root"
rm -f "$TMPD/data/demo/be/root/proc/1523/pagemap" "$TMPD/data/demo/be/root"/proc/kpage*
"$HELPERS/snapshot_compact" "$TMPD/re" >"$TMPD/data/demo/be/entries"
equals "the compact form says big" "$(grep -c '^order big$' "$TMPD/data/demo/be/entries")" 1
for q in "maps 1523" "pages 1523 1a6f000-1a72000" "pages 1523 77e80000-77f0a000" "translate 1523 0x1a6f123"; do
	# shellcheck disable=SC2086
	want=$("$VMSCOPE" --root "$BE" --json $q | jq -c 'del(.root)')
	# shellcheck disable=SC2086
	got=$(TMPDIR=$TMPD VMSCOPE_DATADIR=$TMPD/data "$VMSCOPE" --demo=be --json $q | jq -c 'del(.root)')
	check "the snapshot answers: $q" test -n "$want"
	equals "the compact form answers like the snapshot: $q" "$got" "$want"
done

# a pagemap cut inside an entry: that entry cannot be put in order, so the
# file ends before it, and the reader says the snapshot is truncated
cp -a "$BE" "$TMPD/cut"
truncate -s $((0x1a6f * 8 + 4)) "$TMPD/cut/proc/1523/pagemap"
out=$("$VMSCOPE" --root "$TMPD/cut" translate 1523 0x1a6f123 2>&1); rc=$?
equals "a pagemap cut inside an entry: exit 1" "$rc" 1
contains "... the error says the pagemap ends before that page" "$out" "pagemap of process 1523 reads nothing from 0x1a6f000, in 0x1a6f000-0x1a70000"
contains "... and why it may" "$out" "the snapshot is truncated"
finish
