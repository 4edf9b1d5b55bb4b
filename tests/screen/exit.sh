#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A process that exits while open: a message, back to the list, no crash,
# from each of its screens.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

for screen in pages map detail vmas; do
	start_helper "$HELPERS/vmhelper" --comm uiexit || { fail "helper starts"; continue; }
	pid=$HELPER_PID
	touched=$(hex "$(helper_value anon_touched)")
	tm_start 80 24 -- "$VMSCOPE" -p "$pid" --delay 0.3
	see "$screen: open" "PID $pid uiexit"
	case $screen in
	pages) tm_cmd "goto $touched"; see "pages open" "$touched anon" ;;
	map) tm_cmd "goto $touched"; tm_keys m; see "map open" "map 1 pg/cell" ;;
	detail) tm_cmd "translate $touched"; see "detail open" "page $touched" ;;
	esac
	kill -9 "$pid"; wait "$pid" 2>/dev/null
	see "$screen: the exit is reported" "process $pid (uiexit) has exited" 3
	see "$screen: back to the process list" "processes:"
	check "$screen: still running" [ -z "$(tm_exit_status)" ]
	tm_quit "$screen: vmscope"
done

# -p with a process that does not exist: an error, no screen
out=$("$VMSCOPE" -p 999999999 </dev/null 2>&1); rc=$?
check "-p of no process fails" [ "$rc" -ne 0 ]
contains "-p of no process: names the PID" "$out" "999999999"
finish
