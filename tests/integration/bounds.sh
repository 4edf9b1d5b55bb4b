#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounds: vmscope's memory stays flat on a 64 GiB VMA (16M pages: every
# one listed by pages, the explorer's page table and map opened on it),
# stays proportional to the VMAs on a process with 100,000 of them, and a
# 100 MB boot log of repeated and garbage text is read to the end (the
# terminal sizes are bounds_sizes.sh's).  Peak RSS figures (VmHWM) are
# printed as "# peak" lines.  The limits below are for the
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
peak "pages over all 64 GiB" 32768 0 pages "$pid" "$bhex-$bend"
# a page written every 64 MiB: its row, then one line for the run of
# not-present pages up to the next
equals "pages: a row per written page, a line per run of not-present pages between (and the two header lines)" \
	"$OUT_LINES" $(( 2 * (blen >> 26) + 2 ))
peak "pages --every-page over all 64 GiB (16M rows)" 32768 0 pages "$pid" "$bhex-$bend" --every-page
equals "pages --every-page: one row per page of the 64 GiB (and the two header lines)" "$OUT_LINES" $(( blen / PS + 2 ))
peak "pages --json over 8 GiB of it" 32768 0 --json pages "$pid" "$bhex-$(hex $(( big + (8 << 30) )))"
peak "translate in the 64 GiB VMA" 16384 0 translate "$pid" "$bhex"

tm_start 120 40 -- "$VMSCOPE" -p "$pid"
see "explorer on the 64 GiB VMA: VMAs" "START-END"
tm_cmd "goto $bhex"
see "64 GiB: page table" "$bhex "
tm_keys G
see "64 GiB: the table's last page" "$(hex $(( big + blen - PS ))) "
tm_keys m
see "64 GiB: page map" "pg/cell"
zoom=$(tm_line "pg/cell")
tm_keys z
check "64 GiB: z fits the map to the VMA" tm_line_changes "pg/cell" "$zoom"
zoom=$(tm_line "pg/cell")
tm_keys - - - - - -
check "64 GiB: - zooms out" tm_line_changes "pg/cell" "$zoom"
tm_keys Enter
see "64 GiB: Enter: back to the table" "| table |"
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
# read 4,096 VMAs at a time: every VMA the kernel lists, in its order,
# with its perms, across the windows' seams (the helper holds still)
awk '{ split($1, a, "-"); printf "%016s %016s %s\n", a[1], a[2], $2 }' \
	"/proc/$pid/maps" | tr ' ' 0 | sed 's/^\(.\{16\}\)0\(.\{16\}\)0/\1 \2 /' >"$TMPD/kmaps"
awk 'NR > 2 && /^[0-9a-f]+ [0-9a-f]+ [-r][-w][-x][ps] / { print $1, $2, $3 }' \
	"$TMPD/out" >"$TMPD/vmaps"
check "maps: the kernel's $nv VMAs, in order, with their perms" \
	cmp -s "$TMPD/kmaps" "$TMPD/vmaps"
peak "maps --json, $nv VMAs" "$lim" 0 --json maps "$pid"
peak "pages across all $WANT VMAs" "$lim" 0 pages "$pid" "$(hex "$many")-$(hex $(( many + WANT * PS )))"
peak "translate, $nv VMAs" "$lim" 0 translate "$pid" "$(hex $(( many + WANT / 2 * PS )))"
tm_start 120 40 -- "$VMSCOPE" -p "$pid"
see "explorer on $nv VMAs: VMAs" "START-END" 20
before=$(tm_screen)
tm_keys G
check "$nv VMAs: G goes to the last" tm_changes "$before" 20
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

finish
