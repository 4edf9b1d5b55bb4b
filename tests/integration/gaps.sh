#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Gaps that VmFlags do not name.  A 3.0 kernel without VmFlags (fixture
# imx6-3.0): the FPGA's /dev/xdma0_user and the framebuffer /dev/fb0 are
# gaps inferred from their character devices, as the capture's stat
# records say; /dev/zero and a deleted shmem "/dev/zero" are not.  The
# end of pagemap (TASK_SIZE): ARM's [vectors] above 0xbf000000 (zynq
# fixture) and x86's [vsyscall] (live) are gaps with the explanation,
# never an error, and phys finds its process without a failure.
. "$(dirname "$0")/../lib.sh"

IMX=$("$TOP/tests/fixtures/build" imx6-3.0 "$TMPD/imx6")
ZYNQ=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
imx() { "$VMSCOPE" --root "$IMX" "$@"; }
zynq() { "$VMSCOPE" --root "$ZYNQ" "$@"; }

# ---- no VmFlags: character devices ----
out=$(imx translate 812 40020010); rc=$?
equals "xdma0_user: a gap (exit 5)" "$rc" 5
contains "xdma0_user: its char device named" "$out" "char device 251:0"
contains "xdma0_user: no VmFlags said" "$out" "the kernel gave no VmFlags"
contains "xdma0_user: inferred from the char device" "$out" "inferred from the character device"
not_contains "xdma0_user: the device PFN is not shown as a page" "$out" "PFN 0x1000"
out=$(imx translate 812 40120000); rc=$?
equals "fb0: a gap (exit 5)" "$rc" 5
contains "fb0: char device 29:0" "$out" "char device 29:0"
out=$(imx translate 812 402a0000); rc=$?
equals "/dev/zero (private, never touched): not present (exit 3)" "$rc" 3
contains "/dev/zero: kind shmem" "$out" "shmem /dev/zero"
out=$(imx translate 812 402a1000); rc=$?
equals "/dev/zero (deleted): a shmem page, translated (exit 0)" "$rc" 0
out=$(imx maps 812); rc=$?
equals "maps exits 0" "$rc" 0
matches "xdma0_user row: kind chardev, a gap" "$out" '^40020000 40120000 rw-s +1\.0M +0B ! chardev .*/dev/xdma0_user$'
matches "fb0 row: kind chardev, a gap" "$out" '^40120000 402a0000 rw-s +1\.5M +0B ! chardev .*/dev/fb0$'
matches "/dev/zero row: not a gap" "$out" '^402a0000 402a1000 rw-p +4\.0K +0B   shmem .*/dev/zero$'
out=$(imx maps --json 812)
contains "JSON: kind chardev" "$out" '"kind":"chardev"'
contains "JSON: the gap's reason names the device" "$out" 'char device 29:0'
out=$(imx pages 812 40020000-40022000); rc=$?
equals "pages over xdma0_user: exit 0, as other gaps" "$rc" 0
matches "pages: xdma0_user pages are one gap run" "$out" '^40020000-40022000 gap: 2 pages pagemap cannot see$'
out=$(imx pages 812 40020000-40022000 --every-page)
matches "pages --every-page: xdma0_user pages are gap rows" "$out" '^40021000 gap +no-page +unknown '

# the device is known from the recorded stat, never from this machine
cp -a "$IMX" "$TMPD/nostat"
rm "$TMPD/nostat/vmscope-snapshot.stat"
out=$("$VMSCOPE" --root "$TMPD/nostat" translate 812 40120000); rc=$?
equals "without the stat records: not inferred (this machine's /dev is not asked)" "$rc" 0
# a node of another inode than the mapped file: not the mapped file
sed 's/^20660 1057 /20660 9999 /' "$IMX/vmscope-snapshot.stat" >"$TMPD/nostat/vmscope-snapshot.stat"
out=$("$VMSCOPE" --root "$TMPD/nostat" maps 812)
not_contains "renamed node (inode differs): fb0 not a chardev" "$(grep ' /dev/fb0$' <<<"$out")" chardev
contains "... while xdma0_user still is" "$(grep ' /dev/xdma0_user$' <<<"$out")" chardev

# a capture records the stat of the device it inferred
out=$(imx snapshot -p 812 -o "$TMPD/cap" 2>&1); rc=$?
equals "capture of the fixture exits 0" "$rc" 0
contains "capture: the framebuffer's stat recorded" "$(cat "$TMPD/cap/vmscope-snapshot.stat")" "20660 1057 5 7424 0 dev/fb0"
contains "capture: pagemap recorded to TASK_SIZE" "$(cat "$TMPD/cap/vmscope-snapshot.files")" "6258688 proc/812/pagemap"
out=$("$VMSCOPE" --root "$TMPD/cap" translate 812 40120000); rc=$?
equals "the capture: fb0 is still a gap (exit 5)" "$rc" 5

# ---- the end of pagemap: ARM's [vectors] ----
out=$(zynq translate 1234 ffff0004); rc=$?
equals "[vectors]: a gap (exit 5), not an error" "$rc" 5
contains "[vectors]: above TASK_SIZE, where pagemap ends" "$out" "above TASK_SIZE: the kernel's pagemap of this process ends at 0xbf000000"
contains "[vectors]: what it is" "$out" "exception vector page"
out=$(zynq pages 1234 ffff0000-ffff1000 2>&1); rc=$?
equals "pages over [vectors]: exit 0" "$rc" 0
matches "pages: [vectors] is a gap" "$out" '^ffff0000-ffff1000 gap: 1 page '
not_contains "pages: no error" "$out" "vmscope:"
out=$(imx translate 812 ffff0000); rc=$?
equals "3.0 board's [vectors]: a gap (exit 5)" "$rc" 5
out=$(zynq phys 0x1f3a2000); rc=$?
equals "phys of the heap's frame exits 0" "$rc" 0
contains "phys: the frame's process found" "$out" "by 1 process (1 mapping)"
not_contains "phys: nothing failed" "$out" "failed"
matches "phys: gpio-demo's heap" "$out" '1234 +gpio-demo +0*13000 \[heap\]'
out=$(zynq kernel 2>&1); rc=$?
equals "kernel exits 0 on the zynq fixture" "$rc" 0

# ---- live: x86's [vsyscall] ----
sleep 60 &
pid=$!
on_exit "kill $pid"
for _ in $(seq 50); do grep -q '^/usr/bin/sleep\|sleep' "/proc/$pid/cmdline" 2>/dev/null && break; sleep 0.02; done
if grep -q '\[vsyscall\]' "/proc/$pid/maps" 2>/dev/null; then
	vs=$(sed -n 's/^\([0-9a-f]*\)-.*\[vsyscall\]$/\1/p' "/proc/$pid/maps")
	out=$("$VMSCOPE" translate "$pid" "$vs"); rc=$?
	equals "live [vsyscall]: a gap (exit 5)" "$rc" 5
	matches "live [vsyscall]: where pagemap ends" "$out" "above TASK_SIZE: the kernel's pagemap of this process ends at 0x[0-9a-f]+"
	out=$("$VMSCOPE" pages "$pid" "$vs-$(printf '%x' $((0x$vs + 4096)))" 2>&1); rc=$?
	equals "live pages over [vsyscall]: exit 0" "$rc" 0
	matches "live pages: [vsyscall] is a gap" "$out" "^$vs-[0-9a-f]+ gap: 1 page "
else
	ok "live [vsyscall]: none on this kernel (skipped)"
fi
# the explanation opens with one plain sentence, then the kernel's terms
out=$(zynq maps 1234)
matches "UIO: the plain sentence first, then the precise text" "$out" \
	"^    ! The kernel handed this range straight to a device; no page bookkeeping exists for it, so pagemap has nothing to report\. UIO maps device memory with remap_pfn_range"
finish
