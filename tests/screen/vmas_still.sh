#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The VMA screen skips its reads while the process's fingerprint holds
# still; a mapping made without a page fault (no fault count, no RSS
# moves) still shows at the next refresh, well before the full read it
# makes every few seconds anyway.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

start_helper "$HELPERS/layouthelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
tm_start 80 24 -- "$VMSCOPE" -p "$pid" --delay 0.5
see "opens on the VMA screen" "PID $pid layouthelper"
n0=$(tm_screen | head -1 | sed -n 's/.*| \([0-9]*\) VMAs.*/\1/p')
# let the refreshes settle into skipping: several still ones
sleep 2
for k in 1 2 3; do
	kill -USR1 "$pid"
	see "mapping $k (no fault) shows within two refreshes" \
		"| $((n0 + k)) VMAs" 2
done
tm_quit
finish
