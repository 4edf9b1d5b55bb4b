#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The ":" command line on readline: commands, Tab completion, history in
# $XDG_STATE_HOME, Esc cancels; d, space, ?/F1, q/F10.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

start_helper "$HELPERS/uihelper" --comm uicmd || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
grow=$(hex "$(helper_value grow_addr)")

tm_start 80 24 -- "$VMSCOPE"
see "starts" "processes:"

# Tab completes command names and theme names
tm_keys :; tm_type "the"; tm_keys Tab
see "Tab completes a command" ":theme"
tm_type "hi"; tm_keys Tab
see "Tab completes a theme name" ":theme high-contrast"
tm_keys Enter
see ":theme switches the theme" "theme high-contrast"
tm_cmd "theme nosuchtheme"
see "unknown theme: error, still running" "no theme 'nosuchtheme'"
tm_cmd "theme default"

# Esc cancels without running anything
tm_keys :; tm_type "quit"; tm_esc
tm_wait_gone ":quit" 2
see "Esc cancels the command line" "processes:"
equals "nothing ran" "$(tm_exit_status)" ""

# delay: the command and the d key
tm_cmd "delay 0.5"
see ":delay sets the interval" "every 0.5s"
tm_cmd "delay 0"
see ":delay checks its range" "between 0.1 and 3600"
tm_keys d
see "d opens the command line with the delay" ":delay 0.5"
# ^U erases the argument only: the command stays in the prompt
tm_keys C-u
equals "^U after d keeps \"delay\"" "$(tm_screen | tail -1 | sed 's/ *$//')" ":delay"
not_see "^U after d erases the old value" ":delay 0.5"
tm_type "2"; tm_keys Enter
see "d: a new delay" "every 2s"

# space pauses
tm_keys Space
see "space pauses" "PAUSED"
tm_keys Space
tm_wait_gone "PAUSED" 2
see "space resumes" "every 2s"

# :pid, :goto, :translate and their errors
tm_cmd "goto 1000"
see ":goto without a process says so" "no process open"
tm_cmd "pid $pid"
see ":pid N opens the process" "PID $pid uicmd"
tm_cmd "goto $grow"
see ":goto ADDR opens the pages there" "$grow anon"
tm_cmd "goto nonsense-name"
see ":goto: neither address nor name" "neither a hex address nor the name"
tm_cmd "goto 10"
see ":goto: outside every mapping" "outside every mapping"
tm_keys :; tm_type "goto [vd"; tm_keys Tab
see "Tab completes VMA names" ":goto [vdso]"
tm_keys C-u; tm_esc
# Tab on ":goto " lists the names, one per place, above the command
# line; the list goes with the next key and is not left after Enter
tm_keys :; tm_type "goto "; tm_keys Tab Tab
see "Tab Tab lists the matches" "[vdso]"
n=$(tm_screen | grep -cE '^\[(vdso|stack|heap)\] *$|^\[(vdso|stack|heap)\]  ')
check "the matches are a list, one name per cell (got $n rows)" [ "$n" -ge 2 ]
tm_type "[vds"; tm_keys Tab Enter
see ":goto after the list" "[vdso]"
tm_wait_gone "[stack]" 2
not_see "the list is gone after Enter" "[stack]"
# :pid Tab lists PIDs with their process names
tm_keys :; tm_type "pid "; tm_keys Tab; tm_keys Tab
# (the list comes after the second Tab is read: wait for it, up to 5 s)
for _ in $(seq 25); do
	n=$(tm_screen | grep -cE '^[0-9]+ +[[:alnum:]_/.:-]+')
	[ "$n" -ge 2 ] && break
	sleep 0.2
done
check ":pid Tab: PIDs with their names ($n rows)" [ "$n" -ge 2 ]
tm_keys C-u; tm_esc
tm_cmd "translate $grow"
see ":translate opens the page detail" "page $grow"
tm_cmd "pid 999999999"
see ":pid of no process: error" "999999999"
tm_cmd "frobnicate"
see "unknown command" "unknown command ':frobnicate'"
tm_cmd "t"
see "ambiguous prefix" "ambiguous command ':t'"

# history: kept under XDG_STATE_HOME, recalled with Up
hist="$TMPD/state/vmscope/history"
check "history file under XDG_STATE_HOME" [ -s "$hist" ]
contains "history has the commands" "$(cat "$hist" 2>/dev/null)" "translate $grow"
equals "history keeps one copy of a line" "$(grep -c "^theme default$" "$hist")" 1
tm_keys : Up
see "Up recalls the last command" ":t"
tm_keys C-u; tm_esc

# help, generated from the key table
tm_keys '?'
see "? opens help" "Keys: everywhere"
tm_keys /; tm_type "pause"; tm_keys Enter
see "help lists keys" "pause / resume live refresh"
tm_keys /; tm_type "goto"; tm_keys Enter
see "help lists commands" ":goto ADDR|NAME"
tm_keys Escape
tm_wait_gone "Keys: everywhere" 2
tm_keys F1
see "F1 opens help" "Keys: everywhere"
tm_keys Escape
tm_cmd "help"
see ":help opens help" "Keys: everywhere"
tm_quit "q from help"

# F10 quits too
tm_start 80 24 -- "$VMSCOPE"
see "starts again" "processes:"
tm_keys F10
tm_wait_exit 5
equals "F10 quits" "$(tm_exit_status)" 0
tm_start 80 24 -- "$VMSCOPE"
see "starts again" "processes:"
tm_cmd "quit"
tm_wait_exit 5
equals ":quit quits" "$(tm_exit_status)" 0
finish
