#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The process list: columns, sorting, filter, incremental search, kernel
# threads, live refresh, and opening a process.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

NAME=uip$$.x
start_helper "$HELPERS/uihelper" --comm $NAME || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID

tm_start 80 24 -- "$VMSCOPE" --delay 0.5
see "process list opens" "processes:"
contains "columns" "$(tm_screen)" "PID  USER"
contains "RSS and VSZ columns" "$(tm_line PID)" "VSZ  COMMAND"
contains "sorted by RSS by default" "$(tm_screen | head -1)" "sort RSS"
contains "status: live system" "$(tm_screen | tail -1)" "live"
contains "status: refresh interval" "$(tm_screen | tail -1)" "every 0.5s"

# sort by the next column, and reverse
tm_keys s
see "s sorts by VSZ" "sort VSZ"
tm_keys S
see "S reverses" "sort VSZ rev"
tm_keys '<' S
see "< goes back to RSS" "sort RSS"

# incremental search: the selection's info line names the process
tm_keys /; tm_type "${NAME%?}"
see "search prompt shows the text" "/${NAME%?}"
see "incremental search selects the helper" "$pid $NAME (root)"
tm_keys Enter

# filter
tm_cmd "filter $NAME"
see "filter in the title" "filter \"$NAME\""
# the helper's row by its PID and user: its command line starts with
# the build directory's path, which may push "--comm NAME" off the screen
matches "filtered list has the helper" "$(tm_screen | grep -E "^ *$pid ")" "^ *$pid +$(id -un) "
n=$(tm_screen | grep -cE '^ +[0-9]+  ')
equals "filter leaves one row" "$n" 1
tm_cmd "filter"
tm_wait_gone 'filter "' 3
check "empty filter clears it" [ "$(tm_screen | grep -cE '^ +[0-9]+  ')" -gt 1 ]

# kernel threads are hidden until K
not_see "kernel threads hidden" "[kthreadd]"
tm_keys K
tm_cmd "filter kthreadd"
see "K shows kernel threads" "[kthreadd]"
tm_keys K
tm_cmd "filter"

# live: a process started now appears within a refresh or two
sleep 3600 &
late=$!
on_exit "kill $late"
tm_cmd "filter sleep 3600"
see "a new process appears live" " $late  root" 3
kill $late; wait $late 2>/dev/null
tm_wait_gone " $late  root" 3
not_see "an exited process disappears" " $late  root"
tm_cmd "filter"

# open the helper: Enter on the selection
tm_keys /; tm_type "$NAME"; tm_keys Enter
tm_keys Enter
see "Enter opens the VMAs" "PID $pid $NAME"
tm_keys Escape
see "Esc goes back to the list" "processes:"
tm_keys /; tm_type "$NAME"; tm_keys Enter Right
see "Right opens too" "PID $pid $NAME"
tm_keys Left
see "Left goes back" "processes:"
tm_keys BSpace
see "Backspace on the first screen says so" "first screen"

tm_quit
finish
