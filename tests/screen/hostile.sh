#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile text on every screen: a process whose command line, comm, file
# names, memfd name and a 4000-character path carry escape sequences
# (clear screen, set the window title), newlines and invalid UTF-8.  On
# the process list, the VMAs, the page table and map, the page detail,
# the physical map and the reverse lookup, the names show escaped; the
# window title is never set by them (tmux's pane title stays ours) and
# no line is wider than the terminal.  Also on a terminal too narrow for
# the long path, and with a snapshot whose conf carries escapes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
[ -x "$HELPERS/hostile" ] || skip_all "no $HELPERS/hostile (make test-bin)"

mkdir -p "$TMPD/files"
chmod 755 "$TMPD/files"
start_helper "$HELPERS/hostile" "$TMPD/files" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
memfd=$(hex "$(helper_value evil_memfd)")
evil=$(hex "$(helper_value evil_file)")

W=100 H=30
title_ours() { [ "$($TM display -p -t 0 '#{pane_title}')" != PWNED ]; }
# display columns of the widest line (wc -L counts columns in UTF-8)
fits() { [ "$(tm_screen | LC_ALL=C.UTF-8 wc -L)" -le "$W" ]; }
# safe DESC: after a screen is drawn, nothing got through
safe() {
	check "$1: the window title was not set" title_ours
	check "$1: no line wider than the terminal" fits
	not_see "$1: no raw text of the title sequence" "2;PWNED"$'\a'
}

tm_start "$W" "$H" -- "$VMSCOPE"
$TM select-pane -t 0 -T vmscope-test
see "list up" "processes:"
tm_cmd "filter PWNED"
# libproc2 hands over control characters as '?': vmscope reads the raw
# text again and shows the same escapes as the batch commands
see "process list: the command line shown escaped" '\e[2J\e]2;PWNED\x07\n\xff\xfe\xc2\x9b31mhostile'
safe "process list"

tm_cmd "pid $pid"
see "VMAs open on the hostile process" "START-END"
# names too long for NAME keep their end (after a mark), escaped
see "VMAs: the file name shown escaped" ']2;PWNED\x07\\012\xff\xfe\xc2\x9b31m'
see "VMAs: the memfd name shown escaped" ':\e]2;PWNED\x07\e[2J\xff'
contains "title: comm shown, defused" "$(tm_screen | head -1)" '[2J'
safe "VMAs"
tm_keys /; tm_type "dddddddd"; tm_keys Enter
see "VMAs: the 4000-character path, its end kept" "dddd"
safe "VMAs, long path selected"

tm_cmd "goto $evil"
see "page table of the hostile file" "$evil "
safe "page table"
tm_keys m
see "page map" "pg/cell"
safe "page map"
tm_keys Enter
see "page detail" "page $evil"
see "page detail: the mapping's name escaped" '\e[2J'
safe "page detail"
tm_keys Escape Escape

tm_cmd "goto $memfd"
see "page table of the memfd" "$memfd "
tm_keys Enter
see "memfd page detail" "page $memfd"
safe "memfd page detail"
# the physical map at that page, its frames, and who maps the page's
# frame (just that frame: a whole range's lookup stops at 5000 mappings,
# which other processes on the machine may fill first)
if [ "$(id -u)" = 0 ]; then
	tm_keys p
	see "physical map opens at the page" "physical map:" 5
	safe "physical map"
	tm_keys Enter
	see "the range's frames" "frames of " 5
	tm_keys w
	see "who maps the page's frame" "who maps PFN 0x" 5
	see "reverse lookup names the process, escaped" "$pid "
	contains "... with its name escaped" "$(tm_line "$pid ")" '\e[2J\n\xff'
	safe "reverse lookup"
fi
tm_quit "vmscope on the hostile process"

# a narrow terminal: the long path and escapes clipped, never wrapped
W=40 H=12
tm_start "$W" "$H" -- "$VMSCOPE" -p "$pid"
see "40x12: VMAs" "START"
tm_keys /; tm_type "dddddddd"; tm_keys Enter
sleep 0.3
safe "40x12 VMAs, long path selected"
tm_quit "40x12"

# a snapshot from elsewhere whose conf carries escapes (status line)
snap=$TMPD/snap
"$VMSCOPE" snapshot -p "$pid" -o "$snap" >/dev/null 2>&1
sed -i 's/^hostname=.*/hostname=\x1b]2;PWNED\x07host/' "$snap/vmscope-snapshot.conf"
W=160 H=30
tm_start "$W" "$H" -- "$VMSCOPE" --root "$snap" -p "$pid"
see "snapshot: VMAs" "START-END"
$TM select-pane -t 0 -T vmscope-test
tm_keys j
sleep 0.3
see "snapshot: status line shows the hostname escaped" 'host'
safe "snapshot status line"
tm_quit "snapshot"
finish
