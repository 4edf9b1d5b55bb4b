#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The live machine: a helper process lays out each kind of page, and what
# vmscope says about each is checked against an independent read of
# /proc/PID/pagemap and /proc/kpageflags (dd + od, no vmscope code).
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to read PFNs and /proc/kpage*"

start_helper "$HELPERS/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
ps=$(helper_value page_size)
addr() { printf '%d' "$(helper_value "$1")"; }
hex() { printf '%x' "$1"; }

# independent reads
pm_raw() { dd if=/proc/$pid/pagemap bs=8 skip=$(($1 / ps)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n'; }
kpf_raw() { dd if=/proc/kpageflags bs=8 skip=$1 count=1 2>/dev/null | od -An -tx8 | tr -d ' \n'; }
pfn_of() { local r; r=$(pm_raw "$1"); printf '%x' $(( 0x$r & ((1 << 55) - 1) )); }
present() { local r; r=$(pm_raw "$1"); [ $(( (0x$r >> 63) & 1 )) = 1 ]; }

# --- maps ---
maps=$("$VMSCOPE" maps "$pid")
equals "maps exits 0" "$?" 0
a=$(addr anon_touched)
matches "anon region is its own VMA, kind anon" "$maps" "^0*$(hex $a) 0*$(hex $((a + 16 * ps))) rw-p +64K +64K +anon "
matches "a guard page follows it" "$maps" "^0*$(hex $((a + 16 * ps))) 0*$(hex $((a + 17 * ps))) ---p .* guard "
matches "file mapping: kind file, marked deleted" "$maps" "^0*$(hex $(addr file)) .* file .*/tmp/vmhelper-file\.[A-Za-z0-9]+ \(deleted\)$"
matches "MAP_SHARED anon is shmem" "$maps" "^0*$(hex $(addr shared)) .*rw-s .* shmem .*/dev/zero \(deleted\)$"
matches "heap and stack classified" "$maps" ' heap .*\[heap\]$'
matches "stack classified" "$maps" ' stack .*\[stack\]$'
matches "[vvar] marked as a PFNMAP gap" "$maps" '! vvar .*pf io.*\[vvar\]$'
contains "[vvar] gap explained" "$maps" "vvar is mapped with VM_PFNMAP"
contains "[vvar] has no known physical address" "$maps" "physical address unknown"
matches "mlocked page has lo in VmFlags" "$maps" "^0*$(hex $(addr mlocked)) .* lo .*"
matches "THP region has hg in VmFlags" "$maps" "^0*$(hex $(addr thp)) .* hg"

# --- translate each kind, against the independent read ---
pfn=$(pfn_of "$a")
out=$("$VMSCOPE" translate "$pid" "$(hex $((a + 0x123)))"); rc=$?
equals "touched anon page translates (exit 0)" "$rc" 0
contains "phys = pagemap PFN * page size + offset" "$out" "-> 0x$(printf '%x' $(( (0x$pfn * ps) + 0x123 )))"
contains "state anon" "$out" "page:    anon, PFN 0x$pfn"
cg=$(sed -n 's/^[0-9]*:memory://p' /proc/$pid/cgroup)
[ -n "$cg" ] && contains "cgroup is the helper's memory cgroup" "$out" "cgroup:  $cg"

out=$("$VMSCOPE" translate "$pid" "$(hex $(addr anon_untouched))"); rc=$?
equals "untouched anon page: exit 3" "$rc" 3
contains "untouched: reason" "$out" "never touched"
out=$("$VMSCOPE" translate "$pid" "$(hex $(addr hole))"); rc=$?
equals "the hole: exit 2 (not mapped)" "$rc" 2
vvar=$(awk '/\[vvar\]$/ { split($1, r, "-"); print r[1] }' /proc/$pid/maps)
out=$("$VMSCOPE" translate "$pid" "$vvar"); rc=$?
equals "[vvar]: exit 5 (PFNMAP gap)" "$rc" 5
contains "[vvar]: reason names VM_PFNMAP" "$out" "VM_PFNMAP"
equals "independent read agrees: [vvar] pagemap is zero" "$(pm_raw $((0x$vvar)))" "0000000000000000"

# --- pages: every page of the touched/half regions vs pagemap ---
json=$("$VMSCOPE" --json pages "$pid" "$(hex $a)-$(hex $((a + 16 * ps)))")
check "pages --json is valid JSON" jq -e . <<<"$json" >/dev/null
mism=0
for i in $(seq 0 15); do
	want=$(pfn_of $((a + i * ps)))
	got=$(jq -r ".pages[$i].pfn" <<<"$json")
	[ "$got" = "0x$want" ] || { mism=$((mism + 1)); echo "# page $i: vmscope $got, pagemap 0x$want"; }
done
equals "all 16 touched pages: PFN equals pagemap's" "$mism" 0
# Page flags are live: the kernel sets and clears IDLE, REFERENCED, ACTIVE
# on its own between two reads.  Each sample is read by dd, by vmscope, by
# dd again; vmscope must equal one of the two, on one of five tries, so a
# decoding error still fails every try.
kmism=0
for i in 0 7 15; do
	pfnh=$(jq -r ".pages[$i].pfn" <<<"$json")
	for try in 1 2 3 4 5; do
		before=$(kpf_raw $((pfnh)))
		got=$("$VMSCOPE" --json pages "$pid" "$(hex $((a + i * ps)))" |
			jq -r '.pages[0].kpageflags_raw')
		after=$(kpf_raw $((pfnh)))
		[ $((got)) = $((0x$before)) ] || [ $((got)) = $((0x$after)) ] && break
	done
	[ $((got)) = $((0x$before)) ] || [ $((got)) = $((0x$after)) ] ||
		{ kmism=$((kmism + 1)); echo "# page $i: vmscope $got, kpageflags 0x$before then 0x$after"; }
done
equals "kpageflags of sampled pages equal /proc/kpageflags" "$kmism" 0
equals "touched pages carry ANON and MMAP" "$(jq -r '[.pages[]|(.kpageflags|index("ANON")!=null and index("MMAP")!=null)]|all' <<<"$json")" true
equals "touched private pages are exclusive" "$(jq -r '[.pages[].exclusive]|all' <<<"$json")" true
equals "map count 1 for private anon pages" "$(jq -r '[.pages[].map_count]|unique|join(",")' <<<"$json")" 1

h=$(addr anon_half)
json=$("$VMSCOPE" --json pages "$pid" "$(hex $h)-$(hex $((h + 4 * ps)))")
equals "half-touched region alternates anon / not-present" "$(jq -r '[.pages[].state]|join(",")' <<<"$json")" "anon,not-present,anon,not-present"

# a run of not-present pages is one line (found with PAGEMAP_SCAN where
# the kernel has it); --every-page keeps a line a page
u=$(addr anon_untouched)
urange="$(hex $u)-$(hex $((u + 16 * ps)))"
out=$("$VMSCOPE" pages "$pid" "$urange")
matches "untouched region: one not-present line for its 16 pages" "$out" \
	"^$(printf '%016x-%016x' "$u" $((u + 16 * ps))) not-present: 16 pages not in memory or swap\$"
equals "untouched region: that line after the two header lines" "$(wc -l <<<"$out")" 3
out=$("$VMSCOPE" pages "$pid" "$urange" --every-page)
equals "untouched region --every-page: a line a page" "$(grep -c ' not-present ' <<<"$out")" 16
json=$("$VMSCOPE" --json pages "$pid" "$urange")
equals "untouched region --json: one run object" "$(jq -c '.pages' <<<"$json")" \
	"[{\"vaddr\":\"0x$(hex $u)\",\"end\":\"0x$(hex $((u + 16 * ps)))\",\"state\":\"not-present\",\"pages\":16,\"pagemap_raw\":\"0x0\",\"soft_dirty\":false,\"exclusive\":false,\"uffd_wp\":false,\"guard\":false,\"file_shared\":false}]"
json=$("$VMSCOPE" --json pages "$pid" "$urange" --every-page)
equals "untouched region --json --every-page: an object a page" "$(jq '.pages|length' <<<"$json")" 16

z=$(addr zero)
json=$("$VMSCOPE" --json pages "$pid" "$(hex $z)-$(hex $((z + 4 * ps)))")
equals "read-only touched pages map the zero page" "$(jq -r '[.pages[].state]|unique|join(",")' <<<"$json")" "zero"
equals "zero page has ZERO_PAGE in kpageflags" "$(jq -r '.pages[0].kpageflags|index("ZERO_PAGE")!=null' <<<"$json")" true
check "independent read: zero page is present" present "$z"

f=$(addr file)
json=$("$VMSCOPE" --json pages "$pid" "$(hex $f)")
equals "file page: state file" "$(jq -r '.pages[0].state' <<<"$json")" file
equals "file page: pagemap file/shared bit" "$(jq -r '.pages[0].file_shared' <<<"$json")" true
equals "file page: not ANON" "$(jq -r '.pages[0].kpageflags|index("ANON")==null' <<<"$json")" true

s=$(addr shared)
json=$("$VMSCOPE" --json pages "$pid" "$(hex $s)")
equals "MAP_SHARED page: state file (shmem)" "$(jq -r '.pages[0].state' <<<"$json")" file
equals "MAP_SHARED page: SWAPBACKED, not ANON" "$(jq -r '.pages[0].kpageflags|(index("SWAPBACKED")!=null and index("ANON")==null)' <<<"$json")" true
check "independent read: shared page has bit 61" bash -c "r=\$(dd if=/proc/$pid/pagemap bs=8 skip=$((s / ps)) count=1 2>/dev/null | od -An -tx8 | tr -d ' '); [ \$(( (0x\$r >> 61) & 1 )) = 1 ]"

m=$(addr mlocked)
json=$("$VMSCOPE" --json pages "$pid" "$(hex $m)")
equals "mlocked page: MLOCKED and UNEVICTABLE" "$(jq -r '.pages[0].kpageflags|(index("MLOCKED")!=null and index("UNEVICTABLE")!=null)' <<<"$json")" true

t=$(addr thp)
json=$("$VMSCOPE" --json pages "$pid" "$(hex $t)-$(hex $((t + 2 * ps)))")
if grep -q 'AnonHugePages: *[1-9]' <(awk -v s="$(hex $t)" '$1 ~ "^0*"s"-" {p=1} p && /^AnonHugePages/ {print; exit}' /proc/$pid/smaps); then
	equals "MADV_HUGEPAGE region: pages are THP" "$(jq -r '[.pages[].state]|unique|join(",")' <<<"$json")" thp
	equals "THP head page: COMPOUND_HEAD and THP" "$(jq -r '.pages[0].kpageflags|(index("COMPOUND_HEAD")!=null and index("THP")!=null)' <<<"$json")" true
	equals "THP PFNs are contiguous" "$(( $(jq -r '.pages[1].pfn' <<<"$json") - $(jq -r '.pages[0].pfn' <<<"$json") ))" 1
else
	echo "# the kernel gave no huge page to the MADV_HUGEPAGE region (fragmented memory); THP checks not run"
fi

# --- errors ---
out=$("$VMSCOPE" maps 999999999 2>&1); rc=$?
equals "a PID that does not exist: exit 1" "$rc" 1
contains "vanished PID: clear error" "$out" "process 999999999 does not exist"
out=$("$VMSCOPE" translate "$pid" zzz 2>&1); rc=$?
equals "bad address: usage exit 64" "$rc" 64
contains "bad address: says what to give" "$out" "'zzz' is not an address (give hex"
out=$("$VMSCOPE" --root /nonexistent maps 1 2>&1); rc=$?
equals "bad root: exit 1" "$rc" 1
contains "bad root: names it" "$out" "cannot open root '/nonexistent'"
mkdir -p "$TMPD/notasnap"
out=$("$VMSCOPE" --root "$TMPD/notasnap" maps 1 2>&1)
contains "a directory that is not a snapshot is named as such" "$out" "is not a vmscope snapshot"
finish
