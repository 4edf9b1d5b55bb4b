#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The 32-bit ARM board fixture (Zynq-like, two /dev/uio0 mappings) end to
# end through the batch commands: 32-bit address widths, heap pages by
# pagemap, UIO pages by sysfs, every translate outcome and its exit code.
. "$(dirname "$0")/../lib.sh"

ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
vm() { "$VMSCOPE" --root "$ROOT" "$@"; }

out=$(vm maps 1234); rc=$?
equals "maps exits 0" "$rc" 0
contains "header names the process and the snapshot" "$out" "process 1234 (gpio-demo), snapshot $ROOT: zynq-board armv7l 5.10.0-xilinx-v2021.2"
matches "heap row: 32-bit range, 132K, kind heap" "$out" '^00013000 00034000 rw-p +132K +8.0K +heap .*\[heap\]$'
matches "big uio0 mapping is marked as a gap of kind uio" "$out" '^b2efe000 b6dfe000 rw-s +63M +0B ! uio .*io pf.* /dev/uio0$'
contains "big uio0 mapping resolved through map1" "$out" "physical 0x30000000-0x33f00000 from uio0 map1 (sysfs addr 0x30000000, size 0x3f00000), region dma-buffer"
contains "one-page uio0 mapping resolved through map0" "$out" "physical 0x41200000-0x41201000 from uio0 map0 (sysfs addr 0x41200000, size 0x1000), region gpio@41200000"
contains "gap explained" "$out" "no struct page, so pagemap reads zeros"
matches "libc guard gap is kind guard" "$out" '^b6ee3000 b6ef3000 ---p .* guard .*libc-2\.31\.so$'
matches "[vectors] is listed" "$out" '^ffff0000 ffff1000 r-xp .*\[vectors\]$'

out=$(vm translate 1234 0x13010); rc=$?
equals "heap page translates (exit 0)" "$rc" 0
contains "heap address -> PFN 0x1f3a2 + offset" "$out" "0x13010 -> 0x1f3a2010"
contains "heap page flags decoded" "$out" "flags:   UPTODATE,LRU,MMAP,ANON,SWAPBACKED"
contains "heap page map count" "$out" "map count 1"
contains "heap page cgroup path from the snapshot's inodes" "$out" "cgroup:  /system.slice/gpio-demo.service"

out=$(vm translate 1234 b6f14004); rc=$?
equals "uio map0 page translates (exit 0)" "$rc" 0
contains "uio map0 address from sysfs" "$out" "0xb6f14004 -> 0x41200004"
contains "uio map0 region named" "$out" "region:  gpio@41200000"
out=$(vm translate 1234 0xb2eff123); rc=$?
equals "uio map1 page translates (exit 0)" "$rc" 0
contains "uio map1 address: page 1 of map1" "$out" "0xb2eff123 -> 0x30001123"

out=$(vm translate 1234 0x15000); rc=$?
equals "swapped heap page exits 4" "$rc" 4
contains "swap type and offset given" "$out" "swap type 0 at offset 0x42"
out=$(vm translate 1234 0x17000); rc=$?
equals "untouched heap page exits 3" "$rc" 3
contains "not-present reason" "$out" "never touched"
out=$(vm translate 1234 0x5000); rc=$?
equals "unmapped address exits 2" "$rc" 2
contains "not-mapped reason" "$out" "is in no mapping of process 1234"
out=$(vm translate 1234 b6dfe000); rc=$?
equals "libc text page translates" "$rc" 0
contains "shared libc page: file state, map count 12" "$out" "page:    file, PFN 0x1c000, map count 12"

out=$(vm pages 1234 13000-17000)
matches "pages: present anon row" "$out" '^00013000 anon +0x1f3a2 +0x1f3a2000 +1 /system\.slice/gpio-demo\.service UPTODATE,LRU,MMAP,ANON,SWAPBACKED,excl$'
matches "pages: second row dirty" "$out" '^00014000 anon +0x1f3a3 .*DIRTY'
matches "pages: swapped row with type/offset" "$out" '^00015000 swapped +swap:0/0x42 +- '
matches "pages: zero page row" "$out" '^00016000 zero +0xc5a .*ZERO_PAGE,RESERVED'
equals "pages: one line per page plus two header lines" "$(wc -l <<<"$out")" 6
out=$(vm pages 1234 b6f14000)
matches "pages: uio page is a gap run with its physical address" "$out" '^b6f14000-b6f15000 gap: 1 page pagemap cannot see, physical 0x41200000-0x41201000 \(uio0 map0 '
out=$(vm pages 1234 b6f14000 --every-page)
matches "pages --every-page: uio page is a gap row with its physical address" "$out" '^b6f14000 gap +no-page +0x41200000 '
out=$(vm pages 1234 00034000-00036000)
contains "pages: hole collapsed into one line" "$out" "00034000-00036000 hole: 2 pages with no mapping"

json=$(vm --json translate 1234 0x13010)
check "translate --json is valid JSON" jq -e . <<<"$json" >/dev/null
equals "json phys" "$(jq -r .phys <<<"$json")" "0x1f3a2010"
equals "json kpageflags" "$(jq -r '.page.kpageflags|join(",")' <<<"$json")" "UPTODATE,LRU,MMAP,ANON,SWAPBACKED"
json=$(vm maps 1234 --json)
equals "maps --json: 14 VMAs" "$(jq '.vmas|length' <<<"$json")" 14
equals "maps --json: uio map1 phys" "$(jq -r '.vmas[]|select(.start=="0xb2efe000")|.phys.start' <<<"$json")" "0x30000000"
equals "maps --json: heap smaps Swap" "$(jq -r '.vmas[]|select(.name=="[heap]")|.smaps_kb.Swap' <<<"$json")" 4
json=$(vm pages 1234 13000-17000 --json)
equals "pages --json: states" "$(jq -r '[.pages[].state]|join(",")' <<<"$json")" "anon,anon,swapped,zero"
equals "pages --json: swap offset" "$(jq -r '.pages[2].swap_offset' <<<"$json")" "0x42"

# damaged fixture: pagemap shorter than the maps claim
cp -a "$ROOT" "$TMPD/short"
truncate -s 64 "$TMPD/short/proc/1234/pagemap"
out=$("$VMSCOPE" --root "$TMPD/short" translate 1234 0x13010 2>&1); rc=$?
equals "short pagemap: exit 1" "$rc" 1
contains "short pagemap: the error says so" "$out" "the snapshot is truncated"
finish
