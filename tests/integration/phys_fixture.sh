#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 'vmscope phys' on the 32-bit ARM board fixture (zynq-armv7) with a
# /proc/iomem added: a heap page's frame names its process through the
# pagemap; the UIO registers and the UIO DMA buffer, which pagemap cannot
# see (VM_PFNMAP), are found through the maps and UIO sysfs; each address
# is placed on the map with its source.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"

ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
# A Zynq-7000's iomem as such a board shows it (written for this test):
# RAM with the DMA buffer carved out, the GPIO block the UIO map0 covers.
cat >"$ROOT/proc/iomem" <<'IOMEM'
00000000-2fffffff : System RAM
  00100000-00bfffff : Kernel code
  00d00000-00e3ffff : Kernel data
34000000-3fffffff : System RAM
41200000-4120ffff : /amba_pl/gpio@41200000
e0001000-e0001fff : xuartps
IOMEM
vm() { "$VMSCOPE" --root "$ROOT" "$@"; }

out=$(vm phys 0x1f3a2010); rc=$?
equals "heap frame: exit 0" "$rc" 0
contains "heap frame: PFN and offset" "$out" "physical address 0x1f3a2010: PFN 0x1f3a2, offset 0x10 in a 4.0K page"
contains "heap frame: in System RAM, from iomem line 1" "$out" "range:   System RAM (ram, 0x0-0x2fffffff)"
contains "heap frame: the source is named (root-relative)" "$out" "from /proc/iomem line 1"
contains "heap frame: page flags and map count" "$out" "page:    UPTODATE,LRU,MMAP,ANON,SWAPBACKED, map count 1, cgroup /system.slice/gpio-demo.service"
matches "heap frame: mapped by gpio-demo's heap, at an 8-digit address (a 32-bit board)" "$out" '^  1234 +gpio-demo +00013000 \[heap\]$'
contains "heap frame: how many processes were looked at" "$out" "looked at 1 process: 1 with an address space"

out=$(vm phys 0x00100000)
contains "kernel code address: path through System RAM" "$out" "range:   System RAM > Kernel code"
contains "kernel code address: no process maps it" "$out" "mapped:  by no process"

out=$(vm phys 41200004)
contains "UIO registers: range under the GPIO device" "$out" "range:   /amba_pl/gpio@41200000 > uio0 map0 (gpio@41200000) (uio, 0x41200000-0x41200fff)"
contains "UIO registers: source is UIO sysfs" "$out" "/sys/class/uio/uio0/maps/map0"
matches "UIO registers: mapped by gpio-demo through /dev/uio0 map0" "$out" '^  1234 +gpio-demo +b6f14000 /dev/uio0 via uio0 map0 '

out=$(vm phys 0x30001123)
contains "DMA buffer: outside System RAM, named by UIO" "$out" "range:   uio0 map1 (dma-buffer)"
matches "DMA buffer: second page of map1 at b2eff000" "$out" '^  1234 +gpio-demo +b2eff000 /dev/uio0 via uio0 map1 '

out=$(vm phys 0x20000000)
contains "free RAM: in System RAM" "$out" "range:   System RAM"
contains "free RAM: no process" "$out" "mapped:  by no process"

json=$(vm --json phys 0x41200004)
check "phys --json is valid JSON" jq -e . <<<"$json" >/dev/null
equals "json: range path" "$(jq -r .range.path <<<"$json")" "/amba_pl/gpio@41200000 > uio0 map0 (gpio@41200000)"
equals "json: mapped_by pid/vaddr/via_gap" "$(jq -c '[.mapped_by[] | [.pid, .vaddr, .via_gap]]' <<<"$json")" '[[1234,"0xb6f14000",true]]'
equals "json: lookup counts" "$(jq -c '[.lookup.processes, .lookup.vanished, .lookup.unreadable]' <<<"$json")" "[1,0,0]"
json=$(vm --json phys 0x1f3a2010)
equals "json: page flags" "$(jq -r '.page.kpageflags | join(",")' <<<"$json")" "UPTODATE,LRU,MMAP,ANON,SWAPBACKED"
equals "json: frame found by pagemap" "$(jq -c '[.mapped_by[] | [.pid, .vaddr, .how]]' <<<"$json")" '[[1234,"0x13000","pagemap"]]'

out=$(vm phys --no-lookup 0x1f3a2010)
contains "--no-lookup: says so" "$out" "mapped:  not looked up: --no-lookup given"
out=$(vm phys 2>&1); rc=$?
equals "no address: usage exit 64" "$rc" 64
contains "no address: says what to give" "$out" "phys needs a physical address"
out=$(vm phys 0xqq 2>&1); rc=$?
equals "bad address: usage exit 64" "$rc" 64

out=$(vm kernel)
contains "kernel: UIO map nested in its device (iomem style)" "$out" "  41200000-41200fff    4.0K uio       uio0 map0 (gpio@41200000)  [uio sysfs]"
contains "kernel: says the snapshot has no boot log" "$out" "the snapshot has no boot.log"
finish
