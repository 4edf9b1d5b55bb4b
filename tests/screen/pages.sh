#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# VMAs, pages (table and map), page detail, against vmhelper as root:
# touched anon pages present with PFNs, [vvar] a PFNMAP gap, holes shown,
# the zero page, :goto, paging keys, zoom, Enter/Esc.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
[ "$(id -u)" = 0 ] || skip_all "PFNs need root"

start_helper "$HELPERS/vmhelper" --comm uipages || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
touched=$(hex "$(helper_value anon_touched)")
half=$(hex "$(helper_value anon_half)")
zero=$(hex "$(helper_value zero)")
holea=$(hex "$(helper_value hole)")

tm_start 80 24 -- "$VMSCOPE" -p "$pid"
see "-p opens the VMAs" "PID $pid uipages"
see "VMA columns" "START "
contains "perms, size, RSS, kind, name" "$(tm_line "START ")" "PERM   SIZE    RSS KIND     NAME"
contains "title counts gaps" "$(tm_screen | head -1)" "gaps"
see "holes between VMAs are rows" "(hole: unmapped)"
# [vvar]: select it, the status says why pagemap cannot see it
tm_keys /; tm_type "vvar"; tm_keys Enter
see "vvar selected: gap explained" "vvar gap: pagemap cannot see it"
see "vvar: physical address unknown" "physical address unknown"
see "panel: why (VM_PFNMAP)" "VM_PFNMAP"
see "panel: VmFlags" "VmFlags: "
contains "VmFlags has pf" "$(tm_line VmFlags:)" "pf"

# pages of the touched anon VMA: table with PFNs
tm_cmd "goto $touched"
see ":goto opens the page table" "| table |"
see "table header" "ADDRESS      STATE       PFN        PHYS"
row=$(tm_line "$touched anon")
matches "touched page present with a PFN" "$row" "^0*$touched anon +[0-9a-f]+ +[0-9a-f]+000 "
n=$(tm_screen | grep -cE '^[0-9a-f]+ anon +[0-9a-f]+ ')
check "all 16 touched pages present (got $n)" [ "$n" -ge 16 ]
contains "info line: explanation of the state" "$(tm_screen | tail -2 | head -1)" "Present anonymous page"
# paging keys move through the address space
tm_keys PageDown
see "PgDn moves a screen down" "not-present" 3
tm_keys Home
see "Home: start of this VMA" "$touched anon"
tm_keys End
tm_keys Home
tm_keys Down Up

# half-touched: alternate present / not present
tm_cmd "goto $half"
see "goto another VMA" "$half anon"
lines=$(tm_screen | sed -n "/^0*$half /,\$p" | head -4 | awk '{print $2}' | tr '\n' ' ')
equals "half touched: anon, not-present, ..." "$lines" "anon not-present anon not-present "

# the hole between two mappings is visible
tm_cmd "goto $holea"
see "goto a hole: a hole row" "hole " 3
see "the hole says unmapped" "unmapped, up to"

# map form
tm_cmd "goto $touched"
tm_keys m
see "m: map form" "map 1 pg/cell"
see "map legend" "anon"
row=$(tm_line "$touched ")
matches "map row of 16 anon cells" "$row" "^0*$touched aaaaaaaaaaaaaaaa"
see "map info: cell state" "$touched: present, 1 anon"
tm_keys Right
see "Right moves one cell" "$(printf '%x' $((0x$touched + 4096))): present"
tm_keys Left

# zero page and THP cells (THP only when the kernel gave one)
tm_cmd "goto $zero"
see "goto the zero-page VMA in the map" "$zero "
matches "read-only touched pages show as zero page" "$(tm_line "$zero ")" "^0*$zero zzzz"

# zoom: 2 pages per cell, the aggregate of the half-touched VMA
tm_cmd "goto $half"
tm_keys -
see "- zooms out" "map 2 pg/cell"
matches "2 pages per cell, half present: 5 tenths" "$(tm_line "$half ")" "^0*$half 55555555"
see "cell info: aggregate counts" "2 pages: 1 present (1 anon), 0 swapped, 1 not present"
tm_keys +
see "+ zooms in" "map 1 pg/cell"

# [vvar] in the map: a PFNMAP gap
tm_cmd "goto [vvar]"
see "goto by name" "[vvar]"
matches "vvar cells are gap cells" "$(tm_screen | grep -E '^[0-9a-f]+ ~' | head -1)" "^[0-9a-f]+ ~+"
see "gap cell info" "gap: pagemap cannot see"

# Enter on a page: detail
tm_cmd "goto $touched"
tm_keys Enter
see "Enter opens the page detail" "page $touched"
see "detail: physical address and PFN" "(PFN 0x"
see "detail: present bit set" "[x] 63 present"
see "detail: exclusive bit explained" "exclusive: mapped by exactly"
see "detail: map count" "Map count  1"
see "detail: cgroup line" "Cgroup     "
see "detail: kpageflags" "kpageflags 0x"
tm_keys /; tm_type " 5 LRU"; tm_keys Enter
see "detail: LRU explained" "least-recently-used"
tm_keys /; tm_type "14 SWAPBACKED"; tm_keys Enter
see "detail: SWAPBACKED explained" "backed by swap"
tm_keys /; tm_type "11 MMAP"; tm_keys Enter
see "detail: MMAP explained" "mapped into at least one"
tm_keys ']'
see "] next page" "page $(printf '%x' $((0x$touched + 4096)))"
tm_keys Escape
see "Esc: back to the map" "map 1 pg/cell"
tm_keys m
see "m: back to the table" "| table |"
tm_keys Escape
see "Esc: back to the VMAs" "START "
tm_keys Escape
see "Esc: back to the process list" "processes:"

# :translate
tm_cmd "pid $pid"
see ":pid opens a process" "PID $pid uipages"
tm_cmd "translate $touched"
see ":translate opens the page detail" "page $touched"
see ":translate says the physical address" "-> physical 0x"

tm_quit
finish
