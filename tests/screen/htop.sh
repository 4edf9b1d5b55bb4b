#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# htop's habits at 80x24: F1-F10 as htop maps them (F9 kills nothing and
# says so), \ filter as you type (Esc clears), / search with n/N, t/F5 a
# tree, M P F6 sorting, H/K saying their state both ways, the mouse (a
# click selects, a click on a title sorts, the wheel scrolls; --no-mouse
# and :set mouse give it back to the terminal), and an answer to an
# unbound key.  The process list and the VMA list.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

NAME=uih$$.x
start_helper "$HELPERS/uihelper" --comm $NAME --children 2 --threads 2 || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
kids=$(pgrep -P "$pid" | sort -n | tr '\n' ' ')
# rows of the list: lines that start with a PID
rows() { tm_screen | grep -cE '^ +[0-9]+  '; }
info() { tm_screen | sed -n 23p; }

tm_start 80 24 -- "$VMSCOPE" --delay 0.5
see "process list opens" "processes:"
equals "the explorer asks the terminal for the mouse" "$(tm_mouse_on)" 1

# an unbound key is answered, its name escaped
tm_type x
see "unknown key: named, and where help is" "unknown key x, ? for help"
tm_keys C-a
see "a control key is named ^A" "unknown key ^A, ? for help"
check "no raw control character on screen" [ -z "$(tm_screen | tr -d -c '\001')" ]
tm_keys F7
see "F7 is unbound here: said so" "unknown key F7, ? for help"

# F1 help, F2 settings, F3 search, F9 nothing, P no CPU column
tm_keys F1
see "F1 opens the help" "help (Esc: back)"
tm_esc
tm_keys F2
see "F2 opens :set" ":set"
tm_esc
tm_keys F9
see "F9 kills nothing and says so" "vmscope never signals a process"
tm_keys P
see "P: there is no CPU column" "no CPU column"

# F6 chooses the sort column; M sorts by memory
tm_keys F6
see "F6 shows the sort menu" "Sort by"
tm_keys Down Enter
see "F6, Down, Enter: sorted by VSZ" "sort VSZ"
not_see "the menu is gone" "Sort by"
tm_keys M
see "M sorts by memory" "sorted by memory (RSS)"
contains "M: the title says RSS" "$(tm_screen | head -1)" "sort RSS"

# \ filters as you type; Enter keeps the filter
tm_type '\'
see "\\ opens the filter prompt" "Filter: "
tm_type "$NAME"
see "the title says the filter" "filter \"$NAME\""
equals "only the helper and its 2 children are left" "$(rows)" 3
tm_keys Enter
tm_wait_gone "Filter: " 3
contains "Enter keeps the filter" "$(tm_screen | head -1)" "filter \"$NAME\""

# t: the tree, the children under the helper
tm_keys t
see "t: tree, said so" "tree: each process under its parent"
contains "the title says tree" "$(tm_screen | head -1)" ", tree"
matches "the helper is a root of the filtered tree" "$(tm_screen | grep -E "^ *$pid ")" "^ *$pid +$(id -un) .* [^ ]*uihelper"
set -- $kids
matches "first child: ├─ under the helper" "$(tm_screen | grep -E "^ *$1 ")" " ├─ [^ ]*uihelper"
matches "last child: └─" "$(tm_screen | grep -E "^ *$2 ")" " └─ [^ ]*uihelper"
tm_keys F5
see "F5 toggles the tree too" "flat list (t: the tree)"

# H threads, K kernel threads: both ways
tm_keys H
see "H: threads shown" "threads shown"
tm_wait_gone "processes: 3," 3
equals "H: the helper's 2 threads are rows" "$(rows)" 5

# the mouse, on these 5 rows: a title sorts, again the other way; a
# click selects; the wheel moves the selection 3 rows
tm_click 3 1
see "a click on PID sorts by it" "sorted by PID"
contains "the PID title is marked" "$(tm_line COMMAND)" "PID"$'\xe2\x86'
tm_click 3 1
see "a second click reverses" "sorted by PID, reversed"
tm_click 3 1
tm_wait_gone "reversed" 2
row() { tm_screen | sed -n "$(($1 + 3))p" | awk '{print $1}'; }
r2=$(row 2)
tm_click 40 4
see "a click selects its row" "$r2 "
contains "the info line names the clicked row" "$(info)" "$r2 "
tm_keys g
tm_mouse 65 40 4
see "the wheel moves down 3 rows" "$(row 3) "
tm_mouse 64 40 4
see "and up 3" "$(row 0) "
tm_keys H
see "H again: threads hidden" "threads hidden (H shows them)"
tm_wait_gone "+threads" 3
equals "threads gone" "$(rows)" 3
tm_keys K
see "K: kernel threads shown" "kernel threads shown (K hides them)"
tm_keys K
see "K again: kernel threads hidden" "kernel threads hidden (K shows them)"

# search: / selects, n and N go on and back
tm_keys /; tm_type "$NAME"; tm_keys Enter
# (the info line still says K's message until the search has selected)
tm_wait_gone "kernel threads hidden (K shows them)" 5
first=$(info)
tm_keys n
tm_line_changes "$NAME" "$first" 2
second=$(info)
check "n moves to the next match" [ "$second" != "$first" ]
tm_keys N
see "N goes back" "$first"

# Esc clears the filter (it does not leave the list)
tm_esc
see "Esc clears the filter" "filter cleared"
not_see "no filter in the title" 'filter "'
check "every process again" [ "$(rows)" -gt 3 ]

# the VMA list: \ filter, Esc clears then goes back, / search, a click
tm_keys /; tm_type "$NAME"; tm_keys Enter Enter
see "the helper's VMAs" "PID $pid $NAME"
tm_keys F4; tm_type "[stack]"
see "F4: the VMA list filtered" 'filter "[stack]"'
matches "only [stack] is left" "$(tm_screen | grep -cE '^ *[0-9a-f]+(-[0-9a-f]+)? +[r-][w-][x-][ps] ')" "^1$"
tm_keys Enter
tm_esc
see "Esc clears the VMA filter" "filter cleared (Esc again: back)"
contains "still on the VMAs" "$(tm_screen | head -1)" "PID $pid"
tm_keys /; tm_type "[heap]"; tm_keys Enter
see "/ finds [heap]" "[heap]"
contains "the info line is on [heap]" "$(info)" "heap"
third=$(tm_screen | sed -n 4p | awk '{print $1}')
tm_click 10 3
see "a click selects a VMA" "${third%%-*}"
tm_esc
see "Esc again: back to the list" "processes:"

tm_keys F10
if tm_wait_exit 5; then
	equals "F10 quits, exit 0" "$(tm_exit_status)" 0
else
	fail "F10 quits"
fi

# the tree in ASCII; the mouse left to the terminal
tm_start 80 24 -- "$VMSCOPE" --ascii --no-mouse
see "--ascii --no-mouse: list opens" "processes:"
equals "--no-mouse: the terminal keeps the mouse" "$(tm_mouse_on)" 0
tm_type '\'; tm_type "$NAME"; tm_keys Enter t
see "ASCII tree: the last child" "\`- "
tm_cmd "set mouse yes"
see ":set mouse yes says so" "mouse yes"
equals ":set mouse yes takes the mouse" "$(tm_mouse_on)" 1
tm_cmd "set mouse no"
see ":set mouse no" "mouse no"
equals ":set mouse no gives it back" "$(tm_mouse_on)" 0
tm_quit

# a terminal whose terminfo says SGR 1006 (xterm's): clicks still land
tm_start 80 24 -- env TERM=xterm-256color "$VMSCOPE"
see "xterm: list opens" "processes:"
equals "xterm: SGR mouse asked for" "$($TM display -p -t 0 '#{mouse_sgr_flag}')" 1
tm_click 13 1
see "SGR click on USER sorts by it" "sort USER"
tm_quit
finish
