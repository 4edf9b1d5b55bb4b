#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Boot-log numbers at the edges (issue 14 point 7), as a user reads them
# in `vmscope kernel --bootlog`: a number too large for 64 bits makes its
# line an error listed as skipped ("number too large"), never a number
# read in part; a range whose inclusive end is 0xffffffffffffffff runs
# to the top of the space and shows that LAST.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"

log=$TMPD/edges.log
cat >"$log" <<'LOG'
[    0.000000] Linux version 6.1.0 (x@y) #1 SMP
[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] BIOS-e820: [mem 0xffffffffffffffff-0xffffffffffffffff] reserved
[    0.000000] pci_bus 0000:00: root bus resource [mem 0x100000000-0xffffffffffffffff window]
[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x10000000000000000] usable
[    0.251554] Memory: 16384K/99999999999999999999K available (1K kernel code)
LOG
json=$("$VMSCOPE" --json kernel --bootlog "$log" --bootlog-only); rc=$?
equals "kernel --bootlog exits 0" "$rc" 0
equals "the range at the very top is listed" \
	"$(jq -r '.physical[] | select(.name == "e820 reserved") | "\(.start) \(.last) \(.size)"' <<<"$json")" \
	"0xffffffffffffffff 0xffffffffffffffff 1"
equals "a window to the top keeps its LAST" \
	"$(jq -r '.physical[] | select(.name == "PCI bus 0000:00 window") | "\(.last) \(.end) \(.to_end_of_space)"' <<<"$json")" \
	"0xffffffffffffffff 0x10000000000000000 true"
equals "an e820 end past 64 bits is skipped as too large" \
	"$(jq -r '.skipped.lines[] | select(.line == 5) | .reason' <<<"$json")" \
	"number too large (more than 64 bits)"
equals "so is the Memory: line, whose total is too large" \
	"$(jq -r '.skipped.lines[] | select(.line == 6) | .reason' <<<"$json")" \
	"number too large (more than 64 bits)"
equals "... and no memory summary is made of it" "$(jq -r '.memory' <<<"$json")" null
out=$("$VMSCOPE" kernel --bootlog "$log" --bootlog-only 2>&1)
matches "text: the window's LAST" "$out" '^ *0000000100000000-ffffffffffffffff +16E bus +PCI bus 0000:00 window'
not_contains "text: no memory summary read from the too-large total" "$out" "memory (boot log"
finish
