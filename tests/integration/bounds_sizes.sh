#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounds of the terminal: the explorer keeps running on every screen at
# terminal sizes from 1x1 to 500x200, draws no line wider than the
# terminal, and has redrawn for each size before the next one comes (the
# "too small" notice where it belongs, or the status line on the last
# row).  Split from bounds.sh, whose memory bounds must run alone: this
# part waits on tmux and runs beside other tests.
. "$(dirname "$0")/../lib.sh"
command -v tmux >/dev/null || skip_all "tmux missing"
[ -x "$HELPERS/uihelper" ] || skip_all "no $HELPERS/uihelper (make test-bin)"
. "$TOP/tests/screen/tmux.inc"

# The sizes, each for a reason (the explorer's layouts change at widths 44,
# 56, 60, 73-80, 100, 120 and 255, heights 12-30, and the minimum 30x8):
# the corner cell (1x1, 2x1, 1x2), the "too small" notice clipped (10x3),
# centred (29x7), narrow (7x200) and wide (500x3); the minimum and one
# past it (30x8, 31x9); 40x12, 80x24; one size between 120 and 255 columns
# (200x60) and one past 255 (500x200).  132x43 and 300x100 fell in the
# same bands as 200x60 and 500x200, and 3x3 drew what 10x3 draws.
ALL_SIZES="1x1 2x1 1x2 10x3 29x7 30x8 31x9 40x12 80x24 200x60 500x200 7x200 500x3"
FEW_SIZES="1x1 29x7 30x8 80x24 500x200 500x3"
MIN_W=30 MIN_H=8   # UI_MIN_COLS, UI_MIN_LINES

start_helper "$HELPERS/uihelper" --comm uibounds || { fail "uihelper starts"; finish; exit 1; }
pid=$HELPER_PID
grow=$(hex "$(helper_value grow_addr)")
tm_start 80 24 -- "$VMSCOPE" -p "$pid" --delay 0.2
see "sizes: explorer up" "START "

widest() { tm_screen | LC_ALL=C.UTF-8 wc -L; }
# drawn W H MARK: whether vmscope has drawn for WxH: below the minimum,
# "terminal too small" on the row and column app.c puts it (clipped to
# W, nothing at all on 1x1's corner cell); else MARK on the last row.
drawn() {
	local w=$1 h=$2 scr y want
	# tmux may defer a pane's resize under load
	[ "$($TM display -p -t 0 '#{pane_width}x#{pane_height}')" = "${w}x$h" ] || return 1
	scr=$(tm_screen | sed 's/ *$//')   # rows vmscope cleared end in spaces
	if [ "$w" -ge "$MIN_W" ] && [ "$h" -ge "$MIN_H" ]; then
		sed -n "${h}p" <<<"$scr" | grep -qF -- "$3"
		return
	fi
	y=$(( h / 2 - 1 < 0 ? 0 : h / 2 - 1 ))
	if [ "$w" -lt 2 ] && [ "$y" = $((h - 1)) ]; then
		want=""
	elif [ 18 -lt "$w" ]; then
		want=$(printf '%*s%s' $(((w - 18) / 2)) '' "terminal too small")
	else
		want=$(cut -c1-"$w" <<<"terminal too small")
	fi
	[ "$(sed -n "$((y + 1))p" <<<"$scr")" = "$want" ]
}
# resized W H MARK: resize, then wait (up to 5 s) until vmscope has drawn
# for it; says so when it never did
MISSED=0
resized() {
	local i
	tm_resize "$1" "$2"
	for ((i = 0; i < 100; i++)); do
		drawn "$@" && return 0
		[ -n "$(tm_exit_status)" ] && return 1
		sleep 0.05
	done
	MISSED=$((MISSED + 1))
	echo "# no redraw seen at ${1}x$2 (mark '$3'):"
	tm_screen | head -3 | cut -c1-100 | sed 's/^/#   /'
	return 1
}
sizes_on() { # SCREEN [MARK]: every size, then back to 80x24
	local s w h bad=0 maxw mark=${2:-every 0.2s}
	for s in $SIZES; do
		w=${s%x*} h=${s#*x}
		resized "$w" "$h" "$mark"
		if [ -n "$(tm_exit_status)" ]; then
			fail "$1 at ${w}x$h: still running"; bad=1; break
		fi
		maxw=$(widest)
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
	resized 80 24 "$mark"
	[ "$bad" = 0 ] && ok "$1: every size from 1x1 to 500x200"
}
SIZES=$ALL_SIZES
sizes_on "VMAs"
tm_cmd "goto $grow"
see "sizes: page table" "$grow "
sizes_on "page table"
tm_keys m
see "sizes: page map" "pg/cell"
sizes_on "page map"
SIZES=$FEW_SIZES
tm_keys Enter
see "sizes: page detail" "page $grow"
sizes_on "page detail"
tm_esc; tm_esc
tm_keys p
see "sizes: physical map" "physical map:"
sizes_on "physical map"
tm_keys Enter
see "sizes: frames" "frames of "
sizes_on "frames"
tm_keys w
see "sizes: reverse lookup" "who maps"
sizes_on "reverse lookup"
tm_esc; tm_esc; tm_esc
tm_keys v
see "sizes: kernel layout" "START"
sizes_on "kernel layout"
tm_esc
tm_keys '?'
see "sizes: help" "Keys: everywhere"
sizes_on "help"
tm_esc
tm_keys :
tm_type "goto $grow"
sizes_on "command line open" "goto $grow"
tm_keys C-u; tm_esc
tm_esc; tm_esc
see "sizes: process list" "processes:"
sizes_on "process list"
equals "vmscope redrew for every size" "$MISSED" 0
tm_quit "explorer after every size"
finish
