#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 'vmscope ram' on this machine: the free total, from every frame's
# kpageflags, agrees with MemFree (/proc/meminfo) read just before and
# after within 1%; the classes add up to the RAM; text and JSON agree.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to read /proc/kpageflags"
command -v jq >/dev/null || skip_all "needs jq"

memfree() { echo $(( $(awk '/^MemFree:/ { print $2 }' /proc/meminfo) * 1024 )); }
b=$(memfree)
json=$("$VMSCOPE" --json ram); rc=$?
a=$(memfree)
equals "ram --json: exit 0" "$rc" 0
check "ram --json is valid JSON" jq -e . <<<"$json" >/dev/null
free=$(jq '.bytes.free' <<<"$json")
lo=$(( (b < a ? b : a) * 99 / 100 )); hi=$(( (b > a ? b : a) * 101 / 100 ))
if [ "$free" -ge "$lo" ] && [ "$free" -le "$hi" ]; then
	ok "free $free B within 1% of MemFree ($b before, $a after)"
else
	fail "free $free B within 1% of MemFree ($b before, $a after)"
fi
equals "the classes add up to the RAM" \
	"$(jq '[.bytes[]] | add' <<<"$json")" "$(jq '.ram_bytes' <<<"$json")"
check "the walk read MemFree itself" test "$(jq '.memfree_bytes.before' <<<"$json")" -gt 0

out=$("$VMSCOPE" ram); rc=$?
equals "ram: exit 0" "$rc" 0
contains "text: a header" "$out" "KIND"
for k in free anon file slab pgtable reserved other; do
	matches "text: a row for $k" "$out" "^$k +[0-9.]+[BKMGTPE] +[0-9]+"
done
matches "text: MemFree to compare" "$out" '^MemFree \(/proc/meminfo\): '

out=$("$VMSCOPE" --demo ram 2>&1); rc=$?
equals "ram on a snapshot: an error" "$rc" 1
contains "ram on a snapshot: says why" "$out" "a snapshot keeps only the frames its processes mapped"
finish
