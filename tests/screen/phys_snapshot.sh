#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Physical addresses placed on the machine's map in snapshots: the zynq
# fixture's /dev/uio0 page is "uio0 map0 (gpio@41200000)" in its detail,
# its table (120 columns) and the physical map, and the reverse lookup
# finds gpio-demo through UIO sysfs; the board demo (boot log, iomem)
# places the heap's frame in System RAM and has Kernel code; a snapshot
# has no heat strip and says why.  A snapshot is not refreshed: the
# status line has no interval, pause/delay/R say they are unavailable.
# The pc demo's page map shows THP and zero-page cells from kpageflags
# (a snapshot has no PAGEMAP_SCAN).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq") || { fail "fixture builds"; finish; exit 1; }
mkdir -m 1777 "$TMPD/tmp"

tm_start 80 24 -- "$VMSCOPE" --root "$ROOT"
see "fixture: gpio-demo listed" "gpio-demo"
status=$(tm_screen | tail -1)
contains "status: a snapshot" "$status" "snapshot zynq-board"
not_contains "status: no refresh interval on a snapshot" "$status" "every"
tm_keys Space
see "space: pause unavailable on a snapshot" "pause: not on a snapshot"
tm_keys d
see "d: delay unavailable on a snapshot" "refresh delay: not on a snapshot"
tm_cmd "delay 2"
see ":delay unavailable on a snapshot" ":delay: not on a snapshot"
not_see "... and no interval was set" "every 2s"

tm_keys Enter
see "the process opens" "PID 1234 gpio-demo"
tm_cmd "goto b6f14000"
see "the uio0 page in the table" "b6f14000 gap"
tm_keys Enter
see "detail of the UIO page" "PID 1234 gpio-demo | page b6f14000"
see "detail: its physical address" "Physical   0x41200000"
see "detail: its range, the UIO map" "Range      uio0 map0 (gpio@41200000) (/sys/class/uio/uio0/maps/map0)"
# w on a UIO page: who maps that frame (found through sysfs), not a range
tm_keys w
see "w on the UIO page: its frame" "who maps the frame of page b6f14000 (PFN 0x41200)"
see "... one mapping" "mapped by 1 process (1 mapping)"
see "... what was looked at, in good grammar" "looked at 1 process: 1 with an address space"
matches "... gpio-demo's UIO mapping, one page" "$(tm_line ' 1234 ')" "^ +1234 gpio-demo +b6f14000 +1 /dev/uio0 via uio0 map0"
tm_esc
see "Esc: back to the detail" "PID 1234 gpio-demo | page b6f14000"
tm_keys p
see "p: the physical map" "vmscope | physical map: 2 ranges"
see "... the UIO map selected" "uio0 map0 (gpio@41200000), 4.0K [uio sysfs]"
see "no heat strip on a snapshot, and why" "no heat strip: a snapshot keeps the flags of the frames its processes mapped"
tm_keys w
see "w: who maps the UIO map" "who maps uio0 map0 (gpio@41200000)"
matches "gpio-demo through UIO sysfs" "$(tm_line ' 1234 ')" "^ +1234 gpio-demo +b6f14000 +1 /dev/uio0 via uio0 map0"
tm_keys R
see "R: unavailable on a snapshot" "not on a snapshot"
tm_keys Enter
see "Enter: that page of gpio-demo" "PID 1234 gpio-demo | page b6f14000"
tm_esc
see "Esc: its table" "PID 1234 gpio-demo | table"
# a 63M UIO map: one row for the mapping, and the cap said as a cap
tm_keys p
tm_keys /; tm_type "uio0 map1"; tm_keys Enter
tm_keys w
see "w on the 63M UIO map" "who maps uio0 map1 (dma-buffer)"
see "the cap is said, with what was found so far" "capped at 5000 pages: mapped by 1 process (1 mapping) so far"
see "... and how far the lookup got" "stopped after 1 process: "
matches "one row for the whole mapping, its pages counted" "$(tm_line ' 1234 ')" "^ +1234 gpio-demo +b2efe000 +5000 /dev/uio0 via uio0 map1"
check "one row, not 5000" [ "$(tm_screen | grep -c ' 1234 gpio-demo ')" = 1 ]
tm_esc; tm_esc
see "Esc Esc: the table again" "PID 1234 gpio-demo | table"
tm_resize 120 30
see "120 columns: RANGE column" "FLAGS      MAP  RANGE"
matches "the UIO page's range in the table" "$(tm_line 'b6f14000 gap')" "^b6f14000 gap +- +41200000 +- +- +uio0 map0 \(gpio@41200000\)"
tm_quit "fixture: vmscope"

# the board demo: iomem and the boot log
tm_start 80 24 TMPDIR="$TMPD/tmp" XDG_RUNTIME_DIR= -- "$VMSCOPE" --demo=zynq-armv7
see "board demo: gpio-demo" "gpio-demo"
tm_keys Enter
tm_cmd "translate 13010"
see "the heap page's detail" "page 13000"
see "... its range: System RAM, iomem line 1" "Range      System RAM (/proc/iomem line 1)"
tm_cmd "phys 8000"
see ":phys: Kernel code of the board" "Kernel code, 10M [iomem:2]"
matches "... nested in System RAM" "$(tm_line ' Kernel code')" "^00008000-00a07fff +10M kernel +Kernel code"
matches "CMA from the boot log" "$(tm_line ' CMA area')" "^2f000000-2fffffff +16M cma +CMA area"
tm_keys /; tm_type "uio0 map0"; tm_keys Enter
tm_wait ' uio0 map0'
matches "the UIO map inside the GPIO block" "$(tm_line ' uio0 map0')" "^41200000-41200fff +4.0K uio +uio0 map0 \(gpio@41200000\)"
tm_keys /; tm_type "zone Normal"; tm_keys Enter
see "zones and nodes listed" "memory zones and nodes"
# the lesson's step 4.3: the heap's frame, who maps it, its page
tm_cmd "phys 1f3a2010"
see ":phys: System RAM" "System RAM, 768M [iomem:1]"
tm_keys Enter
see "Enter: its frames from the address's" "frames of System RAM | PFN 0x0-0x2ffff"
matches "the heap's frame" "$(tm_line '1f3a2 1f3a2000')" "^1f3a2 1f3a2000 anon +1 UPTODATE,LRU,MMAP,ANON,SWAPBACKED$"
matches "a frame the snapshot did not record: no kind, no count, said so" "$(tm_line '1f3a1 1f3a1000')" "^1f3a1 1f3a1000 - +- \(not recorded in this snapshot\)$"
tm_keys w
tm_wait "1234 gpio-demo"
matches "w: gpio-demo maps it, at its heap" "$(tm_line ' 1234 ')" "^ +1234 gpio-demo +00013000 +1 \[heap\]$"
tm_keys Enter
see "Enter: gpio-demo's heap page" "PID 1234 gpio-demo | page 13000"
# the GPIO registers: past the board's kpageflags (mem=768M), no page
tm_esc; tm_esc; tm_esc; tm_esc
tm_cmd "phys 41200004"
see ":phys: the UIO registers" "uio0 map0 (gpio@41200000), 4.0K"
see "the panel: beyond kpageflags, not a zone's" "beyond kpageflags: no struct page"
tm_keys Enter
see "Enter: the frame of the registers" "uio0 map0 (gpio@41200000) | PFN 0x41200-"
matches "the frame: no page, no count, beyond kpageflags" "$(tm_line '41200 41200000')" "^41200 41200000 not-ram +- \(beyond kpageflags\)$"
tm_quit "board demo: vmscope"

# the pc demo: THP and zero-page cells in the map
sv() { sed -n "s/^$1=\(0x\)\{0,1\}//p" "$TOP/demo/pc/subject.txt"; }
if [ -f "$TOP/demo/pc/subject.txt" ]; then
	tm_start 100 30 TMPDIR="$TMPD/tmp" XDG_RUNTIME_DIR= -- "$VMSCOPE" --demo
	see "pc demo" "demo_subject"
	tm_keys Enter
	tm_cmd "goto $(sv thp)"
	tm_wait "$(sv thp) thp "
	matches "table: the THP region" "$(tm_line "$(sv thp) ")" "^$(sv thp) thp "
	tm_keys m
	see "map form" "map 1 pg/cell"
	matches "map: THP cells, as the table says" "$(tm_line "$(sv thp) ")" "^$(sv thp) TTTTTTTTTTTTTTTT"
	tm_cmd "goto $(sv zero)"
	tm_wait "$(sv zero) zzzz"
	matches "map: zero-page cells" "$(tm_line "$(sv zero) ")" "^$(sv zero) zzzz"
	see "cell info: zero" "$(sv zero): present, 1 zero"
	tm_quit "pc demo: vmscope"
fi
check "no extraction directory is left behind" test -z "$(ls -A "$TMPD/tmp")"
finish
