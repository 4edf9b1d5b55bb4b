#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Device memory and frames past kpageflags (issue 10, item 7): no struct
# page backs them, so 'phys' never describes them as a page without
# flags; and a lookup that failed names what failed.  On the zynq-armv7
# board (the demo's UIO registers lie past its kpageflags, the fixture
# with an iomem where they are no RAM, a process whose maps cannot be
# read) and on this machine (a RAM frame, the IOAPIC, an address past
# the last frame).
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"
hex() { printf '0x%x' "$1"; }

# the demo: 0x41200004 is past its kpageflags (768 MiB of RAM)
out=$("$VMSCOPE" --demo=zynq-armv7 phys 0x41200004)
contains "demo: the UIO registers are beyond kpageflags, with its last frame" "$out" \
	"page:    none: beyond kpageflags: its last frame is PFN 0x2ffff, so no struct page backs this one"
contains "demo: and not RAM" "$out" "uio0 map0 (gpio@41200000) is not RAM"
not_contains "demo: not a page without flags" "$out" "no flags"
j=$("$VMSCOPE" --demo=zynq-armv7 --json phys 0x41200004)
equals "demo --json: frame_record beyond-kpageflags" "$(jq -r .frame_record <<<"$j")" beyond-kpageflags
equals "demo --json: device memory" "$(jq -r .device_memory <<<"$j")" true
equals "demo --json: page null" "$(jq -r .page <<<"$j")" null

# the fixture (1 GiB of kpageflags) with an iomem: registers inside it
ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
cat >"$ROOT/proc/iomem" <<'IOMEM'
00000000-2fffffff : System RAM
  00100000-00bfffff : Kernel code
34000000-37ffffff : System RAM
38000000-3800ffff : /amba_pl/regs@38000000
IOMEM
out=$("$VMSCOPE" --root "$ROOT" phys --no-lookup 0x38000010)
contains "fixture: registers within kpageflags are device memory" "$out" \
	"page:    none: device memory, no struct page: /amba_pl/regs@38000000 is not RAM"
out=$("$VMSCOPE" --root "$ROOT" phys --no-lookup 0x3c000000)
contains "fixture: an address no source describes, past the RAM banks" "$out" \
	"device memory, no struct page: no source lists this address as RAM"
out=$("$VMSCOPE" --root "$ROOT" phys --no-lookup 0x30000000)
contains "fixture: the UIO DMA buffer kept from the kernel: no struct page, not a device" "$out" \
	"page:    none: not RAM the kernel manages, no struct page: uio0 map1 (dma-buffer) lies outside System RAM"
out=$("$VMSCOPE" --root "$ROOT" phys --no-lookup 0x1f3a2000)
contains "fixture: a RAM frame keeps its flags" "$out" "page:    UPTODATE,LRU,MMAP,ANON,SWAPBACKED, map count 1"

# a process whose maps cannot be read: the failure is named
rm -f "$ROOT/proc/1234/maps" && mkfifo "$ROOT/proc/1234/maps"
out=$("$VMSCOPE" --root "$ROOT" phys 0x38000010)
contains "a failed lookup is counted" "$out" "1 failed"
contains "and named: which process and why" "$out" \
	"first failed: process 1234: "
contains "the why" "$out" "maps is not a regular file"
j=$("$VMSCOPE" --root "$ROOT" --json phys 0x38000010)
matches "--json: first_failure names the process" "$(jq -r .lookup.first_failure <<<"$j")" \
	'^process 1234: .*maps is not a regular file'

# this machine
[ "$(id -u)" = 0 ] || { finish; exit; }
[ -r /proc/kpageflags ] || { finish; exit; }
ram=$(awk -F' : ' '$2 == "System RAM" && $1 !~ /^ / { print $1; exit }' /proc/iomem)
if [ -n "$ram" ]; then
	a=$(( 0x${ram%-*} ))
	out=$("$VMSCOPE" phys --no-lookup "$(hex $a)")
	matches "live: a RAM frame has a page line with its map count" "$out" \
		'^page:    .*, map count [0-9]+, cgroup '
	not_contains "live: a RAM frame is no device memory" "$out" "device memory"
	# the end of RAM, and far past it
	top=$(awk -F' : ' '$2 == "System RAM" { split($1, r, "-"); e = r[2] } END { gsub(/ /, "", e); print e }' /proc/iomem)
	out=$("$VMSCOPE" phys --no-lookup "$(hex $(( (0x$top + 1) * 16 )))")
	contains "live: far past RAM is beyond kpageflags" "$out" "page:    none: beyond kpageflags: its last frame is PFN 0x"
fi
ioapic=$(awk -F' : ' '$2 ~ /^IOAPIC/ { gsub(/ /, "", $1); print $1; exit }' /proc/iomem)
if [ -n "$ioapic" ]; then
	out=$("$VMSCOPE" phys --no-lookup "${ioapic%-*}")
	contains "live: the IOAPIC is device memory, no struct page" "$out" \
		"page:    none: device memory, no struct page: IOAPIC"
	contains "live: the zone's span is not taken for RAM" "$out" "zone:    none: a zone holds RAM only"
	j=$("$VMSCOPE" --json phys --no-lookup "${ioapic%-*}")
	equals "live --json: device_memory" "$(jq -r .device_memory <<<"$j")" true
fi
out=$("$VMSCOPE" phys 0xfee00000)
if grep -q ' failed' <<<"$out"; then
	contains "live: a failed count is named" "$out" "first failed: process "
fi
finish
