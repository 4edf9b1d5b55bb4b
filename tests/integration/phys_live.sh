#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 'vmscope phys' on this machine: the frame of a page the helper process
# wrote (its PFN read independently from /proc/PID/pagemap with dd) is
# placed in System RAM and names the helper, at that virtual address; the
# zero page names the helper among others; a frame of the kernel image
# names no process.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to read PFNs and /proc/kpage*"
command -v jq >/dev/null || skip_all "needs jq"

start_helper "$HELPERS/vmhelper" --comm physprobe || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
ps=$(helper_value page_size)
pm_raw() { dd if=/proc/$pid/pagemap bs=8 skip=$(($1 / ps)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n'; }
pfn_of() { local r; r=$(pm_raw "$1"); printf '%d' $(( 0x$r & ((1 << 55) - 1) )); }

a=$(printf '%d' "$(helper_value anon_touched)")
va=$((a + 5 * ps))
pfn=$(pfn_of $va)
phys=$(printf '0x%x' $((pfn * ps + 0x24)))
out=$("$VMSCOPE" phys "$phys"); rc=$?
equals "phys of the helper's page: exit 0" "$rc" 0
contains "PFN and offset" "$out" "PFN $(printf '0x%x' "$pfn"), offset 0x24"
contains "in System RAM (iomem)" "$out" "range:   System RAM"
matches "page flags say anonymous" "$out" '^page: +.*ANON.*map count 1'
matches "mapped by the helper at the page's address" "$out" "^  $pid +physprobe +0*$(printf '%x' $va) \(anonymous\)$"
contains "one process maps it" "$out" "mapped:  by 1 process (1 mapping)"

json=$("$VMSCOPE" --json phys "$phys")
check "phys --json is valid JSON" jq -e . <<<"$json" >/dev/null
equals "json: the helper and the address" "$(jq -c '[.mapped_by[] | [.pid, .vaddr, .comm]]' <<<"$json")" "[[$pid,\"$(printf '0x%x' $va)\",\"physprobe\"]]"
equals "json: page map count equals the mappings found" "$(jq '.page.map_count' <<<"$json")" "$(jq '.mapped_by | length' <<<"$json")"
kv=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
if [ "$kv" -ge 607 ]; then
	equals "json: PAGEMAP_SCAN found the present ranges (Linux 6.7+)" "$(jq '.lookup.pagemap_scan' <<<"$json")" true
fi
check "json: processes looked at" test "$(jq '.lookup.processes' <<<"$json")" -gt 1

# the shared zero page: the helper's read-only pages map it
z=$(printf '%d' "$(helper_value zero)")
zpfn=$(pfn_of $z)
json=$("$VMSCOPE" --json phys "$(printf '0x%x' $((zpfn * ps)))")
equals "zero page: flags say ZERO_PAGE" "$(jq -r '.page.kpageflags | index("ZERO_PAGE") != null' <<<"$json")" true
equals "zero page: the helper maps it 4 times" "$(jq "[.mapped_by[] | select(.pid == $pid)] | length" <<<"$json")" 4

# the kernel image: RAM no process maps
code=$(awk -F' : ' '$2 == "Kernel code" { sub(/^ */, "", $1); split($1, r, "-"); print r[1] }' /proc/iomem)
if [ -n "$code" ]; then
	out=$("$VMSCOPE" phys "$code")
	contains "kernel code: range" "$out" "System RAM > Kernel code"
	contains "kernel code: RESERVED page" "$out" "RESERVED"
	contains "kernel code: no process maps it" "$out" "mapped:  by no process"
fi

# the helper gone: its frame is no longer named
kill "$pid"; wait "$pid" 2>/dev/null
json=$("$VMSCOPE" --json phys "$phys")
equals "after the helper exits, it is not named" "$(jq "[.mapped_by[] | select(.pid == $pid)] | length" <<<"$json")" 0

# not root: PFNs hidden, no pagemap search, said so
if nobody_prepare; then
	out=$("${NOBODY[@]}" "$NOBODY_VMSCOPE" phys "$phys"); rc=$?
	equals "as nobody: exit 0" "$rc" 0
	contains "as nobody: page data unknown, says why" "$out" "page:    unknown:"
	contains "as nobody: pagemap not searched, says why" "$out" "pagemap not searched"
else
	echo "# skip: as nobody: $NOBODY_WHY"
fi
finish
