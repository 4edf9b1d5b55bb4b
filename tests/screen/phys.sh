#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The physical screen on this machine: the map nested as in /proc/iomem
# (System RAM, Kernel code at the addresses iomem gives), the heat strip
# of all RAM, a range's frames, and which processes map a frame: the
# frame of a page the helper wrote (its PFN read independently from
# /proc/PID/pagemap with dd) names the helper, and Enter opens the
# helper's page, whose detail and table place it in System RAM.  Also
# 120x40 (the page table's RANGE column), 40x12, 20x6.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
[ "$(id -u)" = 0 ] || skip_all "PFNs and kpageflags need root"
# the strip's free glyph is a middle dot: count characters, not bytes
export LC_ALL=C.UTF-8
# lines of the screen wider than $1 characters
too_wide() { tm_screen | while IFS= read -r l; do [ ${#l} -gt "$1" ] && echo "$l"; done | wc -l; }
# every line of $2 is a 6-column address margin ("  13G ") and $1 - 6
# strip cells
strip_ok() { [ -n "$2" ] && ! grep -vqE "^ *[0-9.]+[BKMGTPE] [·afstro ]{$(($1 - 6))}\$" <<<"$2" && grep -q '[·afstro]' <<<"$2"; }
# a size as the screens print it ("22G", "4.0K") in bytes
size_bytes() { awk -v s="$1" 'BEGIN { u = substr(s, length(s)); n = substr(s, 1, length(s) - 1);
	m = index("BKMGTPE", u); printf "%.0f\n", n * 2 ^ (10 * (m - 1)) }'; }

start_helper "$HELPERS/vmhelper" --comm physui || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
ps=$(helper_value page_size)
pm_raw() { dd if=/proc/$pid/pagemap bs=8 skip=$(($1 / ps)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n'; }
pfn_of() { local r; r=$(pm_raw "$1"); printf '%d' $(( 0x$r & ((1 << 55) - 1) )); }
va=$(( $(printf '%d' "$(helper_value anon_touched)") + 5 * ps ))
vahex=$(hex $va)
pfn=$(pfn_of $va)
pfnhex=$(hex "$pfn")
physhex=$(hex $((pfn * ps)))
# iomem: the Kernel code range, and the line of the System RAM holding
# the helper's frame
kc=$(awk -F' : ' '$2 == "Kernel code" { gsub(/ /, "", $1); print $1; exit }' /proc/iomem)
kcs=$(hex $((0x${kc%-*}))) kce=$(hex $((0x${kc#*-})))
ram_line=
n=0
while IFS= read -r l; do
	n=$((n + 1))
	case $l in *" : System RAM") ;; *) continue ;; esac
	r=${l%% :*}; r=${r// /}
	if [ $((0x${r%-*})) -le $((pfn * ps)) ] && [ $((pfn * ps)) -le $((0x${r#*-})) ]; then
		ram_line=$n
	fi
done </proc/iomem
check "the helper's frame is in a System RAM line of iomem" [ -n "$ram_line" ]

tm_start 80 24 -- "$VMSCOPE"
see "starts on the process list" "processes:"
tm_keys p
see "p opens the physical map" "physical map (START-LAST inclusive, as in /proc/iomem)"
see "the heat strip is read, with its cost" " ms, " 10
contains "heat legend" "$(tm_screen | sed -n 2p)" "RAM heat · free a anon f file s slab t ptbl r rsvd o other"
check "heat strip: two rows of 80 columns: address, frame kinds" strip_ok 80 "$(tm_screen | sed -n 3,4p)"
matches "heat strip: the first row starts at physical address 0" "$(tm_screen | sed -n 3p)" '^ +0B '
matches "an address axis under the strip: offsets and the cell size" "$(tm_screen | sed -n 5p)" '^phys +\|\+0B +\|\+[0-9.]+[KMG] .* 1 cell=[0-9.]+[KMG]$'
# free RAM is free: the panel's free total agrees with MemFree (the
# screen rounds to 2 digits, so within 5%), and with `vmscope ram`
tm_wait "RAM: free "
mf=$(( $(awk '/^MemFree:/ { print $2 }' /proc/meminfo) * 1024 ))
fr=$(tm_line "RAM: free " | sed -E 's/^RAM: free ([0-9.]+[BKMGTPE]).*/\1/')
frb=$(size_bytes "$fr")
check "panel: free $fr is MemFree $mf within 5%" [ "$frb" -ge $((mf * 95 / 100)) -a "$frb" -le $((mf * 105 / 100)) ]
# (read a moment later, and both rounded: equal within 5%, one class)
rr=$("$VMSCOPE" ram | awk '$1 == "free" { print $2 }')
rrb=$(size_bytes "$rr")
check "panel: free $fr is vmscope ram's free $rr within 5%" [ "$rrb" -ge $((frb * 95 / 100)) -a "$rrb" -le $((frb * 105 / 100)) ]

# the ranges, as /proc/iomem gives them
tm_keys /; tm_type "System RAM"; tm_keys Enter
see "System RAM selected" "System RAM, "
matches "a System RAM row" "$(tm_screen | grep -E ' ram +System RAM' | head -1)" '^[0-9a-f]+-[0-9a-f]+ +[0-9.]+[KMG] ram +System RAM'
tm_keys /; tm_type "Kernel code"; tm_keys Enter
see "Kernel code selected" "Kernel code, "
matches "Kernel code at iomem's addresses, inside System RAM" "$(tm_line ' Kernel code')" "^0*$kcs-0*$kce +[0-9.]+[KMG] kernel +Kernel code"
see "panel: its path" "System RAM > Kernel code: "
see "panel: its iomem line as read" "from /proc/iomem line $(grep -n ' : Kernel code$' /proc/iomem | cut -d: -f1):"
tm_keys Enter
see "Enter lists the range's frames" "frames of System RAM > Kernel code"
matches "the first frame: reserved, map count 0" "$(tm_screen | sed -n 3p)" "^0*$(hex $((0x$kcs / ps))) 0*$kcs +reserved +0 .*RESERVED"
tm_esc
see "Esc: back to the map" "vmscope | physical map: "

# the helper's frame: :phys, its frames, who maps it, its page
tm_cmd "phys $physhex"
see ":phys ADDR selects the range holding it" "System RAM, "
tm_keys Enter
see "Enter: the frames, at ADDR's" "frames of System RAM"
matches "the helper's frame: anon, one mapping" "$(tm_line "$pfnhex $physhex ")" "^0*$pfnhex 0*$physhex +anon +1 .*ANON"
see "info: the frame and its flags" "PFN 0x$pfnhex anon ("
tm_keys w
see "w: who maps the frame" "who maps PFN 0x$pfnhex in System RAM"
see "... by one process" "mapped by 1 process (1 mapping)"
matches "... the helper, at the page's address" "$(tm_line " $pid ")" "^ +$pid physui +0*$vahex +1 \(anonymous\)$"
tm_keys Enter
see "Enter opens that page of the helper" "PID $pid physui | page $vahex"
see "detail: the physical address" "Physical   0x$physhex  (PFN 0x$pfnhex)"
see "detail: its range, with iomem's line" "Range      System RAM (/proc/iomem line $ram_line)"
tm_keys p
see "p on the detail: the map at the page's address" "System RAM, "
tm_esc
see "Esc: back to the detail" "PID $pid physui | page $vahex"
tm_keys w
see "w on the detail: who maps this page's frame" "who maps the frame of page $vahex (PFN 0x$pfnhex)"
see "... one process, one mapping" "mapped by 1 process (1 mapping)"
matches "... the helper, at the page's address, one page" "$(tm_line " $pid ")" "^ +$pid physui +0*$vahex +1 \(anonymous\)$"
matches "... how many processes were looked at" "$(tm_screen | sed -n 3p)" '^looked at [0-9]+ processes: '
tm_esc
see "Esc: back to the detail" "PID $pid physui | page $vahex"
tm_esc
see "Esc: the helper's page table" "PID $pid physui | table"

# wide: the page table's RANGE column
tm_resize 120 40
see "120x40: RANGE column" "FLAGS      MAP  RANGE"
matches "120x40: the page in System RAM" "$(tm_line "$vahex ")" "^$vahex +anon +$pfnhex +$physhex +[A-Za-z]+ +1 +System RAM"
tm_esc; tm_esc; tm_esc; tm_esc
see "Esc x4: pages, VMAs, who maps, frames, back to the map" "vmscope | physical map: " 3
check "120x40: three strip rows" strip_ok 120 "$(tm_screen | sed -n 3,5p)"
contains "120x40: then the axis" "$(tm_screen | sed -n 6p)" "phys  |+0B"
contains "120x40: then the list" "$(tm_screen | sed -n 7p)" "START-LAST"
# R: read again (the caption's time of day changes)
before=$(tm_screen | sed -n 2p)
sleep 1
tm_keys R
for i in $(seq 1 200); do
	now=$(tm_screen | sed -n 2p)
	[ "$now" != "$before" ] && grep -q ' ms, ' <<<"$now" && break
	sleep 0.05
done
reread() { [ "$now" != "$before" ] && grep -q ' ms, ' <<<"$now"; }
check "R reads the heat strip again, and says what it cost" reread
tm_resize 80 24

# device memory: the IOAPIC (x86) is no RAM, and has no struct page
ioapic=$(awk -F' : ' '$2 ~ /^IOAPIC/ { gsub(/ /, "", $1); print $1; exit }' /proc/iomem)
if [ -n "$ioapic" ]; then
	tm_cmd "phys ${ioapic%-*}"
	see ":phys: the IOAPIC selected" "IOAPIC 0, "
	see "its panel: device memory, not the zone whose span it is in" "device"
	check "its panel says no struct page" grep -q "memory, no struct page" <<<"$(tm_screen | tr -d '\n')"
	tm_keys Enter
	see "Enter: the IOAPIC's frame" "frames of IOAPIC"
	matches "the frame: no count, device memory" "$(tm_line "$(printf '%x %x' $((0x${ioapic%-*} >> 12)) $((0x${ioapic%-*} & ~0xfff)))")" " not-ram +- \(device memory, no struct page\)$"
	tm_esc
fi

# help
tm_keys '?'
tm_keys /; tm_type "Keys: physical map"; tm_keys Enter
see "help: the physical map's keys" "Keys: physical map"
tm_keys /; tm_type "which processes map"; tm_keys Enter
tm_wait 'which processes map'
matches "help: w" "$(tm_line 'which processes map')" "^ w +which processes map"
tm_keys /; tm_type "Heat strip of RAM"; tm_keys Enter
see "help: the heat strip legend" "Heat strip of RAM"
tm_esc

# small terminals
tm_resize 40 12
see "40x12: the map" "START        SIZE NAME" 2
contains "40x12: legend" "$(tm_screen | sed -n 2p)" "RAM heat"
check "40x12: one strip row" strip_ok 40 "$(tm_screen | sed -n 3p)"
equals "40x12: no line wider than the terminal" "$(too_wide 40)" 0
tm_keys Enter
see "40x12: frames" "KIND        MAP FLAGS" 2
equals "40x12: frames: no line wider than the terminal" "$(too_wide 40)" 0
tm_keys w
see "40x12: who maps" "mapped by" 3
tm_esc; tm_esc
tm_resize 20 6
see "20x6: too small" "terminal too small" 2
tm_keys j Enter w R
check "20x6: keys do not crash it" [ -z "$(tm_exit_status)" ]
tm_resize 80 24
see "80x24 again" "physical map" 2
tm_quit
finish
