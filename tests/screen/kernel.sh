#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kernel screen: the kernel's virtual layout like a process's VMAs
# (kallsyms' image sections here, the boot log's "Virtual kernel memory
# layout" on the board demo), each range's sources, what the kernel hid
# and why, the sources read; reached with v or :kernel ADDR, listed in
# the help; usable at 80x24 and 40x12, too small at 20x6.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms 2>/dev/null)
case $text in ""|0000000000000000) text= ;; esac

tm_start 80 24 -- "$VMSCOPE"
see "starts on the process list" "processes:"
tm_keys v
see "v opens the kernel screen" "kernel virtual layout (START-END, end exclusive)"
contains "title counts the virtual ranges" "$(tm_screen | head -1)" "virtual range"
see "column header" "START-END                           SIZE KIND     NAME"
if [ -n "$text" ] && [ "$(id -u)" = 0 ]; then
	matches ".text from kallsyms, at _text" "$(tm_line ' .text ')" \
		"^$text-[0-9a-f]{16} +[0-9.]+[KMG] image +\.text +kernel code"
	see "panel: the source, file and line" "from /proc/kallsyms line"
	tm_keys Escape
	see "Esc: back to the list" "processes:"
	tm_cmd "kernel $(printf '%x' $((0x$text + 0x1234)))"
	see ":kernel ADDR opens it there" "kernel virtual layout"
	see "... with .text selected" ".text: kernel code [kallsyms:"
	tm_keys Enter
	see "Enter: the range in full" "the selected item in full"
	see "... with each source's line" "from /proc/kallsyms line"
	tm_keys Escape
	see "Esc: back to the list" "START-END"
	see "... still on the kernel screen" "kernel virtual layout"
fi
# x86_64 prints no virtual layout at boot: the screen says so under it
if [ "$(uname -m)" = x86_64 ] && [ "$(id -u)" = 0 ]; then
	tm_keys /; tm_type "note:"; tm_keys Enter
	see "notes: right under the layout" "notes"
	see "... why there is no vmalloc or direct map" "KASLR places the direct map, vmalloc and vmemmap at random"
	tm_keys Enter
	see "... Enter: the whole note" "kernel image is placed (from /proc/kallsyms"
	tm_esc
fi
# the sources: search them
tm_keys /; tm_type "iomem"; tm_keys Enter
# (a note may name /proc/iomem too: n goes on to the next match)
tm_wait "sources" 1 || tm_keys n
see "the sources are listed" "sources"
matches "/proc/iomem among them" "$(tm_line '/proc/iomem ')" "^/proc/iomem +([0-9]+ ranges|not used)"
tm_keys R
see "R reads the ranges again" "ranges read again in"

# help lists the keys and commands
tm_keys '?'
see "help opens" "Keys: everywhere"
tm_keys /; tm_type "the kernel's virtual layout"; tm_keys Enter
tm_wait "the kernel's virtual layout (:kernel)"
matches "help: v opens it" "$(tm_line "the kernel's virtual layout (:kernel)")" "^ v +the kernel"
tm_keys /; tm_type "Keys: kernel layout"; tm_keys Enter
see "help: the kernel screen's keys" "Keys: kernel layout"
tm_keys /; tm_type ":kernel"; tm_keys Enter
see "help: the :kernel command" ":kernel [ADDR]"
tm_esc

# small terminals
tm_resize 40 12
see "40x12: the list" "START              SIZE NAME" 2
equals "40x12: no line wider than the terminal" "$(tm_screen | sed 's/…/./g' | awk '{ if (length($0) > 40) n++ } END { print n+0 }')" 0
if [ -n "$text" ] && [ "$(id -u)" = 0 ]; then
	tm_keys g
	tm_wait ' .text'
	matches "40x12: .text with its start" "$(tm_line ' .text')" "^$text +[0-9.]+[KMG] +\.text"
fi
tm_keys j j k Enter
see "40x12: Enter shows the item in full" "the selected item in full"
tm_esc
tm_resize 20 6
see "20x6: too small" "terminal too small" 2
tm_keys j k Enter v
check "20x6: keys do not crash it" [ -z "$(tm_exit_status)" ]
tm_resize 80 24
see "80x24 again" "kernel virtual layout" 2
tm_quit

# the board: the boot log's layout, and pointers it printed hashed
tm_start 80 24 TMPDIR="$TMPD" XDG_RUNTIME_DIR= -- "$VMSCOPE" --demo=zynq-armv7
see "board demo starts" "gpio-demo"
tm_cmd "kernel"
see ":kernel opens the kernel screen" "kernel virtual layout"
matches "vmalloc from the boot log" "$(tm_line ' vmalloc ')" "^f0800000-ff800000 +240M area +vmalloc +vmalloc\(\) and ioremap\(\)"
matches "lowmem: the direct map" "$(tm_line ' lowmem ')" "^c0000000-f0000000 +768M area +lowmem"
tm_keys /; tm_type "vmalloc"; tm_keys Enter
see "panel: vmalloc's boot log line" "zynq-armv7/boot.log line 30:"
matches "hidden .text: a row without an address" "$(tm_line ' .text')" "^\(hidden\) +- hidden +\.text$"
tm_keys /; tm_type ".text"; tm_keys Enter
see "the hidden pointer's why" "hidden: the boot log printed it as a hashed pointer \"(ptrval)\""
not_see "a hashed pointer is never shown as an address" "(ptrval)  "
tm_keys R
see "R on a snapshot: unavailable, says why" "not on a snapshot"
tm_quit "board demo: vmscope"

# RISC-V Sv57 and PowerPC-32 boards: a root with their real boot logs
# (tests/fixtures/bootlogs) and nothing else
for fam in riscv64:6.5.0:riscv64-sv57-qemu-6.5 ppc:6.8.0-rc7:ppc32-powermac-g4-6.8; do
	IFS=: read -r arch rel log <<<"$fam"
	mkdir -p "$TMPD/$arch/proc"
	printf 'format=1\npage_size=4096\narch=%s\nkernel_release=%s\nhostname=board\ntime=2026-11-02T10:14:00Z\npfn_visible=1\nprocesses=0\n' \
		"$arch" "$rel" >"$TMPD/$arch/vmscope-snapshot.conf"
	cp "$FIXTURES/bootlogs/$log.log" "$TMPD/$arch/boot.log"
done
tm_start 80 24 -- "$VMSCOPE" --root "$TMPD/riscv64"
tm_cmd "kernel"
see "RISC-V: the kernel screen" "kernel: 7 virtual ranges, 0 hidden | 6.5.0"
matches "RISC-V Sv57: vmalloc, 16 PiB" "$(tm_line ' vmalloc ')" "^ff20000000000000-ff60000000000000 +16P area +vmalloc +vmalloc\(\) and iorema"
matches "RISC-V: kernel is the area the image is mapped in" "$(tm_line ' kernel ')" "^ffffffff80000000-10000000000000000 +2\.0G area +kernel +where the kernel"
tm_cmd "kernel ffffffff80001000"
see "panel: its boot log line" "boot.log line 37:"
tm_quit "RISC-V root: vmscope"
tm_start 80 24 -- "$VMSCOPE" --root "$TMPD/ppc"
tm_cmd "kernel"
see "PowerPC-32: the kernel screen" "kernel: 6 virtual ranges"
matches "PowerPC-32: highmem PTEs explained" "$(tm_line ' highmem PTEs')" "^f5400000-f5800000 +4\.0M area +highmem PTEs +persistent kmap\(\) slots"
matches "PowerPC-32: early ioremap explained" "$(tm_line ' early ioremap')" "^f5115000-f5400000 +2\.9M area +early ioremap +ioremap\(\) mappings made at boo"
equals "PowerPC-32: no line wider than 80" "$(tm_screen | grep -v '^─' | sed 's/…/./g' | awk '{ if (length($0) > 80) n++ } END { print n+0 }')" 0
tm_quit "PowerPC root: vmscope"

# not root: kallsyms reads as zeros: hidden, with why
if nobody_prepare; then
	tm_start 80 24 -- "${NOBODY[@]}" "$NOBODY_VMSCOPE"
	see "as nobody: starts" "processes:"
	tm_keys v
	see "as nobody: kernel screen" "kernel virtual layout"
	tm_keys /; tm_type "kernel symbol"; tm_keys Enter
	see "as nobody: kallsyms addresses hidden" "kernel symbol addresses ("
	see "... and why" "kptr_restrict"
	not_see "as nobody: no address made up" "0000000000000000-"
	tm_quit "as nobody: vmscope"
else
	echo "# skip: as nobody: $NOBODY_WHY"
fi
finish
