#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Real boot logs of 32-bit ARM (with LPAE too), 32-bit x86, arm64, x86_64 (e820, EFI), PowerPC
# 32/64, MIPS (Malta, OpenWrt, Ingenic) and RISC-V (Sv39/48/57) boards
# (tests/fixtures/bootlogs/NAME.log, cited in NAME.source): the ranges
# 'vmscope kernel --bootlog NAME.log --bootlog-only' finds must be exactly
# those NAME.expect lists, with hidden pointers and skipped lines.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"
B=$FIXTURES/bootlogs

# One line per finding: "SPACE KIND START END NAME" (END exclusive),
# "hidden WHAT", "skip LINE REASON", "memory AVAILABLE_KIB TOTAL_KIB".
findings() {
	jq -r '
	  (.physical[] | "phys \(.kind) \(.start) \(.end) \(.name)"),
	  (.mm[]       | "mm \(.kind) \(.start) \(.end) \(.name)"),
	  (.virtual[]  | "virt \(.kind) \(.start) \(.end) \(.name)"),
	  (.hidden[]   | "hidden \(.what)"),
	  (.skipped.lines[] | "skip \(.line) \(.reason)"),
	  (if .memory then "memory \(.memory.available_kib) \(.memory.total_kib)" else empty end)'
}

if [ "${1:-}" = --regen ]; then   # write NAME.expect from the parser (review it!)
	for log in "$B"/*.log; do
		{ echo "# What $(basename "$log") must yield: SPACE KIND START END(exclusive) NAME,"
		  echo "# hidden pointers, skipped lines, the Memory: line.  Checked by hand against"
		  echo "# the log; regenerate with tests/integration/kernel_bootlogs.sh --regen and"
		  echo "# review the diff."
		  "$VMSCOPE" --json kernel --bootlog "$log" --bootlog-only | findings; } >"${log%.log}.expect"
	done
	exit 0
fi

n=0
for log in "$B"/*.log; do
	name=$(basename "$log" .log)
	[ -f "$B/$name.source" ] || fail "$name: has a .source citing where it came from"
	json=$("$VMSCOPE" --json kernel --bootlog "$log" --bootlog-only); rc=$?
	equals "$name: kernel --bootlog exits 0" "$rc" 0
	got=$(findings <<<"$json")
	want=$(grep -v '^#' "$B/$name.expect")
	if [ "$got" = "$want" ]; then
		ok "$name: ranges, hidden and skipped lines as expected"
	else
		fail "$name: ranges, hidden and skipped lines as expected"
		diff <(echo "$want") <(echo "$got") | sed 's/^/#   /' | head -30
	fi
	equals "$name: every range names its boot log line" \
		"$(jq '[.physical[],.mm[],.virtual[] | .sources[] | select(.source=="boot log" and .line==null)] | length' <<<"$json")" 0
	n=$((n + 1))
done
[ "$n" -ge 5 ] && ok "at least 5 real boot logs ($n)" || fail "at least 5 real boot logs ($n)"

# The text a person reads: hidden pointers and cut lines are said, and a
# log of another (or an unnamed) kernel is not mixed with this machine's.
out=$("$VMSCOPE" kernel --bootlog "$B/arm32-rpi4-ptrval.log"); rc=$?
equals "text: exit 0" "$rc" 0
contains "text: an unnamed kernel's log is read alone" "$out" 'no "Linux version" line): the root'"'"'s other sources are left out'
not_contains "text: so no iomem of this machine" "$out" "iomem:"
contains "text: hashed .text is hidden, with its line" "$out" ".text from $B/arm32-rpi4-ptrval.log line 7: the boot log printed it as a hashed pointer"
not_contains "text: and never shown as an address" "$out" "(ptrval)  ["
contains "text: the cut line is reported" "$out" "line 21: last line, cut off (no newline): [    0.000715] cons"
out=$("$VMSCOPE" kernel --bootlog "$B/arm32-a33-3.4.log")
contains "text: another kernel's log is read alone" "$out" "the boot log is of kernel 3.4.39, not $(uname -r)"
matches "text: ARM layout entry with its note" "$out" '^ffff0000 - ffff1000 +4.0K area +vector +\[boot log:27\] +exception vectors'
matches "text: 3.x CMA line with its source" "$out" '^58000000-5fffffff +128M cma +CMA area +\[boot log:7\]$'
contains "text: the Memory: summary" "$out" "memory (boot log line 25): 368M of 368M available; 144M reserved, 0B highmem"
not_contains "text: a log with a layout block gets no note of its absence" "$out" 'no "Virtual kernel memory layout" block'
out=$("$VMSCOPE" kernel --bootlog "$B/x86_64-mem4g.log" --bootlog-only)
contains "text: a log without a layout block says why the virtual space is empty" "$out" \
	'note: the boot log has no "Virtual kernel memory layout" block (x86_64 kernels never print one'
# each architecture's note is true for it: MIPS never printed one, 32-bit
# ARM stopped in 5.1, 64-bit PowerPC never did; PowerPC-32's own block
out=$("$VMSCOPE" kernel --bootlog "$B/mips-malta-3.2.log" --bootlog-only)
contains "text: MIPS: the note says MIPS never prints one" "$out" 'block (MIPS kernels never print one'
not_contains "text: MIPS: and blames no arm64 kernel" "$out" 'arm64'
matches "text: MIPS ROM data is RAM holding firmware data, not a device" "$out" '^00001000-000effff +956K reserved +memory ROM data \(RAM holding the firmware'
out=$("$VMSCOPE" kernel --bootlog "$B/arm32-rpi400-5.10.log" --bootlog-only)
contains "text: ARM 5.10: the note says 32-bit ARM stopped in 5.1" "$out" '32-bit ARM kernels print one before 5.1 only, commit 1c31d4e96b8c removed it, and this is 5.10.11-v7l+'
out=$("$VMSCOPE" kernel --bootlog "$B/ppc64le-pseries-5.1.log" --bootlog-only)
contains "text: ppc64: never prints one" "$out" '64-bit PowerPC kernels never print one, only 32-bit ones did (before 6.15)'
out=$("$VMSCOPE" kernel --bootlog "$B/ppc32-powermac-g4-6.8.log" --bootlog-only)
matches "text: PowerPC-32 layout entry read" "$out" '^f1000000 - f5110000 +65M area +vmalloc & ioremap +\[boot log:67\]'
not_contains "text: PowerPC-32: no note of a missing block" "$out" 'no "Virtual kernel memory layout" block'
# RISC-V Sv39/48/57 (print_vm_layout with CONFIG_DEBUG_VM): its "kernel"
# is the 2 GiB area the image is mapped in, not the image
out=$("$VMSCOPE" kernel --bootlog "$B/riscv64-sv57-qemu-6.5.log" --bootlog-only)
matches "text: RISC-V Sv57 vmalloc read" "$out" '^ff20000000000000 - ff60000000000000 +16P area +vmalloc +\[boot log:34\]'
matches "text: RISC-V kernel is an area, not the image" "$out" '^ffffffff80000000 - 10000000000000000 +2\.0G area +kernel +\[boot log:37\] +where the kernel image is mapped'
# the EFI memory map (efi_print_memmap): types to kinds, runtime noted
out=$("$VMSCOPE" kernel --bootlog "$B/x86_64-efi-numeric.log" --bootlog-only)
matches "text: EFI runtime data is reserved, runtime-mapped" "$out" '^ae0d3000-ae373fff +2\.6M reserved +EFI Runtime Services Data, runtime-mapped +\[boot log:7\]$'
matches "text: EFI conventional memory is RAM" "$out" '^ae392000-baf20fff +204M ram +EFI Conventional Memory'
contains "text: an EFI-map-only log is x86's" "$out" '(x86_64 kernels never print one'
out=$("$VMSCOPE" kernel --bootlog "$B/x86_64-efi-xcat-3.x.log" --bootlog-only)
matches "text: EFI ACPI NVS is ACPI (syslog prefix, exclusive end)" "$out" '^0006c000-0006cfff +4\.0K acpi +EFI ACPI Memory NVS +\[boot log:4\]$'
# 32-bit ARM with LPAE (cr has AFE, bit 29) and highmem: pkmap, lowmem
out=$("$VMSCOPE" kernel --bootlog "$B/arm32-lpae-rzg1m-4.4.log" --bootlog-only)
contains "text: ARM LPAE: said, from the control register" "$out" 'note: this 32-bit ARM kernel uses LPAE (cr=30c5387d has AFE, bit 29'
matches "text: ARM LPAE: pkmap" "$out" '^bfe00000 - c0000000 +2\.0M area +pkmap +\[boot log:31\] +persistent kmap'
contains "text: ARM LPAE: 512 MB of highmem in the Memory: line" "$out" '384M cma-reserved, 512M highmem'
out=$("$VMSCOPE" kernel --bootlog "$B/arm32-a33-3.4.log" --bootlog-only)
not_contains "text: ARM without LPAE (cr=10c5387d): not said" "$out" 'LPAE'
# pools under 1 MiB (coherent.c prints "size 0 MiB", rounded down)
out=$("$VMSCOPE" kernel --bootlog "$B/arm64-avaota-pools-5.15.log" --bootlog-only)
matches "text: a 0 MiB pool is listed as < 1 MiB, its node named first" "$out" \
	'^4ac00000-4ac00fff .*carveout +reserved-memory DMA memory pool \(vdev0buffer@4ac00000\), < 1 MiB: the log gives its start only +\[boot log:7\]$'
equals "text: all three 0 MiB pools are listed" "$(grep -c '< 1 MiB' <<<"$out")" 3
# arm64 stopped printing the block in 4.16-rc1 (071929dbdd86), not 4.15
contains "text: arm64 5.15: the note says 4.16" "$out" 'arm64 kernels print one before 4.16 only, commit 071929dbdd86 removed it, and this is 5.15.154'
# a log of many boots: a range given by every boot lists a few sources in
# text (all of them in JSON), so no line grows with the log
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$B/x86_64-mem4g.log"; done >"$TMPD/ten.log"
out=$("$VMSCOPE" kernel --bootlog "$TMPD/ten.log" --bootlog-only)
matches "ten boots: a range's sources are capped in text" "$out" \
	'^0000000000000000-000000000009abff .*\[boot log:[0-9]+(, boot log:[0-9]+){5}, \+14 more\]$'
equals "ten boots: JSON lists all twenty (each boot prints the e820 map twice)" \
	"$("$VMSCOPE" --json kernel --bootlog "$TMPD/ten.log" --bootlog-only | jq '.physical[0].sources | length')" 20
out=$("$VMSCOPE" phys --bootlog "$TMPD/ten.log" --no-lookup 0x1000)
contains "ten boots: phys caps them too, and says where the rest are" "$out" "+14 more (--json lists them all)"
out=$("$VMSCOPE" kernel --bootlog "$TMPD/none.log" 2>&1); rc=$?
equals "missing --bootlog file: exit 1" "$rc" 1
contains "missing --bootlog file: named" "$out" "cannot open boot log '$TMPD/none.log'"
out=$("$VMSCOPE" kernel --frobnicate 2>&1); rc=$?
equals "unknown option: usage exit 64" "$rc" 64
finish
