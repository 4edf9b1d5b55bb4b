#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reading at 80x24 (issue 13, points 1-5 and 7), on the pc demo: help
# wraps and PgDn/Space turn its page, the info line says where, not the
# line again; the VMA list keeps its columns for [vsyscall] and ends the
# user address space at TASK_SIZE; the page table's FLAGS legend and
# cgroup leaf; map rows of 64 cells under an address ruler, legend with
# p and 1-9; the sort mark means one thing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

tm_start 80 24 -- "$VMSCOPE" --demo
see "demo starts" "processes:"
contains "RSS sorts descending: down arrow" "$(tm_line "PID  USER")" "RSS↓"
tm_keys '<' '<'
see "< to PID" "sort PID"
contains "PID sorts ascending: up arrow" "$(tm_line "  PID")" "PID↑"
tm_keys S
see "S reverses PID" "sort PID rev desc"
contains "PID reversed: down arrow" "$(tm_line "  PID")" "PID↓"

# help: wrapped, paged
tm_keys '?'
see "help opens" "help (Esc: back)"
before=$(tm_screen | sed -n 2p)
tm_keys NPage
tm_line_changes "Keys:" "" 1
after=$(tm_screen | sed -n 2p)
check "the first PgDn turns the page" [ "$before" != "$after" ]
matches "the info line says where, not the line again" "$(tm_screen | tail -2 | head -1)" "^lines "
see "the info line says where in the help" "lines 21-"
tm_keys Space
see "Space turns the page in help" "lines 41-"
not_see "Space does not pause in help" "PAUSED"
tm_keys Home
tm_type "/"; tm_type "zoom to fit"; tm_keys Enter
see "the zoom line" "zoom to fit this VMA"
z=$(tm_screen | grep -A1 "zoom to fit this VMA" | tail -1)
contains "the zoom line wraps: nothing cut" "$z" "z)"
tm_esc

# VMA list: [vsyscall] in its columns, the last hole ends at TASK_SIZE
tm_keys Enter
# at 80 columns with [vsyscall]'s 16-digit addresses, START alone, so
# NAME keeps its room (END is START + SIZE; the panel has both)
see "VMAs" "START "
not_see "80 columns: no START-END squeezing NAME" "START-END"
tm_keys End
see "the vsyscall row" "[vsyscall]"
matches "[vsyscall]: its whole START, then PERM after a blank" "$(tm_line "[vsyscall]")" "^ffffffffff600000 +--xp"
p1=$(tm_line "START " | grep -bo PERM | cut -d: -f1)
p2=$(tm_line "[vsyscall]" | grep -bo -- "--xp" | cut -d: -f1)
equals "PERM column the same on the vsyscall row" "$p2" "$p1"
not_see "no 16E hole" " 16E "
# the demo's pagemap ends at its stack's end (TASK_SIZE as recorded)
not_see "no hole runs up to [vsyscall]" "-ffffffffff600000 "

# page table: FLAGS legend and cgroup leaf
tm_keys Home
tm_keys /; tm_type "[heap]"; tm_keys Enter
tm_keys Enter
see "table" "| table |"
see "FLAGS legend under the table" "FLAGS U UPTODATE, l LRU, M MMAP, a ANON"
# the demo's heap pages are in a cgroup with a long hashed leaf name
leaf=$("$VMSCOPE" --demo pages "$(sed -n 's/^pid=//p' "$TOP/demo/pc/subject.txt")" \
	"$(sed -n 's/^heap_var=0x//p' "$TOP/demo/pc/subject.txt")" | awk 'NR == 3 { n = split($6, p, "/"); print p[n] }')
row=$(tm_line " anon ")
matches "cgroup column: the leaf name, cut with a mark" "$row" " ${leaf:0:8}[0-9a-f]*…$"

# map: 64 cells per row, a ruler, p and 1-9 in the legend
tm_keys m
see "map" "map 1 pg/cell"
see "legend: p (hidden)" "p hidden"
see "legend: 1-9" "1-9 tenths"
see "address ruler" "offset       +0      +8000   +10000"
thp=$(sed -n 's/^thp=0x//p' "$TOP/demo/pc/subject.txt")
tm_keys /; tm_type "$thp"; tm_keys Enter
n=$(tm_screen | grep -E "^$thp " | sed 's/^[0-9a-f]* //' | tr -d '\n' | wc -c)
equals "a THP row holds 64 cells" "$n" 64
see "the next row is 0x40000 further" "$(printf '%x' $((0x$thp + 0x40000))) "

# page detail: the explanations beside the bits are cut with a mark,
# the panel shows the selected one whole
tm_keys Enter
see "detail" "pagemap entry"
tm_keys /; tm_type "swapped"; tm_keys Enter
l=$(tm_line "62 swapped")
matches "a cut explanation ends in the mark" "$l" "…$"
see "the panel has it whole" "swap type"
tm_quit

# live, at 200x50: the last hole of an x86_64 process ends at TASK_SIZE
if [ "$(uname -m)" = x86_64 ]; then
	tm_start 200 50 -- "$VMSCOPE" -p $$
	see "200x50: VMAs" "START-END"
	tm_keys End
	see "200x50: the hole below [vsyscall] ends at TASK_SIZE" "-7ffffffff000 "
	not_see "200x50: no 16E hole" " 16E "
	tm_quit
fi

# the kernel screen at 80x24: a note or a source line too long for the
# row ends in the mark, the panel shows it whole
tm_start 80 24 -- "$VMSCOPE" --demo=zynq-armv7
tm_cmd kernel
see "kernel screen" "kernel virtual layout"
see "a long area note ends in the mark" "slots for highmem pa…"
matches "the memory summary too" "$(tm_line ' available: ')" "…$"
tm_keys End
see "a source that was not used: cut with the mark" "/proc/modules: No suc…"
tm_quit
finish
