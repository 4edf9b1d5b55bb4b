#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Gaps that VmFlags do not name, in the explorer at 80x24: ARM's
# [vectors] above the end of pagemap (zynq fixture) is a gap in the VMA
# list, the page table and the page detail, each saying that pagemap ends
# at 0xbf000000, never the text for anonymous memory; on a 3.0 kernel
# without VmFlags (imx6-3.0) the framebuffer's mapping is a gap inferred
# from its character device, and the screens say so.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

ZYNQ=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq") || { fail "zynq fixture builds"; finish; exit 1; }
IMX=$("$TOP/tests/fixtures/build" imx6-3.0 "$TMPD/imx6") || { fail "imx6 fixture builds"; finish; exit 1; }

tm_start 80 24 -- "$VMSCOPE" --root "$ZYNQ"
see "zynq: gpio-demo listed" "gpio-demo"
tm_keys Enter
see "the VMAs open: the title counts the gaps and names their mark" "PID 1234 gpio-demo | 14 VMAs, 3 gaps (!)"
matches "a UIO mapping is marked a gap in the list" "$(tm_line 'b2efe000-b6dfe000')" '^b2efe000-b6dfe000 rw-s +63M +0B !uio +/dev/uio0$'
matches "a hole is a hole, not a gap" "$(tm_line '00034000-b2efe000')" '^00034000-b2efe000 +2\.8G +- hole +\(hole: unmapped\)$'
tm_keys Down Down Down Down
see "UIO panel: the plain sentence first" "The kernel handed this range straight to a device; no page bookkeeping exists"
tm_keys G
see "[vectors] selected: its info line says it is a gap" "anon gap: above the end of pagemap (TASK_SIZE)"
matches "[vectors] is marked a gap" "$(tm_line 'ffff0000-ffff1000')" ' !anon +\[vectors\]$'
see "panel: plain words first" "This address lies beyond the part of the address space the kernel reports on"
see "panel: where pagemap ends" "above TASK_SIZE: the kernel's pagemap of this"
see "panel: what [vectors] is" "[vectors] is the kernel's exception vector page"
tm_keys Enter
see "Enter: the table at [vectors]" "ffff0000-ffff1000 r-xp anon [vectors]"
matches "[vectors]' page is a gap" "$(tm_line 'ffff0000 ')" '^ffff0000 gap '
see "table: the gap's info line" "gap: above the end of pagemap (TASK_SIZE); Enter explains"
not_see "no error" "vmscope:"
tm_keys Enter
see "Enter: the page's detail" "PID 1234 gpio-demo | page ffff0000"
see "detail: pagemap does not reach it" "pagemap    none: above its end (TASK_SIZE)"
see "detail: explained as a gap" "above TASK_SIZE: the kernel's pagemap of this"
not_see "detail: not explained as anonymous memory" "Private anonymous memory"
tm_quit "zynq: vmscope"

tm_start 80 24 -- "$VMSCOPE" --root "$IMX"
see "imx6: fpga-stream listed" "fpga-stream"
tm_keys Enter
see "the VMAs open: two device gaps and [vectors]" "PID 812 fpga-stream | 12 VMAs, 3 gaps"
matches "fb0 row: kind chardev" "$(tm_line '/dev/fb0')" '^40120000-402a0000 rw-s +1\.5M +0B !chardev +/dev/fb0$'
matches "/dev/zero row: shmem, not a gap" "$(tm_line '402a0000-402a1000')" ' shmem +/dev/zero$'
tm_keys /
tm_type "fb0"
tm_keys Enter
see "fb0 selected: the panel says VmFlags are missing" "VmFlags: (none: smaps before Linux 3.8)"
see "panel: a device's gap, in plain words first" "The kernel handed this range straight to a device; no page bookkeeping exists"
see "info line: chardev gap" "chardev gap: char device 29:0, no VmFlags (kernel < 3.8)"
tm_keys Enter
see "Enter: fb0's pages" "40120000 gap"
see "table: the gap is inferred" "gap inferred: a char device, and no VmFlags; Enter explains"
tm_keys Enter
see "detail of the framebuffer page" "PID 812 fpga-stream | page 40120000"
see "detail: pagemap not read" "pagemap    not read: char device 29:0, no VmFlags"
tm_quit "imx6: vmscope"
finish
