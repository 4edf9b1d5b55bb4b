#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vmscope --demo as nobody, walking the first steps of docs/teaching.md
# with the keys the lesson gives: the process list, the VMAs, the heap's
# page table, a page's detail, :translate, the [vvar] gap, THP and the
# zero page;
# then the board's /dev/uio0 page.  No extraction directory is left.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
DEMO=$TOP/demo
[ -f "$DEMO/pc/subject.txt" ] || skip_all "no demo/pc"
run=() vmbin=$VMSCOPE
if nobody_prepare; then
	run=("${NOBODY[@]}") vmbin=$NOBODY_VMSCOPE
	echo "# as nobody"
else
	echo "# skip: as nobody: $NOBODY_WHY; as $(id -un) instead"
fi
sv() { sed -n "s/^$1=\(0x\)\{0,1\}//p" "$DEMO/pc/subject.txt"; }
pid=$(sv pid)
heap=$(sv heap_var)
heap_page=$(printf '%x' $((0x$heap & ~0xfff)))
mkdir -m 1777 "$TMPD/tmp"
pfn=$(TMPDIR=$TMPD/tmp "$VMSCOPE" --demo --json translate "$pid" "$heap" | jq -r .page.pfn | sed 's/^0x//')

tm_start 100 30 TMPDIR="$TMPD/tmp" XDG_RUNTIME_DIR= -- "${run[@]+"${run[@]}"}" "$vmbin" --demo
see "step 1: the process list shows demo_subject" "demo_subject"
see "the status line says it is a snapshot, and of what" "snapshot demo pc: vm x86_64"
not_see "PFNs are not hidden for nobody: the snapshot has them" "PFNs hidden"
tm_keys Enter
see "Enter: its VMAs" "PID $pid demo_subject"
see "... the heap among them" "[heap]"
tm_cmd "goto [heap]"
see "step 2: :goto [heap] opens the heap's page table" "$heap_page "
matches "the first heap page: anon with its PFN" "$(tm_line "$heap_page ")" "^$heap_page +anon +$pfn +$pfn"000" "
tm_keys Enter
see "step 3: Enter shows the page's detail" "page $heap_page"
see "... its physical address and PFN" "Physical   0x${pfn}000  (PFN 0x$pfn)"
see "... the pagemap entry: present and exclusive" "pagemap entry 0x810000000$(printf '%07x' $((0x$pfn)))"
tm_esc
tm_cmd "translate $heap"
see "step 4: :translate gives the physical address" "0x$heap -> physical 0x$(printf '%x' $(( 0x$pfn * 4096 + (0x$heap & 0xfff) )))"
see "... and opens the page's detail" "page $heap_page"
tm_esc
tm_cmd "goto [vvar]"
see "lesson 2: [vvar] is a gap" "gap: no struct page, pagemap reads zeros"
tm_esc
tm_cmd "goto $(sv thp)"
see "lesson 3: the THP region's table" "$(sv thp) thp "
matches "... its first page is a huge page's head" "$(tm_line "$(sv thp) ")" "^$(sv thp) thp +[0-9a-f]+ +[0-9a-f]+000 +[A-Za-z]*H"
tm_cmd "goto $(sv zero)"
tm_wait "$(sv zero) zero "
matches "... the read-only region maps the zero page" "$(tm_line "$(sv zero) ")" "^$(sv zero) zero "
tm_quit "demo: vmscope"

# at 80x24: no build path, and the footer keeps the two keys a class needs
tm_start 80 24 TMPDIR="$TMPD/tmp" XDG_RUNTIME_DIR= -- "${run[@]+"${run[@]}"}" "$vmbin" --demo
see "80x24: the demo's program, from a neutral place" "/opt/vmscope-demo/demo_subject"
not_see "80x24: no build path in the demo" "/build/"
matches "80x24: the footer says ? help  q quit" "$(tm_screen | tail -1)" '^snapshot .* \| \? help  q quit$'
tm_keys Enter
not_see "80x24: no build path in its VMAs" "/build/"
tm_quit "demo 80x24: vmscope"

tm_start 100 30 TMPDIR="$TMPD/tmp" XDG_RUNTIME_DIR= -- "${run[@]+"${run[@]}"}" "$vmbin" --demo=zynq-armv7
see "the board: gpio-demo" "gpio-demo"
tm_keys Enter
tm_cmd "goto b6f14000"
see "the board: /dev/uio0 page is a gap with a physical address" "gap at 0x41200000 (uio0 map0)"
tm_keys Enter
see "... the detail names the sysfs source" "Source     uio0 map0 (sysfs addr 0x41200000"
tm_esc
tm_quit "board demo: vmscope"
check "no extraction directory is left behind" test -z "$(ls -A "$TMPD/tmp")"
finish
