#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ^C, SIGTERM and SIGHUP (issue 14 point 8).  In the explorer they quit
# as q does: the terminal restored (the shell shows again, stty sane),
# the demo's private copy removed, exit status 128+N, nothing claimed on
# stderr.  In `vmscope snapshot` the staging directory and the partial
# output are removed; `pages` on a huge range simply stops with 130.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

RT=$TMPD/rt
mkdir -p "$RT"
chmod 700 "$RT"
# the demo's private copy, while vmscope runs: vmscope-snapshot.PID.XXXXXX
demo_dir() { find "$RT" -maxdepth 1 -name 'vmscope-snapshot.*' | head -1; }
demo_pid() { local d; d=$(demo_dir); d=${d##*/vmscope-snapshot.}; echo "${d%%.*}"; }
# the terminal as the shell left it: canonical mode, echo, ^C as intr
sane() { tm_screen | grep -q ' icanon ' && tm_screen | grep -q ' echo ' &&
	 ! tm_screen | grep -qE ' -(icanon|echo|isig) '; }

# explorer DESC KEYS: the demo in the explorer; KEYS before the stop
explorer() {
	tm_start 80 24 XDG_RUNTIME_DIR="$RT" -- bash -c \
		"$(printf '%q' "$VMSCOPE") --demo 2>$(printf '%q' "$TMPD/err"); rc=\$?; stty -a | tr ';\n' '  ' | sed 's/\$/ /'; echo; exit \$rc"
	see "$1: the explorer is up" "processes:" 10
	[ -n "$(demo_dir)" ] && ok "$1: the demo's private copy exists meanwhile" ||
		fail "$1: the demo's private copy exists meanwhile"
}
# stopped DESC STATUS: vmscope gone with STATUS, terminal and files clean
stopped() {
	if ! tm_wait_exit 5; then fail "$1: vmscope quits"; tm_screen | sed 's/^/#   /'; return; fi
	equals "$1: exit status" "$(tm_exit_status)" "$2"
	check "$1: the terminal is restored (stty sane: icanon echo isig)" sane
	not_see "$1: nothing left of the explorer on screen" "processes:"
	equals "$1: the demo's private copy is removed" "$(demo_dir)" ""
	equals "$1: nothing claimed on stderr" "$(cat "$TMPD/err")" ""
}

explorer "^C"
tm_keys C-c
stopped "^C" 130

explorer "^C with the command line open"
tm_keys :
tm_type "pid"
tm_keys C-c
stopped "^C with the command line open" 130

explorer "^C on the help screen"
tm_keys ?
sleep 0.3
tm_keys C-c
stopped "^C on the help screen" 130

explorer "SIGTERM"
pid=$(demo_pid)
kill -TERM "$pid"
stopped "SIGTERM" 143

explorer "SIGHUP"
pid=$(demo_pid)
kill -HUP "$pid"
stopped "SIGHUP" 129

# batch: a capture interrupted leaves nothing (staging directory,
# temporary tar, output); try shorter waits until one lands mid-capture
snap_interrupted() { # OUT: 0 once a run was interrupted
	local d rc
	for d in 0.4 0.2 0.1 0.05 0.02; do
		rm -rf "$1"
		timeout -s INT --preserve-status "$d" "$VMSCOPE" snapshot --all -o "$1" --force \
			>/dev/null 2>"$TMPD/err"
		rc=$?
		# (a signal that lands once the snapshot is in place leaves it
		# whole and says so: that capture was not interrupted)
		[ "$rc" = 130 ] && ! grep -q "is complete" "$TMPD/err" && return 0
	done
	return 1
}
for out in "$TMPD/out/snap.tar" "$TMPD/out/snapdir"; do
	mkdir -p "$TMPD/out"
	if snap_interrupted "$out"; then
		ok "snapshot -o ${out##*/}: ^C mid-capture exits 130"
		equals "snapshot -o ${out##*/}: no output, no staging left" \
			"$(ls -A "$TMPD/out")" ""
		contains "snapshot -o ${out##*/}: says nothing was written" \
			"$(cat "$TMPD/err")" "interrupted: nothing written"
	else
		echo "# skip: snapshot -o ${out##*/}: every capture finished before the signal"
	fi
	rm -rf "$TMPD/out"
done

# pages over a 64 GiB reservation, a line a page (--every-page: runs of
# absent pages would finish at once), stopped after 1 s with 130
start_helper "$HELPERS/vmhelper" --comm intpages --reserve 64 || { fail "helper starts"; finish; exit 1; }
r=$(helper_value reserve)
timeout -s INT --preserve-status 1 "$VMSCOPE" pages --every-page "$HELPER_PID" \
	"$(printf '%x-%x' "$r" $((r + (64 << 30))))" >/dev/null 2>&1
equals "pages on a 64 GiB range: ^C exits 130" "$?" 130
finish
