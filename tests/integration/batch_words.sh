#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Batch output speaks the screens' words: sizes as units_size writes them
# (4.0K, 0B, 368M, never 4K or 376396K), MAP where the page table says MAP
# (not COUNT); `pages` opens with a line saying what it lists; `maps`
# ends with a totals row (as pmap -X does); with --json an error is a
# JSON object on stdout as well as a non-zero exit.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "needs jq"
D=("$VMSCOPE" --demo)
pid=$(ls "$TOP/demo/pc/root/proc" | grep -E '^[0-9]+$' | head -1)

out=$("${D[@]}" maps "$pid"); rc=$?
equals "maps: exit 0" "$rc" 0
last=$(tail -1 <<<"$out")
matches "maps: a totals row under SIZE and RSS" "$last" '^total +[0-9.]+[KMG] +[0-9.]+[KMG] +[0-9]+ mappings$'
n=$(grep -cE '^[0-9a-f]{16} ' <<<"$out")
contains "maps: the totals row counts every mapping" "$last" " $n mappings"
equals "maps --json lists as many VMAs as the totals count" \
	"$("${D[@]}" --json maps "$pid" | jq '.vmas | length')" "$n"
hdr_end=$(awk 'NR == 2 { print index($0, " SIZE") + 4 }' <<<"$out")
tot_end=$(awk 'match($0, /^total +[0-9.]+[BKMGTPE]/) { print RLENGTH }' <<<"$last")
equals "maps: the total's size ends under SIZE" "$tot_end" "$hdr_end"
not_contains "maps: no bare 0 for an empty RSS" "$out" "       0 "
matches "maps: 4.0K, not 4K" "$out" ' 4\.0K '

start=$(awk 'NR == 3 { print $1 }' <<<"$out")
out=$("${D[@]}" pages "$pid" "$start"); rc=$?
equals "pages: exit 0" "$rc" 0
matches "pages: a first line saying what is listed" "$(head -1 <<<"$out")" "^process $pid \\(demo.*\\), .*page size 4096, 1 page 0*$start-"
matches "pages: the column header says MAP, as the page table does" "$out" '^VADDR +STATE +PFN +PHYS +MAP +CGROUP +FLAGS$'
not_contains "pages: no COUNT" "$out" "COUNT"

out=$("$VMSCOPE" kernel --bootlog "$FIXTURES/bootlogs/arm32-a33-3.4.log")
contains "kernel: the Memory: summary in the screens' units" "$out" "368M of 368M available; 144M reserved, 0B highmem"

# --json errors: an object on stdout, the exit status, the message
for args in "maps 999999" "maps" "pages $pid zz" "translate"; do
	out=$("${D[@]}" --json $args 2>/dev/null); rc=$?
	check "--json $args: non-zero exit" [ "$rc" -ne 0 ]
	check "--json $args: a JSON error object on stdout" jq -e '.error.message | length > 0' <<<"$out"
	equals "--json $args: its status is the exit status" "$(jq '.error.status' <<<"$out" 2>/dev/null)" "$rc"
done
equals "--json usage error: code usage" "$("${D[@]}" --json maps 2>/dev/null | jq -r .error.code)" usage
equals "--json missing process: code error" "$("${D[@]}" --json maps 999999 2>/dev/null | jq -r .error.code)" error
out=$("$VMSCOPE" --root "$TMPD/none" --json maps 1 2>/dev/null); rc=$?
equals "--json, a root that cannot open: exit 1" "$rc" 1
contains "--json, a root that cannot open: the message as JSON" "$(jq -r .error.message <<<"$out" 2>/dev/null)" "cannot open root"
err=$("${D[@]}" --json maps 999999 2>&1 >/dev/null)
contains "--json: stderr still has the message" "$err" "vmscope: process 999999 does not exist"
finish
