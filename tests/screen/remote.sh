#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The explorer over --remote, the agent run here: the process list and a
# process's pages open as on the live root, the status line says remote;
# an agent that leaves after its hello leaves the screen usable and the
# terminal restored, and vmscope exits 1 naming the lost connection.
# Through a pipe delayed 50 ms each way (100 ms round trips), every
# refresh of the VMA screen and of the page screen after its first is
# one round trip, as the client counted them (VMSCOPE_STATS).  A killed
# agent: the screen says the connection is lost and offers r; r starts
# the command again and the same process's screen comes back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
COLLECT=$BUILD/vmscope-collect
[ -x "$COLLECT" ] || skip_all "no $COLLECT (make test-bin)"

start_helper "$HELPERS/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID

tm_start 80 24 -- "$VMSCOPE" --remote "$COLLECT --serve"
see "the process list opens over the pipe" "processes:"
contains "the status line says remote" "$(tm_screen | tail -1)" "remote: "
tm_cmd "pid $pid"
see "the helper's VMAs open" "PID $pid vmhelper"
see "its heap is listed" "[heap]"
tm_keys Enter
see "Enter shows the pages of a VMA" "ADDRESS      STATE"
tm_quit

tm_start 80 24 -- "$VMSCOPE" --remote "$HELPERS/hostile_agent hello-exit"
see "a lost agent: the screen says so" "remote: connection lost"
tm_keys q
tm_wait_exit
equals "... q leaves with status 1" "$(tm_exit_status)" 1
see "... and the reason is printed on the restored terminal" "vmscope: remote: connection lost"
# --- one round trip per refresh, at 100 ms of round-trip time ---
DELAY=$HELPERS/delaypipe
a=$(helper_value anon_touched)
tm_start 80 24 VMSCOPE_STATS="$TMPD/stats" -- "$VMSCOPE" --delay 0.5 -p "$pid" \
	--remote "$DELAY 50 $COLLECT --serve"
see "the VMA screen opens through a 100 ms round trip" "PID $pid vmhelper" 20
sleep 3
tm_cmd "goto ${a#0x}"
see "the page screen opens on the touched memory" "ADDRESS      STATE" 10
sleep 3
tm_keys m
see "... and its map" "pg/cell" 15
sleep 6
tm_quit "vmscope over the delayed pipe"
rts=$(sed -n 's/^remote_tick_roundtrips=//p' "$TMPD/stats")
nticks=$(tr ',' '\n' <<<"$rts" | grep -c .)
ones=$(tr ',' '\n' <<<"$rts" | grep -cx 1)
more=$(tr ',' '\n' <<<"$rts" | grep -cvx 1)
check "at least 12 refreshes counted in 12 s at 0.5 s ($nticks: $rts)" test "$nticks" -ge 12
check "every refresh but the first of each screen is one round trip ($rts)" \
	test "$more" -le 3 -a "$ones" -ge $((nticks - 3))
last=$(tr ',' '\n' <<<"$rts" | tail -4 | sort -u | tr '\n' ' ')
equals "the page map's last refreshes: one round trip each" "$last" "1 "

# --- the agent killed: the screen says so, r reconnects ---
tm_start 80 24 -- "$VMSCOPE" -p "$pid" \
	--remote "echo \$\$ >$TMPD/agent.pid; exec $COLLECT --serve"
see "the VMA screen opens" "PID $pid vmhelper"
kill "$(cat "$TMPD/agent.pid")"
see "a killed agent: the screen says the connection is lost" "connection lost" 5
see "... and offers to reconnect" "connection lost -- r reconnect, q quit"
see "... the process's screen stays" "PID $pid vmhelper"
tm_keys r
see "r reconnects" "reconnected" 5
not_see "... the status line is back" "r reconnect, q quit"
check "... through a new agent" test "$(cat "$TMPD/agent.pid")" != ""
see "... on the same process's screen" "PID $pid vmhelper"
tm_keys Enter
see "... which goes on: Enter opens a VMA's pages" "ADDRESS      STATE"
tm_quit "vmscope after a reconnect"

# --- the agent killed under the process list: its rows stay drawn (a
# failed re-read once freed them while the screen still drew them) ---
tm_start 80 24 -- "$VMSCOPE" --delay 0.5 \
	--remote "echo \$\$ >$TMPD/agent.pid; exec $COLLECT --serve"
see "the process list opens" "processes:"
kill "$(cat "$TMPD/agent.pid")"
see "killed under the process list: the screen says so" "connection lost -- r reconnect, q quit" 5
sleep 1
see "... and still shows the list" "processes:"
tm_keys q
tm_wait_exit
equals "... q leaves with status 1, no crash" "$(tm_exit_status)" 1

finish
