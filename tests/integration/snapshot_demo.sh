#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bundled demos answer what docs/teaching.md says they answer, as
# nobody when this runs as root (a class has no root); and the compact
# form they are kept in (root/ + entries) expands to a snapshot that
# answers like the one it was made from.
. "$(dirname "$0")/../lib.sh"
DEMO=$TOP/demo
[ -f "$DEMO/pc/subject.txt" ] || skip_all "no demo/pc"
export TMPDIR=$TMPD/tmp XDG_RUNTIME_DIR=
mkdir -p "$TMPDIR"
chmod 1777 "$TMPDIR"
run=() vmbin=$VMSCOPE vdemo=$DEMO
if nobody_prepare; then
	# nobody reads its private copy's demo/, not the tree's
	run=("${NOBODY[@]}") vmbin=$NOBODY_VMSCOPE vdemo=$NOBODY_DIR/demo
	echo "# as nobody"
else
	echo "# skip: as nobody: $NOBODY_WHY; as $(id -un) instead"
fi
vm() { "${run[@]+"${run[@]}"}" "$vmbin" "$@"; }
sv() { sed -n "s/^$1=\(0x\)\{0,1\}//p" "$DEMO/pc/subject.txt"; }
pid=$(sv pid) child=$(sv child_pid)

# lesson 1: virtual to physical
out=$(vm --demo translate "$pid" "$(sv heap_var)"); rc=$?
equals "heap variable translates (exit 0)" "$rc" 0
matches "heap variable: anon page with a PFN, map count 1" "$out" "page: +anon, PFN 0x[0-9a-f]+, map count 1"
pfn=$(sed -n 's/.*PFN \(0x[0-9a-f]*\) from pagemap.*/\1/p' <<<"$out")
heap=$((0x$(sv heap_var)))
contains "physical = PFN * 4096 + offset in the page" "$out" "-> $(printf '0x%x' $(( pfn * 4096 + (heap & 4095) )))"
out=$(vm --demo translate "$pid" "$(sv stack_var)")
contains "stack variable: [stack]" "$out" "stack [stack]"
out=$(vm --demo maps "$pid")
contains "the header says it is a snapshot, of what" "$out" "snapshot demo pc: "
matches "shared library mapped" "$out" ' file .*/libc\.so\.6$'

# lesson 2: PFNMAP gaps
vvar=$(awk '/\[vvar\]$/ { split($1, r, "-"); print r[1] }' "$DEMO/pc/root/proc/$pid/smaps")
out=$(vm --demo translate "$pid" "$vvar"); rc=$?
equals "[vvar]: exit 5, a gap" "$rc" 5
contains "[vvar]: VM_PFNMAP, no struct page" "$out" "VM_PFNMAP (kernel vDSO data, no struct page)"
out=$(vm --demo=zynq-armv7 translate 1234 b6f14004); rc=$?
equals "board: /dev/uio0 map0 translates through sysfs" "$rc" 0
contains "board: GPIO registers at 0x41200000" "$out" "0xb6f14004 -> 0x41200004"
contains "board: no struct page, from sysfs" "$out" "no struct page (VM_PFNMAP/VM_IO): physical address from uio0 map0"
out=$(vm --demo=zynq-armv7 translate 1234 b2eff123)
contains "board: map1 is the DMA buffer" "$out" "0xb2eff123 -> 0x30001123"

# lesson 3: kinds of pages
out=$(vm --demo pages "$pid" "$(sv thp)-$(printf '%x' $((0x$(sv thp) + 3 * 4096)))")
matches "THP head" "$out" "^0*$(sv thp) thp .*COMPOUND_HEAD,THP"
matches "THP tail" "$out" " thp .*COMPOUND_TAIL,THP"
out=$(vm --demo --json pages "$pid" "$(sv thp)-$(printf '%x' $((0x$(sv thp) + 0x200000)))")
equals "a whole THP: 512 contiguous PFNs" "$(jq '[.pages[].pfn] | map(ltrimstr("0x")) | length' <<<"$out")" 512
equals "... from a 2 MiB-aligned frame" "$(( $(jq -r '.pages[0].pfn' <<<"$out") % 512 ))" 0
out=$(vm --demo --json pages "$pid" "$(sv zero)-$(printf '%x' $((0x$(sv zero) + 16 * 4096)))")
equals "zero pages: all 16 state zero" "$(jq -r '[.pages[].state] | unique | join(",")' <<<"$out")" zero
equals "zero pages: one frame for all" "$(jq -r '[.pages[].pfn] | unique | length' <<<"$out")" 1
out=$(vm --demo translate "$pid" "$(sv untouched)"); rc=$?
equals "untouched page: exit 3" "$rc" 3
out=$(vm --demo translate "$pid" "$(sv file)")
contains "file mapping: page-cache page" "$out" "page:    file, PFN"
a=$(vm --demo translate "$pid" "$(sv cow)"); b=$(vm --demo translate "$child" "$(sv cow)")
matches "copy-on-write page: map count 2" "$a" "map count 2"
equals "... the same frame in parent and child" "$(grep -o 'PFN 0x[0-9a-f]*,' <<<"$a")" "$(grep -o 'PFN 0x[0-9a-f]*,' <<<"$b")"

# lesson 4 and 5: where the kernel lives, reserved memory
out=$(vm --demo=zynq-armv7 kernel)
for area in lowmem vmalloc fixmap pkmap modules vector; do
	matches "board kernel layout: $area" "$out" " area +$area "
done
matches "board: the DMA buffer is outside System RAM" "$out" '^30000000-33efffff .* uio +uio0 map1'
contains "board: the kernel was given 768M" "$out" "mem=768M"
out=$(vm --demo kernel)
matches "pc: the kernel image from kallsyms" "$out" ' image +\.text '
matches "pc: System RAM" "$out" ' ram +System RAM '
out=$(vm --demo kernel --bootlog "$vdemo/bootlogs/x86_64-memmap-nvmevirt.log" --bootlog-only)
contains "memmap=79G\$82G: a reserved carve-out" "$out" 'reserved by memmap=79G$82G'

# the compact form round trip, from a fixture capture (no root needed)
FIX=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
"$VMSCOPE" --root "$FIX" snapshot -p 1234 -o "$TMPD/snap" >/dev/null 2>&1
mkdir -p "$TMPD/data/demo/t"
cp -a "$TMPD/snap" "$TMPD/data/demo/t/root"
rm -f "$TMPD/data/demo/t/root/proc/1234/pagemap" "$TMPD/data/demo/t/root"/proc/kpage*
"$HELPERS/snapshot_compact" "$TMPD/snap" >"$TMPD/data/demo/t/entries"
chmod -R a+rX "$TMPD/data" "$TMPD/snap"
for q in "maps 1234" "pages 1234 13000-17000" "translate 1234 0x13010" "translate 1234 b6dfe000"; do
	# shellcheck disable=SC2086
	want=$("$VMSCOPE" --root "$TMPD/snap" --json $q | jq -c 'del(.root)')
	# shellcheck disable=SC2086
	got=$(VMSCOPE_DATADIR=$TMPD/data vm --demo=t --json $q | jq -c 'del(.root)')
	equals "compact form answers like its snapshot: $q" "$got" "$want"
done
check "the entries list is small" test "$(stat -c %s "$TMPD/data/demo/t/entries")" -lt 4096

out=$(vm --demo=nosuch maps 1 2>&1); rc=$?
equals "an unknown demo: exit 1" "$rc" 1
contains "... listing the demos" "$out" "there is no demo 'nosuch' (the demos in"
contains "... pc among them" "$out" "pc, zynq-armv7"
out=$(VMSCOPE_DATADIR=/nonexistent vm --demo maps "$pid" 2>&1); rc=$?
equals "VMSCOPE_DATADIR is looked at first, then the build tree" "$rc" 0
check "no extraction directory is left behind" test -z "$(ls -A "$TMPDIR")"
finish
