#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The standing guard (issue 14 point 11), screen half: the hostile process
# (escape sequences, C1, bidi and invisible characters, invalid UTF-8,
# newlines, "x (deleted)" in its command line, comm, files and memfds)
# on every screen: process list, VMAs, page table, page map, page detail,
# kernel layout, physical map, frames, who maps a frame, help, decode;
# live, and from a snapshot of it whose boot log and conf are hostile
# too; and the messages the explorer shows: a bad theme, a vanished
# hostile process, a bad command.  Every byte vmscope writes to the
# terminal is logged (tmux pipe-pane): no C1, bidi or invisible character
# and no invalid UTF-8 may be in it; each screen as drawn holds no control
# character, and the window title is never set.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
. "$(dirname "$0")/../guard.inc"
command -v iconv >/dev/null || skip_all "iconv missing"
[ -x "$HELPERS/hostile" ] || skip_all "no $HELPERS/hostile (make test-bin)"

mkdir -p "$TMPD/files"
chmod 755 "$TMPD/files"
start_helper "$HELPERS/hostile" "$TMPD/files" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
evil=$(hex "$(helper_value evil_file)")
bidi=$(hex "$(helper_value bidi_file)")
bmemfd=$(hex "$(helper_value bidi_memfd)")
deleted=$(hex "$(helper_value deleted_file)")
W=100 H=30

# gs: start vmscope ARGS... with every byte it writes logged to $TMPD/raw
gs() {
	: >"$TMPD/raw"
	tm_start "$W" "$H" -- bash -c 'sleep 0.4; exec "$@"' vmscope "$VMSCOPE" "$@"
	$TM pipe-pane -t 0 -o "cat >>$(printf '%q' "$TMPD/raw")"
	$TM select-pane -t 0 -T vmscope-test
}
# screen DESC: the screen as drawn is clean; the title is ours
screen() {
	GUARD_RUNS=$((GUARD_RUNS + 1))
	tm_settle
	tm_screen >"$TMPD/screen"
	guard_bytes "$1: on screen" "$TMPD/screen" &&
		ok "$1: on screen, clean"
	check "$1: the window title was not set" \
		[ "$($TM display -p -t 0 '#{pane_title}')" != PWNED ]
}
# stream DESC: everything written to the terminal so far
stream() {
	GUARD_CHECKS=$((GUARD_CHECKS - 1))
	guard_bytes "$1: the bytes written to the terminal" "$TMPD/raw" nosc &&
		ok "$1: the bytes written to the terminal: no C1, bidi, invisible, invalid UTF-8"
}

# every screen of the hostile process, from wherever vmscope reads
every_screen() {
	local w=$1
	see "$w: process list" "processes:" 10
	tm_cmd "filter hostile"
	see "$w: the hostile process listed" "hostile" 5
	screen "$w: process list"
	tm_cmd "pid $pid"
	see "$w: VMAs" "START-END"
	screen "$w: VMAs"
	for a in "$evil" "$bidi" "$deleted" "$bmemfd"; do
		tm_cmd "goto $a"
		see "$w: page table at $a" "$a " 5
		screen "$w: page table at $a"
		# the pages screen keeps table or map as it was last left
		tm_screen | grep -q "pg/cell" || tm_keys m
		see "$w: page map at $a" "pg/cell"
		screen "$w: page map at $a"
		tm_keys Enter
		see "$w: page detail at $a" "page $a"
		screen "$w: page detail at $a"
		tm_esc
		tm_esc
	done
	tm_keys v
	see "$w: kernel layout" "kernel" 5
	screen "$w: kernel layout"
	tm_keys Escape
	tm_cmd "goto $bidi"
	see "$w: the bidi-named page" "$bidi " 5
	tm_keys Enter
	see "$w: its detail" "page $bidi"
	if [ "$(id -u)" = 0 ] || [ "$w" = snapshot ]; then
		tm_keys p
		see "$w: physical map" "physical map:" 5
		screen "$w: physical map"
		tm_keys Enter
		see "$w: frames" "frames of " 5
		screen "$w: frames"
		tm_keys w
		see "$w: who maps the frame" "who maps" 5
		screen "$w: who maps the frame"
	fi
	tm_keys '?'
	see "$w: help" "Keys" 5
	screen "$w: help"
	tm_esc
	# decode: a pasted message carrying C1, bidi and invisible characters
	tm_cmd "decode PTE 8000000203f12867 "$'\xe2\x80\xaeevil\xe2\x81\xa6\xc2\x85\xe2\x80\x8b\xef\xbb\xbf'
	see "$w: decode" "PTE" 5
	screen "$w: decode"
	tm_esc
	# messages: a theme that is not one, a bad command, both hostile
	tm_cmd "theme /nonexistent/"$'\xe2\x80\xaeevil\xc2\x9b.theme'
	see "$w: a bad theme's message" "theme file" 5
	screen "$w: a bad theme's message"
	tm_cmd $'\xe2\x80\xaeevil\xc2\x85'
	sleep 0.3
	screen "$w: a bad command's message"
	stream "$w"
	tm_quit "$w: vmscope"
}

gs
every_screen live

# a hostile process that vanishes while open: its name in the message
start_helper "$HELPERS/hostile" "$TMPD/files" || fail "second helper starts"
gone=$HELPER_PID
gs -p "$gone" --delay 0.3
see "vanishing: VMAs open" "START-END" 10
kill "$gone"; wait "$gone" 2>/dev/null
see "vanishing: the exit is reported" "has exited" 5
screen "vanishing: the message"
stream "vanishing"
tm_quit "vanishing: vmscope"

# a snapshot of it, from a hostile machine: conf and boot log
snap=$TMPD/$'\xe2\x80\xaesnap'
"$VMSCOPE" snapshot -p "$pid" -o "$snap" >/dev/null 2>&1
check "snapshot of the hostile process" [ -f "$snap/vmscope-snapshot.conf" ]
{
	for t in "${GUARD_TEXTS[@]}"; do
		printf '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable%s\n' "$t"
		printf '[    0.000000] OF: reserved mem: initialized node %s, compatible id shared-dma-pool\n' "$t"
		printf '[    0.000000] %s\n' "$t"
	done
	cat "$snap/boot.log"
} >"$TMPD/boot.log"
mv "$TMPD/boot.log" "$snap/boot.log"
sed -i "s|^[0-9]* boot.log\$|$(stat -c %s "$snap/boot.log") boot.log|" "$snap/vmscope-snapshot.files"
sed -i "s/^hostname=.*/hostname=$(printf '\xe2\x80\xaehost\e]2;PWNED\a')/" "$snap/vmscope-snapshot.conf"
gs --root "$snap"
every_screen snapshot
echo "# guard: $GUARD_RUNS screens checked, $GUARD_CHECKS captures and terminal streams checked byte by byte"
finish
