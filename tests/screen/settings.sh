#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The settings file ($XDG_CONFIG_HOME/vmscope/config) at 80x24: read at
# start (a bad line a warning naming file, line and key, never fatal),
# options win, :set changes a setting for the session and :set save
# writes the file (0644, atomically, never through a symbolic link).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
[ -d "$TOP/demo/pc" ] || skip_all "no demo/pc"
CONF=$TMPD/config/vmscope/config
mkdir -p "$TMPD/config/vmscope"
mkdir -m 1777 "$TMPD/tmp"
start() { tm_start 80 24 TMPDIR="$TMPD/tmp" -- "$VMSCOPE" --demo "$@"; }

cat >"$CONF" <<'EOF'
# my settings
sort = pid
columns = pid, rss, command
colour = red
delay = 0.5
EOF
start
see "starts with a bad line in the settings" "processes:"
see "the bad line: a warning with the file, line and key" "config line 4 'colour': unknown setting"
see "sort from the file" "sort PID"
not_see "columns from the file: no USER" "USER"
tm_cmd "set"
see ":set shows the settings" "delay 0.5, sort pid, columns pid,rss,command, ascii no"
tm_cmd "set sort vsz reverse"
see ":set sort changes the list's sort" "sort VSZ rev"
tm_cmd "set columns user,vsz"
see ":set columns shows USER" "USER"
not_see "... and not RSS" " RSS"
tm_cmd "set delay 0.01"
see ":set with a bad value: the key and why" ":set delay: give seconds between 0.1 and 3600"
tm_cmd "set colour red"
see ":set with an unknown key says which there are" "no setting 'colour' (theme, delay, sort"
tm_keys s   # the sort key: :set save keeps the sort as it is now
tm_cmd "set save"
see ":set save says where" "settings saved to $CONF"
tm_quit ":set save"
saved=$(cat "$CONF")
contains "the file holds the sort as the keys left it" "$saved" "sort = command reverse"
contains "... the columns set" "$saved" "columns = pid,user,vsz,command"
contains "... the delay from the file" "$saved" "delay = 0.5"
not_contains "... and not the bad line" "$saved" "colour"
equals "the file is 0644" "$(stat -c %a "$CONF")" 644
check "no temporary file left" test "$(ls -A "$TMPD/config/vmscope")" = config

# the options win over the file
printf 'theme = light\nascii = no\n' >"$CONF"
start --theme mono --ascii
see "starts" "processes:"
tm_cmd "set"
see "--theme and --ascii win over the file" "theme mono, delay 1, sort rss, columns pid,user,rss,vsz,command, ascii yes"
tm_keys Enter
see "--ascii: the VMAs screen's rule in ASCII" "--------------------"
tm_cmd "set ascii no"
see ":set ascii no: UTF-8 lines again" "────────────────────"
tm_quit "options over the file"

# a theme the file names that is not there: a warning, the default theme
printf 'theme = nosuchtheme\n' >"$CONF"
start
see "a missing theme in the file is not fatal" "processes:"
see "... it says so" "no theme 'nosuchtheme'"
tm_quit "missing theme in the file"

# a symbolic link is neither replaced nor written through
printf 'delay = 2\n' >"$TMPD/mine"
rm -f "$CONF"
ln -s "$TMPD/mine" "$CONF"
start
see "a linked settings file is read" "processes:"
tm_cmd "set"
see "... and its settings used" "delay 2,"
tm_cmd "set save"
see ":set save refuses a symbolic link" "is a symbolic link"
tm_quit "symlinked settings"
check "the link is still a link" test -L "$CONF"
equals "its target untouched" "$(cat "$TMPD/mine")" "delay = 2"

# no settings directory yet: :set save makes it (0755)
rm -rf "$TMPD/config/vmscope"
start
see "no settings file: starts" "processes:"
tm_cmd "set theme high-contrast"
see ":set theme switches the theme" "theme high-contrast"
tm_cmd "set save"
see ":set save makes the directory" "settings saved to"
tm_quit "first save"
equals "the directory is 0755" "$(stat -c %a "$TMPD/config/vmscope")" 755
contains "the theme is saved" "$(cat "$CONF" 2>/dev/null)" "theme = high-contrast"
finish
