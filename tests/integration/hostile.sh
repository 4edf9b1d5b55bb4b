#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile text: a process whose comm, command line, mapped file names and
# memfd name carry escape sequences (clear screen, set the window title,
# 8-bit CSI), newlines, invalid UTF-8 and a 4000-character path.  Every
# batch command's output, text or JSON, live or from a snapshot of it,
# and every message on stderr must reach the terminal with no control
# byte and as valid UTF-8; JSON must stay valid and keep the names.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "jq missing"
command -v iconv >/dev/null || skip_all "iconv missing"
[ -x "$HELPERS/hostile" ] || skip_all "no $HELPERS/hostile (make test-bin)"

mkdir -p "$TMPD/files"
start_helper "$HELPERS/hostile" "$TMPD/files" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
hx() { printf '%x' "$(helper_value "$1")"; }
evil=$(hx evil_file) long=$(hx long_file) memfd=$(hx evil_memfd)

# clean DESC FILE: no C0 control byte but newline and tab, no DEL, no C1
# code point, valid UTF-8
clean() {
	local bad
	bad=$(LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$2" | head -3)
	if [ -n "$bad" ]; then
		fail "$1: no control characters"
		printf '%s\n' "$bad" | cat -v | cut -c1-200 | sed 's/^/#   /'
		return
	fi
	if ! iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1; then
		fail "$1: valid UTF-8"
		return
	fi
	ok "$1: escaped (no control bytes, valid UTF-8)"
}
# out DESC CMD...: run, then check stdout and stderr
out() {
	local desc=$1 rc
	shift
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	[ "$rc" -lt 64 ] || [ "$rc" = "${WANT_RC:-}" ] ||
		{ fail "$desc: runs (exit $rc)"; sed 's/^/#   /' "$TMPD/err" | head -5; }
	clean "$desc" "$TMPD/out"
	clean "$desc, stderr" "$TMPD/err"
}
# json DESC CMD...: as out, and the output is one valid JSON document
json() {
	out "$@"
	if jq -e . "$TMPD/out" >/dev/null 2>&1; then ok "$1: valid JSON"; else
		fail "$1: valid JSON"; head -c 400 "$TMPD/out" | cat -v | sed 's/^/#   /'; fi
}

V=$VMSCOPE
out "maps" "$V" maps "$pid"
contains "maps: the file name shown escaped" "$(cat "$TMPD/out")" '\e[2J\e]2;PWNED\x07'
contains "maps: the comm shown escaped" "$(head -1 "$TMPD/out")" '(\e[2J\n\xff\xfeevil)'
contains "maps: the memfd name shown escaped" "$(cat "$TMPD/out")" '/memfd:\e]2;PWNED\x07\e[2J\xff (deleted)'
n=$(grep -o '/dddd[df/]*' "$TMPD/out" | awk '{ print length($0) }' | sort -n | tail -1)
check "maps: the 4000-character path is shown whole ($n characters after the directory)" [ "${n:-0}" -ge 3900 ]
out "maps --holes" "$V" maps --holes "$pid"
json "maps --json" "$V" --json maps "$pid"
names=$(jq -r '.vmas[].name' "$TMPD/out")
contains "maps --json: the file name survives (escape sequence as text)" "$names" $'\e[2J\e]2;PWNED'
n=$(jq -r '[.vmas[].name | length] | max' "$TMPD/out")
check "maps --json: the long path survives ($n characters)" [ "$n" -ge 3990 ]
contains "maps --json: comm kept, escaped" "$(jq -r .comm "$TMPD/out")" 'evil'

for a in "$evil" "$long" "$memfd"; do
	out "translate $a" "$V" translate "$pid" "$a"
	json "translate --json $a" "$V" --json translate "$pid" "$a"
	out "pages $a" "$V" pages "$pid" "$a"
	json "pages --json $a" "$V" --json pages "$pid" "$a"
done
contains "translate: the mapping's name shown escaped" "$("$V" translate "$pid" "$evil")" '\e[2J'

"$V" --json translate "$pid" "$evil" >"$TMPD/out" 2>/dev/null
phys=$(jq -r '.phys // empty' "$TMPD/out")
if [ -n "$phys" ]; then
	out "phys (reverse lookup names the process and file)" "$V" phys "$phys"
	contains "phys: the process is found, escaped" "$(cat "$TMPD/out")" 'evil'
	json "phys --json" "$V" --json phys "$phys"
elif [ "$(id -u)" = 0 ]; then
	# root sees every PFN: no address here is vmscope's fault
	fail "translate --json gives root the hostile page's physical address"
	{ head -c 400 "$TMPD/out"; echo; } | cat -v | sed 's/^/#   /'
else
	# not a pass: nothing was checked
	echo "# skip: phys (not root: no physical address to look up)"
fi

# a snapshot of it: names stored raw, shown escaped when read back
snap=$TMPD/snap
"$V" snapshot -p "$pid" -o "$snap" >/dev/null 2>"$TMPD/err"
check "snapshot of the hostile process" [ -f "$snap/vmscope-snapshot.conf" ]
clean "snapshot: its messages" "$TMPD/err"
out "maps from the snapshot" "$V" --root "$snap" maps "$pid"
contains "snapshot maps: escaped" "$(cat "$TMPD/out")" '\e[2J\e]2;PWNED\x07'
json "maps --json from the snapshot" "$V" --root "$snap" --json maps "$pid"
out "translate from the snapshot" "$V" --root "$snap" translate "$pid" "$evil"
[ -n "$phys" ] && out "phys from the snapshot" "$V" --root "$snap" phys "$phys"

# a snapshot from another machine lies about itself in its conf
sed -i 's/^hostname=.*/hostname=\x1b]2;PWNED\x07host\x1b[2J/; s/^kernel_release=.*/kernel_release=6.1\x1b[31m\xff/' \
	"$snap/vmscope-snapshot.conf"
out "maps from a snapshot whose conf has escapes" "$V" --root "$snap" maps "$pid"
contains "the conf's hostname shown escaped" "$(head -1 "$TMPD/out")" 'host\e[2J'
json "maps --json from that snapshot" "$V" --root "$snap" --json maps "$pid"
out "kernel from that snapshot" "$V" --root "$snap" kernel
json "kernel --json from that snapshot" "$V" --root "$snap" --json kernel

# arguments are text too: a PID or address full of escapes is quoted
WANT_RC=64 out "a hostile PID argument" "$V" maps $'\e[2J1'
WANT_RC=64 out "a hostile address argument" "$V" translate "$pid" $'\e]2;PWNED\a'
WANT_RC=64 out "a hostile command" "$V" $'\e[2Jmaps' 1
WANT_RC=64 out "a hostile option" "$V" $'--\e[2J'
out "a hostile root argument" "$V" --root $'/nonexistent/\e[2J' maps 1
finish
