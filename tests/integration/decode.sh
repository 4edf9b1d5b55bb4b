#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 'vmscope decode': real kernel messages of each architecture (in
# tests/fixtures/oops, each with its .source) decode to what their .expect
# lists; the same text from arguments and from stdin; JSON; entries
# computed from the ARM manual placed on the zynq-armv7 board's map with
# its findings (device mapped cached, RAM mapped uncached, a pointer
# where a frame belongs); usage errors.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"

OOPS=$FIXTURES/oops
for txt in "$OOPS"/*.txt; do
	name=$(basename "$txt" .txt)
	check "$name: has its source" test -s "$OOPS/$name.source"
	out=$("$VMSCOPE" decode --no-map - <"$txt"); rc=$?
	equals "$name: exit 0" "$rc" 0
	while IFS= read -r want; do
		contains "$name: $want" "$out" "$want"
	done <"$OOPS/$name.expect"
done

# The text as arguments gives what stdin gives.
args=$("$VMSCOPE" decode --no-map PGD 8a983067 PUD c7e5a067 PMD 91588067 PTE ffffffff8048a025)
contains "arguments: the x86 walk is read" "$args" "pte 0xffffffff8048a025: PTE, leaf (walk 1, line 1)"
contains "arguments: the kernel address is named" "$args" "finding: kernel-virtual-address"

# JSON: one object, the findings by id.
js=$("$VMSCOPE" --json decode --no-map - <"$OOPS/x86_64-kmem-kva.txt")
equals "json: arch" "$(jq -r .arch <<<"$js")" x86_64
equals "json: error code bits" "$(jq -c .error_code.bits <<<"$js")" '["P","U","RSVD"]'
equals "json: the PTE's finding" "$(jq -r '.entries[3].findings[0].id' <<<"$js")" kernel-virtual-address
equals "json: the PTE's frame" "$(jq -r '.entries[3].pfn' <<<"$js")" 0xfffff8048a
equals "json: attributes by name" "$(jq -r '.entries[3].attributes["no-execute"]' <<<"$js")" "yes (XD=1)"
js=$("$VMSCOPE" decode --json --no-map - <"$OOPS/arm-kva-mv88e6060.txt")
equals "json: ARM pointer found" "$(jq -r '.entries[1].findings[0].id' <<<"$js")" kernel-virtual-address

# Entries from the ARM manual on the Zynq board's map (its iomem as in
# phys_fixture.sh): small pages, AP=01, TEX remap index 3 (write-back) or
# 0 (strongly-ordered).
ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
cat >"$ROOT/proc/iomem" <<'IOMEM'
00000000-2fffffff : System RAM
  00100000-00bfffff : Kernel code
34000000-3fffffff : System RAM
41200000-4120ffff : /amba_pl/gpio@41200000
IOMEM
vm() { "$VMSCOPE" --root "$ROOT" "$@"; }
out=$(vm decode --level ppte 0x4120001f)
contains "board: arch from the root" "$out" "architecture: arm, short (from the root (armv7l))"
contains "board: placed on the GPIO block's UIO map" "$out" "on the map     /amba_pl/gpio@41200000 > uio0 map0 (gpio@41200000) (uio, 0x41200000-0x41200fff)"
contains "board: registers mapped cached" "$out" "finding: cached-device"
contains "board: what to pass instead" "$out" "pgprot_noncached(vma->vm_page_prot)"
out=$(vm decode --level ppte 0x1f3a2013)
contains "board: RAM mapped strongly-ordered" "$out" "finding: uncached-ram"
not_contains "board: RAM is not a device" "$out" "cached-device"
contains "board: the frame's page flags from the snapshot" "$out" "kpageflags     UPTODATE,LRU,MMAP,ANON,SWAPBACKED, map count 1"
out=$(vm decode --level ppte 0xc1234013)
contains "board: a lowmem pointer as a frame" "$out" "finding: kernel-virtual-address: the frame field holds 0xc1234000, an address in lowmem"
contains "board: beyond RAM" "$out" "finding: beyond-ram"
out=$(vm decode --level ppte 0x41200013)
not_contains "board: strongly-ordered registers are right" "$out" "finding:"
out=$(vm decode --no-map --level ppte 0x4120001f)
not_contains "board: --no-map places nothing" "$out" "on the map"
out=$(vm decode - <"$OOPS/x86_64-kmem-kva.txt")
contains "board: an x86 message is not placed on an ARM map" "$out" "not placed: the message is from a machine of another architecture (x86_64)"

# Untrusted text: control characters escaped; a long paste is capped.
out=$(printf 'PTE 8000000000000067\n#PF: error_code(0x000b) - \033[31mred\n' | "$VMSCOPE" decode --no-map -)
contains "hostile: the escape sequence is shown escaped" "$out" 'the kernel said: \e[31mred'
out=$(yes "PTE 8000000203f12867 " | head -c 300000 | "$VMSCOPE" decode --no-map -)
contains "long paste: says what was left out" "$out" "only the first 32 entries of the text are decoded"
head -c 1000000 /dev/urandom | "$VMSCOPE" decode --no-map - >/dev/null 2>&1
check "random bytes: no crash" test $? -le 1

# Usage.
"$VMSCOPE" decode >/dev/null 2>&1; equals "no text: usage" "$?" 64
err=$("$VMSCOPE" decode --arch vax 1234 2>&1); rc=$?
equals "unknown arch: usage" "$rc" 64
contains "unknown arch: the choices" "$err" "x86_64, x86_32, arm, arm64, riscv"
err=$("$VMSCOPE" decode --arch arm --mode sv39 1234 2>&1); rc=$?
equals "wrong mode: usage" "$rc" 64
contains "wrong mode: the arch's modes" "$err" "short, lpae"
out=$("$VMSCOPE" decode --no-map "nothing here" 2>&1); rc=$?
equals "no values: exit 1" "$rc" 1
contains "no values: says so" "$out" "no page-table values found in the text"
out=$("$VMSCOPE" decode --no-map --arch riscv --mode sv39 --level pmd 0x200000cf)
contains "riscv: a 2 MiB leaf" "$out" "leaf: 2048 KiB page"
finish
