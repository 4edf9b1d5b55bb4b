#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Theme files that are not theme files (issue 14, points 2 and 3): a FIFO
# named NAME.theme, a symlink to /dev/zero, a directory, a binary file;
# and theme text or names with escape sequences.  vmscope never waits on
# them, refuses each with a message that names the file and what it is,
# and repeats nothing raw: the message on stderr holds no control byte.
. "$(dirname "$0")/../lib.sh"
command -v script >/dev/null || skip_all "script (util-linux) missing"
command -v timeout >/dev/null || skip_all "timeout missing"
[ -x "$VMSCOPE" ] || skip_all "no $VMSCOPE (make first)"

D=$TMPD/themes
mkdir -p "$D/config/vmscope/themes"
T=$D/config/vmscope/themes
mkfifo "$D/fifo.theme" "$T/pipe.theme"
ln -s /dev/zero "$D/zero.theme"
ln -s /dev/zero "$T/zero.theme"
mkdir "$D/x.theme" "$T/dir.theme"
printf 'title = red\n\033]0;pwned\a\033[2J = red\n' >"$D/esc.theme"
printf 'title = \033]0;pwned\a\033[2J\n' >"$D/escval.theme"
printf 'title = red\r\nx\b\a\032y = red\n' >"$D/ctl.theme"
printf 'title = red\n\0\001\377\376\r\b\a\032\n' >"$D/bin.theme"
head -c 70000 /dev/zero | tr '\0' '#' >"$D/big.theme"

# run DESC THEME: vmscope --theme THEME on a terminal of its own (script);
# its stderr into $TMPD/err, exit status into rc; at most 5 s
run() {
	local cmd
	# (%q writes $'...' for control bytes: script(1) must run bash, not sh)
	cmd="$(printf '%q' "$VMSCOPE") --theme $(printf '%q' "$2") 2>$(printf '%q' "$TMPD/err")"
	: >"$TMPD/err"
	timeout 5 env XDG_CONFIG_HOME="$D/config" TERM=xterm-256color SHELL=/bin/bash \
		script -qec "$cmd" /dev/null </dev/null >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 124 ]; then fail "$1: refused at once (still running after 5 s)"; return 1; fi
	check "$1: refused (exit $rc)" [ "$rc" -ne 0 ]
}
# no C0 byte but the newline, no DEL, C1 or bidi, valid UTF-8
clean_err() {
	if LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$TMPD/err" ||
	   ! iconv -f UTF-8 -t UTF-8 "$TMPD/err" >/dev/null 2>&1; then
		fail "$1: the message repeats nothing raw"
		cat -v "$TMPD/err" | head -3 | sed 's/^/#   /'
	else
		ok "$1: the message repeats nothing raw"
	fi
}
says() { contains "$1" "$(cat "$TMPD/err")" "$2"; }

run "a FIFO given as a path" "$D/fifo.theme" &&
	says "a FIFO: named, and what it is" "theme file $D/fifo.theme is a FIFO, not a theme file"
run "a FIFO found as NAME.theme" pipe &&
	says "a FIFO found by name: named" "$T/pipe.theme is a FIFO, not a theme file"
run "a symlink to /dev/zero" "$D/zero.theme" &&
	says "/dev/zero: a character device" "$D/zero.theme is a character device, not a theme file"
run "a symlink to /dev/zero found by name" zero &&
	says "/dev/zero by name: a character device" "$T/zero.theme is a character device"
run "a directory named x.theme" "$D/x.theme" &&
	says "a directory: named" "$D/x.theme is a directory, not a theme file"
run "a directory found by name" dir &&
	says "a directory by name: named" "$T/dir.theme is a directory"
run "a file of 70000 bytes" "$D/big.theme" &&
	says "too large: named, with the limit" "$D/big.theme is 70000 bytes"

run "an element with escape sequences" "$D/esc.theme" &&
	says "the element shown escaped" "unknown element '\\e]0;pwned\\x07\\e[2J'"
clean_err "an element with escape sequences"
run "a value with escape sequences" "$D/escval.theme" &&
	says "the value shown escaped" "'\\e]0;pwned\\x07\\e[2J' is neither"
clean_err "a value with escape sequences"
run "control characters (^M ^H ^G ^Z)" "$D/ctl.theme"
clean_err "control characters (^M ^H ^G ^Z)"
run "a binary theme" "$D/bin.theme" &&
	says "a binary theme: not a text file" "not a text file"
clean_err "a binary theme"
run "--theme with an escape sequence in the name" $'a\e[2Jb' &&
	says "the name shown escaped" "theme name 'a\\e[2Jb'"
clean_err "--theme with an escape sequence in the name"
run "--theme: a path with escapes and bidi" "$D/"$'\e]0;pwned\a\xe2\x80\xaeno.theme' &&
	says "the path shown escaped" '\e]0;pwned\x07\xe2\x80\xaeno.theme'
clean_err "--theme: a path with escapes and bidi"
finish
