#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounds: vmscope's memory stays flat on a 64 GiB VMA (16M pages: every
# one listed by pages, the explorer's page table and map opened on it),
# stays proportional to the VMAs on a process with 100,000 of them, and a
# 100 MB boot log of repeated and garbage text is read to the end; the
# explorer keeps running on every screen at terminal sizes from 1x1 to
# 500x200, and draws no line wider than the terminal.  Peak RSS figures
# (VmHWM) are printed as "# peak" lines.  The limits below are for the
# plain build; an ASan build only reports (its shadow memory is not
# vmscope's).
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || skip_all "tmux missing"
for h in uihelper manyvmas peakrss; do
	[ -x "$HELPERS/$h" ] || skip_all "no $HELPERS/$h (make test-bin)"
done
. "$TOP/tests/screen/tmux.inc"

SAN=0
nm "$VMSCOPE" 2>/dev/null | grep -q __asan_init && SAN=1
PS=$(getconf PAGESIZE)

# peak DESC LIMIT_KIB WANT_STATUS ARGS...: vmscope ARGS, its peak RSS
# reported and, on a plain build, bounded.  Its output is counted (OUT_LINES
# and OUT_BYTES are set), and kept in $TMPD/out only with KEEP=1: some are
# gigabytes.
peak() {
	local desc=$1 limit=$2 want=$3 rc kib counts
	shift 3
	rm -f "$TMPD/out"
	if [ "${KEEP:-0}" = 1 ]; then
		timeout -k 5 300 "$HELPERS/peakrss" "$TMPD/rss" "$VMSCOPE" "$@" \
			>"$TMPD/out" 2>"$TMPD/err" </dev/null
		rc=$?
		counts=$(wc -lc <"$TMPD/out")
	else
		counts=$(timeout -k 5 300 "$HELPERS/peakrss" "$TMPD/rss" "$VMSCOPE" "$@" \
			2>"$TMPD/err" </dev/null | wc -lc; exit "${PIPESTATUS[0]}")
		rc=$?
	fi
	read -r OUT_LINES OUT_BYTES <<<"$counts"
	kib=$(cat "$TMPD/rss" 2>/dev/null)
	echo "# peak $desc: ${kib:-?} KiB ($OUT_LINES lines, $OUT_BYTES bytes of output)"
	equals "$desc: exits $want" "$rc" "$want"
	[ "$rc" = "$want" ] || sed 's/^/#   /' "$TMPD/err" | head -5
	if [ "$SAN" = 0 ]; then
		check "$desc: peak RSS ${kib:-?} KiB under $limit KiB" [ "${kib:-999999999}" -le "$limit" ]
	fi
}
# ui_peak: VmHWM of the vmscope running in the tmux pane
ui_peak() {
	local sh p
	sh=$($TM display -p -t 0 '#{pane_pid}')
	p=$(pgrep -P "$sh" | head -1)
	# under a wrapper (env, strace) vmscope is one level further down
	[ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" != vmscope ] &&
		p=$(pgrep -P "$p" | head -1)
	sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/status" 2>/dev/null
}
ui_check() { # DESC LIMIT
	local kib
	kib=$(ui_peak)
	echo "# peak $1: ${kib:-?} KiB"
	check "$1: vmscope still running" [ -z "$(tm_exit_status)" ]
	if [ "$SAN" = 0 ]; then
		check "$1: peak RSS ${kib:-?} KiB under $2 KiB" [ "${kib:-999999999}" -le "$2" ]
	fi
}

# ---- one VMA of 64 GiB ----
start_helper "$HELPERS/uihelper" --bigvma 64 || { fail "uihelper --bigvma 64 starts"; finish; exit 1; }
pid=$HELPER_PID
big=$(helper_value bigvma)
blen=$(helper_value bigvma_len)
bhex=$(hex "$big") bend=$(hex $(( big + blen )))
peak "maps, 64 GiB VMA" 16384 0 maps "$pid"
peak "pages over all 64 GiB (16M rows)" 32768 0 pages "$pid" "$bhex-$bend"
equals "pages: one row per page of the 64 GiB (and the header)" "$OUT_LINES" $(( blen / PS + 1 ))
peak "pages --json over 8 GiB of it" 32768 0 --json pages "$pid" "$bhex-$(hex $(( big + (8 << 30) )))"
peak "translate in the 64 GiB VMA" 16384 0 translate "$pid" "$bhex"

tm_start 120 40 -- "$VMSCOPE" -p "$pid"
see "explorer on the 64 GiB VMA: VMAs" "START-END"
tm_cmd "goto $bhex"
see "64 GiB: page table" "$bhex "
tm_keys G
sleep 0.5
tm_keys m
see "64 GiB: page map" "pg/cell"
tm_keys z
sleep 0.5
tm_keys - - - - - -
sleep 0.5
tm_keys Enter
sleep 0.5
ui_check "explorer, 64 GiB VMA: table, map, zoomed out" 65536
tm_quit "explorer on the 64 GiB VMA"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

# ---- a process with 100,000 VMAs ----
WANT=100000
mmc=$(cat /proc/sys/vm/max_map_count)
if [ "$mmc" -le $((WANT + 1000)) ]; then
	# one-page VMAs need the per-process map limit raised for a while
	if [ -w /proc/sys/vm/max_map_count ] &&
	   echo $((WANT + 5000)) >/proc/sys/vm/max_map_count 2>/dev/null; then
		on_exit "echo $mmc >/proc/sys/vm/max_map_count"
	else
		WANT=$((mmc - 1000))
		echo "# vm.max_map_count is $mmc and cannot be raised here: $WANT VMAs"
	fi
fi
start_helper "$HELPERS/manyvmas" "$WANT" || { fail "manyvmas $WANT starts"; finish; exit 1; }
pid=$HELPER_PID
many=$(helper_value many)
nv=$(grep -c . "/proc/$pid/maps")
check "the helper has $WANT VMAs or more ($nv)" [ "$nv" -ge "$WANT" ]
# a VMA is about 400 bytes of struct and name: 0.6 KiB each and 16 MiB
# for the rest is the limit (the smaps text, 700 bytes a VMA, is read a
# chunk at a time, never whole)
lim=$(( WANT * 6 / 10 + 16384 ))
KEEP=1 peak "maps, $nv VMAs" "$lim" 0 maps "$pid"
n=$(grep -c ' anon ' "$TMPD/out")
check "maps lists every one of them ($n)" [ "$n" -ge "$WANT" ]
peak "maps --json, $nv VMAs" "$lim" 0 --json maps "$pid"
peak "pages across all $WANT VMAs" "$lim" 0 pages "$pid" "$(hex "$many")-$(hex $(( many + WANT * PS )))"
peak "translate, $nv VMAs" "$lim" 0 translate "$pid" "$(hex $(( many + WANT / 2 * PS )))"
tm_start 120 40 -- "$VMSCOPE" -p "$pid"
see "explorer on $nv VMAs: VMAs" "START-END" 20
tm_keys G
sleep 0.5
tm_keys g
tm_cmd "goto $(hex $(( many + WANT / 2 * PS )))"
see "$nv VMAs: pages" "$(hex $(( many + WANT / 2 * PS ))) " 20
tm_keys m
sleep 1.5   # a refresh or two
# the explorer keeps one list, refreshed in place, and numbers the holes
# between VMAs instead of copying the VMAs around them: about 0.5 KiB a
# VMA in all (its screens' rows included).  A second list or a copy with
# the holes would be 0.4 KiB a VMA more.
ui_check "explorer, $nv VMAs: VMAs, pages" $(( WANT * 55 / 100 + 16384 ))
tm_quit "explorer on $nv VMAs"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

# ---- a 100 MB boot log: repeated logs, random bytes, a 10 MB line ----
log=$TMPD/big.log
cat "$FIXTURES"/bootlogs/*.log >"$TMPD/one.log"
: >"$log"
while [ "$(stat -c %s "$log")" -lt 60000000 ]; do cat "$TMPD/one.log" >>"$log"; done
head -c 30000000 /dev/urandom >>"$log"
head -c 10000000 /dev/zero | tr '\0' 'x' >>"$log"
sz=$(stat -c %s "$log")
KEEP=1 peak "kernel --bootlog, $((sz >> 20)) MiB log" 409600 0 kernel --bootlog "$log" --bootlog-only
contains "100 MB log: read to its last line" "$(grep -a '^note' "$TMPD/out")" "ends in the middle of line"
peak "kernel --json --bootlog, $((sz >> 20)) MiB log" 409600 0 --json kernel --bootlog "$log" --bootlog-only
rm -f "$log"

# ---- terminal sizes 1x1 .. 500x200, on every screen ----
start_helper "$HELPERS/uihelper" --comm uibounds || { fail "uihelper starts"; finish; exit 1; }
pid=$HELPER_PID
grow=$(hex "$(helper_value grow_addr)")
ALL_SIZES="1x1 2x1 1x2 3x3 10x3 29x7 30x8 31x9 40x12 80x24 132x43 200x60 300x100 500x200 7x200 500x3"
FEW_SIZES="1x1 29x7 30x8 80x24 500x200 500x3"
SIZES=$ALL_SIZES
tm_start 80 24 -- "$VMSCOPE" -p "$pid" --delay 0.2
see "sizes: explorer up" "START-END"
widest() { tm_screen | LC_ALL=C.UTF-8 wc -L; }
# settled W: the widest line once tmux has applied the resize (it may defer
# a pane's resize under load) and vmscope has redrawn for it; polls for up
# to 3 s, so only a drawing that stays too wide is reported.
settled() {
	local i maxw
	for ((i = 0; i < 60; i++)); do
		maxw=$(widest)
		[ "$maxw" -le "$1" ] && break
		sleep 0.05
	done
	echo "$maxw"
}
sizes_on() { # SCREEN: every size, then back to 80x24
	local s w h bad=0 maxw
	for s in $SIZES; do
		w=${s%x*} h=${s#*x}
		tm_resize "$w" "$h"
		sleep 0.15
		if [ -n "$(tm_exit_status)" ]; then
			fail "$1 at ${w}x$h: still running"; bad=1; break
		fi
		maxw=$(settled "$w")
		if [ "$maxw" -gt "$w" ]; then
			# what tmux holds, byte by byte (a stray wide
			# character at 1x1 was ncurses filling the corner
			# cell from outside its line: see resize.sh)
			fail "$1 at ${w}x$h: no line wider than the terminal ($maxw)"; bad=1
			echo "# pane $($TM display -p -t 0 '#{pane_width}x#{pane_height}'), screen:"
			tm_screen | head -3 | cat -A | cut -c1-200 | sed 's/^/#   /'
		fi
		tm_keys j k
	done
	tm_resize 80 24
	sleep 0.3
	[ "$bad" = 0 ] && ok "$1: every size from 1x1 to 500x200"
}
sizes_on "VMAs"
tm_cmd "goto $grow"
see "sizes: page table" "$grow "
sizes_on "page table"
tm_keys m
sizes_on "page map"
SIZES=$FEW_SIZES
tm_keys Enter
sizes_on "page detail"
tm_esc; tm_esc
tm_keys p
sizes_on "physical map"
tm_keys Enter
sizes_on "frames"
tm_keys w
sizes_on "reverse lookup"
tm_esc; tm_esc; tm_esc
tm_keys v
sizes_on "kernel layout"
tm_esc
tm_keys '?'
sizes_on "help"
tm_esc
tm_keys :
tm_type "goto $grow"
sizes_on "command line open"
tm_keys C-u; tm_esc
tm_esc; tm_esc
sizes_on "process list"
tm_quit "explorer after every size"
finish
