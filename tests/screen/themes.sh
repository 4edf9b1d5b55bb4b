#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Themes (built-in, shipped, user's own, NO_COLOR), ASCII line drawing
# (--ascii and non-UTF-8 locales), and process text escaped before it
# reaches the terminal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

start_helper "$HELPERS/uihelper" --comm $'\e[31mevil' --file $'we\eird\nname' || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
sgr_color() { tm_screen_e | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)[;m]'; }

# escaping: comm and file names with control characters
tm_start 100 30 -- "$VMSCOPE"
see "list up" "processes:"
tm_cmd "filter evil"
# (as the batch commands show it: libproc2's '?' is read again raw)
see "comm with an escape sequence shown escaped" '\e[31mevil'
no_raw_esc() { ! tm_screen | grep -q $'\e'; }
check "no raw ESC reaches the screen" no_raw_esc
# open this test's own helper: other processes may carry such names too
tm_cmd "pid $pid"
see "title shows the comm escaped" "PID $pid \\e[31mevil |"
check "no raw ESC in the title" no_raw_esc
see "a file name with ESC shown escaped" 'we\eird'
check "colours in the default theme" sgr_color
for t in mono light high-contrast default; do
	tm_cmd "theme $t"
	see "theme $t loads" "theme $t"
done
tm_quit

for t in light high-contrast mono; do
	tm_start 80 24 -- "$VMSCOPE" --theme "$t"
	see "--theme $t starts" "processes:"
	tm_quit "--theme $t"
done
out=$(script -qec "$VMSCOPE --theme nosuch" /dev/null </dev/null 2>&1); rc=$?
check "--theme nosuch fails" [ "$rc" -ne 0 ]
contains "--theme nosuch says so" "$out" "no theme 'nosuch'"

# NO_COLOR: the mono theme, not one colour on screen
tm_start 80 24 NO_COLOR=1 -- "$VMSCOPE" -p "$pid"
see "NO_COLOR starts" "START "
no_sgr_color() { ! sgr_color; }
check "NO_COLOR: no colour sequences" no_sgr_color
tm_quit "NO_COLOR"

# a terminal without colours gets mono too, whatever was asked
tm_start 80 24 -- env TERM=vt100 "$VMSCOPE" -p "$pid" --theme high-contrast
see "vt100 starts" "START "
check "vt100: no colour sequences" no_sgr_color
tm_cmd "theme light"
see "vt100: :theme says there is no colour" "(no colour)"
tm_quit "vt100"

# a user theme from XDG_CONFIG_HOME
mkdir -p "$TMPD/config/vmscope/themes"
printf 'title = red green bold\n' >"$TMPD/config/vmscope/themes/mine.theme"
chmod -R a+rX "$TMPD/config"
tm_start 80 24 -- "$VMSCOPE"
see "starts" "processes:"
tm_keys :; tm_type "theme mi"; tm_keys Tab
see "user theme completes" ":theme mine"
tm_keys Enter
see "user theme loads" "theme mine"
check "user theme's title colours (red on green)" eval "tm_screen_e | head -1 | grep -qE \$'\\e\\\\[([0-9;]*;)?31;42m|\\e\\\\[([0-9;]*;)?42;31m|\\e\\\\[31m\\e\\\\[42m'"
printf 'title = chartreuse\n' >"$TMPD/config/vmscope/themes/bad.theme"
tm_cmd "theme bad"
see "a malformed theme: error names the line" "line 1"
tm_quit "user theme"

# ASCII: --ascii, and a non-UTF-8 locale
for how in --ascii LANG=C; do
	if [ "$how" = --ascii ]; then
		tm_start 80 24 -- "$VMSCOPE" --ascii -p "$pid"
	else
		tm_start 80 24 LANG=C LC_ALL=C -- "$VMSCOPE" -p "$pid"
	fi
	see "$how: starts" "START "
	see "$how: ASCII rule above the panel" "--------------------"
	not_see "$how: no UTF-8 box drawing" "─"
	tm_cmd "goto [heap]"
	see "$how: pages of the heap" "heap [heap]"
	tm_screen | head -1 | grep -qF "| table |" && tm_keys m
	see "$how: map" "pg/cell"
	not_see "$how: no UTF-8 dots in the map" "·"
	tm_quit "$how"
done
finish
