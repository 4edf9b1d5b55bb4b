#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The explorer over --remote, the agent run here: the process list and a
# process's pages open as on the live root, the status line says remote;
# an agent that leaves after its hello leaves the screen usable and the
# terminal restored, and vmscope exits 1 naming the lost connection.
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
finish
