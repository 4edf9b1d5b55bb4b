#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Live refresh: what changed since the last refresh is highlighted, and
# only until the refresh after; space pauses; the map, which skips reading
# pages while the process's counters hold still, still shows every change.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

start_helper "$HELPERS/uihelper" --comm uilive || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
grow=$(hex "$(helper_value grow_addr)")
# the mono theme marks changes with bold + underline (SGR 4)
underlined() { tm_screen_e | grep -F -- "$1" | grep -q $'\e\[[0-9;]*4[;m]'; }
not_underlined() { ! underlined "$1"; }

tm_start 100 30 -- "$VMSCOPE" -p "$pid" --theme mono --delay 0.5
see "opens" "PID $pid uilive"
tm_cmd "goto $grow"
tm_keys m
see "map of the growing VMA" "map 1 pg/cell"
matches "one page touched" "$(tm_line "$grow ")" "^0*$grow a[^a]"
check "nothing underlined before a change" not_underlined "$grow "
kill -USR1 "$pid"
see "the new page shows within a refresh" "$grow aa" 3
if underlined "$grow "; then ok "the changed cell is highlighted"; else
	fail "the changed cell is highlighted"; tm_screen_e | grep -F "$grow" | cat -v; fi
# the refresh after clears the highlight
for i in $(seq 1 40); do underlined "$grow " || break; sleep 0.05; done
check "the highlight goes at the next refresh" not_underlined "$grow "

# paused: nothing changes until space
tm_keys Space
see "space pauses" "PAUSED"
kill -USR1 "$pid"
sleep 1.2
matches "paused: the screen keeps the old state" "$(tm_line "$grow ")" "^0*$grow aa[^a]"
tm_keys Space
see "resumed: the change arrives" "$grow aaa" 3

# table form: the changed row is highlighted
tm_keys m
see "table form" "| table |"
kill -USR1 "$pid"
fourth=$(printf '%x' $((0x$grow + 3 * 4096)))
see "table: the new page is present" "$fourth anon" 3
if underlined "$fourth"; then ok "table: the changed row is highlighted"; else
	fail "table: the changed row is highlighted"; tm_screen_e | grep -F "$fourth" | cat -v; fi

# the VMA list: RSS changes are highlighted
tm_esc
see "back to the VMAs" "START-END"
kill -USR1 "$pid"
kill -USR1 "$pid"
ok_hl=0
for i in $(seq 1 40); do
	tm_screen_e | grep -q $'\e\[[0-9;]*4[;m]' && { ok_hl=1; break; }
	sleep 0.05
done
equals "VMAs: a changed RSS is highlighted" "$ok_hl" 1

# The map reads the pages again only when the process's counters moved
# (faults, RSS, swap, THP events), and in full every 5 s for what they
# cannot see.  Each change below must reach the screen.
# line_is DESC REGEX SECONDS: the grow VMA's map row matches REGEX
line_is() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		[[ $(tm_line "$grow ") =~ $2 ]] && { ok "$1"; return; }
		sleep 0.05
	done
	fail "$1"; printf '#   row: %s\n#   want: %s\n' "$(tm_line "$grow ")" "$2"
}
tm_cmd "goto $grow"
see "map again" "$grow "
tm_screen | head -1 | grep -qF "| table |" && tm_keys m
see "... in map form" "map 1 pg/cell"
kill -HUP "$pid"      # read faults: the rest of the region maps the zero page
line_is "read faults: zero pages appear" "^0*$grow a+z+ *$" 3
kill -USR2 "$pid"     # MADV_DONTNEED: RSS falls, every page goes
line_is "dropped: the written and zero pages go" "^0*$grow [^az]+$" 3
kill -HUP "$pid"
line_is "read faults again: only zero pages" "^0*$grow z+ *$" 3
kill -USR2 "$pid"     # only zero pages dropped: no counter moves
line_is "zero pages dropped: seen by the full read every 5 s" "^0*$grow [^az]+$" 8
tm_quit
finish
