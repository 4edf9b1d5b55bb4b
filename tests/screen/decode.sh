#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# :decode in the explorer at 80x24: a pasted x86 line from a real message
# (tests/fixtures/oops/x86_64-kmem-kva.txt) opens a text screen that
# wraps at the terminal's width, names the kernel address in the PTE and
# scrolls; on the Zynq board fixture an entry of its GPIO registers is
# placed on the board's map; Esc goes back; :decode without text says
# what it needs.  The detail of a gap page (/dev/uio0) shows the PTE a
# correct uncached mapping of its registers holds; D on that page (the
# page table, the page map, the detail) decodes that entry bit by bit on
# the decode screen, and the table's line for the gap fits 80 columns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq") || { fail "fixture builds"; finish; exit 1; }
# lines of the screen wider than $1 characters
too_wide() { tm_screen | while IFS= read -r l; do [ ${#l} -gt "$1" ] && echo "$l"; done | wc -l; }

tm_start 80 24 -- "$VMSCOPE" --root "$ROOT"
see "fixture: gpio-demo listed" "gpio-demo"
tm_cmd "decode"
see ":decode alone says what it needs" ":decode needs the kernel's lines"
tm_cmd "decode PGD 8a983067 PUD c7e5a067 PMD 91588067 PTE ffffffff8048a025"
see "decode screen opens" "decode: page-table entries of a kernel message"
see "the architecture from the format" "architecture: x86_64, 4level (from the format 'PGD'"
see "the first entry" "pgd 0x8a983067: PML4E, table (walk 1, line 1)"
see "not placed on the ARM board's map" "not placed: the message is from a machine of"
tm_keys End
see "End: the PTE's finding" "finding: kernel-virtual-address: the entry 0xffffffff8048a025"
see "the finding wraps: its kernel address on the next row" "virtual address 0xffffffff8048a000"
equals "no line wider than 80" "$(too_wide 80)" 0
tm_keys Home
see "Home: back to the top" "architecture: x86_64"
tm_esc
see "Esc: back to the processes" "gpio-demo"
not_see "the decode screen is gone" "decode: page-table entries"
tm_cmd "decode *ppte=0x4120001e"
see "an ARM entry: the format gives the arch" "architecture: arm, short (from the format '*ppte'"
see "placed on the board's GPIO block" "uio0 map0 (gpio@41200000)"
see "registers mapped cached: named" "finding: cached-device"
tm_esc
# The detail of the /dev/uio0 page (a gap pagemap cannot see) shows the
# entry a correct uncached mapping of its registers would hold.
tm_cmd "pid 1234"
see "gpio-demo opens" "PID 1234 gpio-demo"
tm_cmd "translate b6f14000"
see "the gap page's physical address" "Physical   0x41200000"
see "the correct PTE for the registers" "Correct PTE 0x41200833 (arm ppte): TEX=000 C=0 B=0: strongly-ordered"
see "its frame, user and writable" "frame    0x41200, user yes, writable yes"
tm_keys D
see "D in the detail: the decode screen" "decode: the PTE a correct mapping holds (Esc: back)"
see "the entry as ARM's show_pte prints it" "as the kernel prints it: *ppte=41200833"
tm_esc
see "Esc: back to the detail" "PID 1234 gpio-demo | page b6f14000"
tm_esc
# The page table: the gap row's line fits, D decodes its correct entry.
tm_cmd "goto b6f14000"
see "the uio0 page in the table" "b6f14000 gap"
see "the gap's line, whole" "gap at 0x41200000 (uio0 map0): pagemap reads zeros; D: its correct PTE"
equals "no line wider than 80 in the table" "$(too_wide 80)" 0
tm_keys D
see "D: the decode screen opens" "decode: the PTE a correct mapping holds (Esc: back)"
see "which page and physical address" "page b6f14000: the entry a correct mapping of physical 0x41200000 holds,"
see "how a driver makes it" "made by io_remap_pfn_range(vma, addr, 0x41200000 >> PAGE_SHIFT, size,"
see "the arch and mode from its own text" "architecture: arm, short (from the format '*ppte' in the message)"
see "the entry decoded" "ppte 0x41200833: second-level, leaf (walk 1, line 1)"
see "strongly-ordered" "caching        TEX=000 C=0 B=0: strongly-ordered"
tm_keys End
see "its frame" "frame          0x41200, physical address 0x41200000"
see "placed on the board's GPIO registers" "on the map     uio0 map0 (gpio@41200000) (uio, 0x41200000-0x41200fff)"
not_see "a correct entry has no finding" "finding:"
equals "no line wider than 80 on the decode screen" "$(too_wide 80)" 0
tm_esc
see "Esc: back to the table" "b6f14000 gap"
# The page map: the gap cell offers D too.
tm_keys m
see "the map's gap line offers D" "b6f14000: uio gap: pagemap cannot see VM_PFNMAP/VM_IO; D: its PTE"
tm_keys D
see "D in the map: the decode screen" "as the kernel prints it: *ppte=41200833"
tm_esc
# A gap whose physical address nothing tells ([vectors], above the end
# of pagemap), and a page pagemap sees: D says why there is nothing.
tm_cmd "goto ffff0000"
tm_keys D
see "D on a gap without a physical address: why not" "page ffff0000: physical address unknown (not UIO or /dev/mem): no PTE to build"
tm_cmd "goto 12000"
tm_keys D
see "D elsewhere: why not" "D: only on a gap page (UIO, /dev/mem); this page is in pagemap"
tm_quit
finish
