#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# As nobody, the process list marks what cannot be opened: root's
# processes are dim, a legend says what dim means, the info line says why;
# u shows only my processes and says so both ways; the only_mine setting
# starts there.  Nobody runs a copy of vmscope (lib.sh's nobody_setup).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
nobody_setup
asnobody=("${NOBODY[@]}")
VMSCOPE=$NOBODY_VMSCOPE

NAME=uinm$$
cp "$HELPERS/uihelper" "$NOBODY_DIR/bin/uihelper"
start_helper "${asnobody[@]}" "$NOBODY_DIR/bin/uihelper" --comm $NAME || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
rows() { tm_screen | grep -E '^ +[0-9]+  '; }

tm_start 80 24 NO_COLOR=1 -- "${asnobody[@]}" "$VMSCOPE"
see "nobody: the list opens" "processes:"
see "the legend says what dim means" "dim: not yours to open, u: only mine"
matches "the title counts the dim rows" "$(tm_screen | head -1)" "processes: [0-9]+, [0-9]+ dim"
# a root process is dim (mono under NO_COLOR: SGR 2), the helper not;
# the selected row aside; sorted by user, nobody's come first
tm_keys F6 Up Enter
see "sorted by USER" "sorted by USER"
tm_keys g Down
tm_settle
# each row with the attributes it is drawn in (capture-pane -e writes
# them only where they change: carried down from the rows above)
attr_rows() {
	tm_screen_e | sed -n '3,22p' | awk '{
		if (match($0, /^(\033\[[0-9;]*m)+/)) st = substr($0, 1, RLENGTH)
		print st "\t" $0 }'
}
mine_line=$(attr_rows | grep -E " $pid " | head -1)
dim=$'\e\\[([0-9]+;)*2m'
check "the helper (nobody's) is there" [ -n "$mine_line" ]
check "the helper (nobody's) is not dim" [ -z "$(grep -E "$dim" <<<"$mine_line")" ]
# the info line on a root process says why it cannot be opened
tm_cmd "filter root"
see "the info line says why" "not yours: opening it needs root (u: only mine)"
# root's rows, whatever else runs as nobody meanwhile (other tests do)
tm_settle
root_line=$(attr_rows | grep -E ' root ' | grep -vE $'\e\\[([0-9]+;)*7m' | head -1)
# (dim may start after the PID's leading blanks: the whole row counts)
check "a root process is drawn dim" grep -qE "$dim" <<<"$root_line"
tm_cmd "filter"

tm_keys u
see "u: only mine, said so" "only my processes (u: everyone's)"
contains "the title says only mine" "$(tm_screen | head -1)" "(only mine)"
check "only nobody's processes are rows" [ -z "$(rows | grep -v ' nobody ')" ]
check "the helper is one of them" [ -n "$(rows | grep -E "^ *$pid +nobody ")" ]
not_see "no dim legend when none is dim" "dim: not yours"
tm_keys u
see "u again: everyone's, said so" "everyone's processes; dim ones are not yours"
check "root's processes again" [ -n "$(rows | grep ' root ')" ]
tm_quit "nobody: vmscope"

# the setting: only_mine = yes in the settings file starts there
mkdir -p "$TMPD/config/vmscope"
printf 'only_mine = yes\n' >"$TMPD/config/vmscope/config"
chmod -R a+rX "$TMPD/config"
tm_start 80 24 -- "${asnobody[@]}" "$VMSCOPE"
see "only_mine = yes: the list starts with mine" "(only mine)"
check "only_mine = yes: only nobody's processes" [ -z "$(rows | grep -v ' nobody ')" ]
tm_cmd "set only_mine no"
see ":set only_mine no" "only_mine no"
tm_wait "dim: not yours" 3
check ":set only_mine no: root's processes again" [ -n "$(rows | grep ' root ')" ]
tm_quit "nobody: vmscope with only_mine"
finish
