#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vmscope never writes: under strace, every batch command (live, fixture,
# demo) and an explorer session in tmux that visits every screen (process
# list, VMAs, page table and map, page detail, physical map, frames,
# reverse lookup, kernel layout, help, the ":" command line with history
# and completion, themes, live refreshes) opens every file read-only and
# creates, truncates, renames or removes nothing.  The one exception the
# user asked for: the command-line history under $XDG_STATE_HOME (a
# private directory here, the only path let through).  The explicit
# snapshot writes below its output's directory and nowhere else.
. "$(dirname "$0")/../lib.sh"
command -v strace >/dev/null || skip_all "strace missing"
command -v tmux >/dev/null || skip_all "tmux missing"
strace -f -qq -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
. "$TOP/tests/screen/tmux.inc"

CALLS=open,openat,openat2,creat,truncate,ftruncate,mkdir,mkdirat,unlink,unlinkat,rename,renameat,renameat2,rmdir,link,linkat,symlink,symlinkat,mknod,mknodat
STATE=$TMPD/state
# -y: a directory fd shows its path, so relative names resolve.
# LeakSanitizer cannot run under ptrace: an ASan build leaves it off here
# (the other tests check leaks).
ST=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    strace -f -qq -y -e trace=$CALLS)

# writes LOG [ALLOWED_PREFIX]: the calls of LOG that write, one per line,
# leaving out those under ALLOWED_PREFIX (and mkdir of its ancestors)
writes() {
	local log=$1 allow=${2:-}
	awk -v allow="$allow" '
	function path(l,  p, d) {   # the first name, resolved against the dirfd
		if (!match(l, /"[^"]*"/)) {
			# an fd alone (ftruncate): its path, from -y
			if (match(l, /\([0-9]+<[^>]*>/))
				return substr(l, RSTART + index(substr(l, RSTART), "<"), \
					      RLENGTH - index(substr(l, RSTART), "<") - 1)
			return "" }
		p = substr(l, RSTART + 1, RLENGTH - 2)
		if (substr(p, 1, 1) == "/") return p
		d = l; sub(/^[a-z0-9]+\(/, "", d)
		if (d ~ /^[0-9]+</ && match(d, /<[^>]*>/))
			return substr(d, RSTART + 1, RLENGTH - 2) "/" p
		return p }
	function allowed(p, call) {
		# readline writes its bell and match lists to a /dev/null
		# stream: a sink, nothing is changed
		if (p == "/dev/null") return 1
		if (allow == "") return 0
		if (index(p, allow) == 1) return 1
		# mkdir -p of the allowed directory: its ancestors
		if (call ~ /^mkdir/ && index(allow, p "/") == 1) return 1
		return 0 }
	{ sub(/^[0-9]+ +/, "") }
	/^(open|openat|openat2)\(/ {
		if ($0 !~ /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/) next
		if (!allowed(path($0), "open")) print; next }
	/^(creat|truncate|ftruncate|mkdir|mkdirat|unlink|unlinkat|rename|renameat|renameat2|rmdir|link|linkat|symlink|symlinkat|mknod|mknodat)\(/ {
		c = $0; sub(/\(.*/, "", c)
		if (!allowed(path($0), c)) print }' "$log"
}
# nowrite DESC LOG [ALLOWED]: passes when LOG holds reads and no write
nowrite() {
	local w n
	n=$(grep -cE '(open|openat|openat2)\(' "$2")
	if [ "$n" -lt 5 ]; then
		fail "$1: traced ($n opens seen)"; return
	fi
	w=$(writes "$2" "${3:-}")
	if [ -z "$w" ]; then ok "$1: $n opens, none for writing"; else
		fail "$1: opens nothing for writing"
		printf '%s\n' "$w" | head -10 | sed 's/^/#   /'
	fi
}
N=0
# batch DESC ARGS...: vmscope ARGS under strace, then the check
batch() {
	local desc=$1 log=$TMPD/batch.$N.strace
	shift
	N=$((N + 1))
	"${ST[@]}" -o "$log" "$VMSCOPE" "$@" >/dev/null 2>&1
	nowrite "$desc" "$log"
}

start_helper "$HELPERS/vmhelper" --comm nowrite || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
touched=$(hex "$(helper_value anon_touched)")
phys=$("$VMSCOPE" --json translate "$pid" "$touched" 2>/dev/null | sed -n 's/.*"phys":"\(0x[0-9a-f]*\)".*/\1/p')

batch "maps" maps "$pid"
batch "maps --holes --json" --json maps --holes "$pid"
batch "pages" pages "$pid" "$touched-$(hex $(( 0x$touched + 16 * 4096 )))"
batch "pages --json" --json pages "$pid" "$touched"
batch "translate" translate "$pid" "$touched"
batch "kernel" kernel
batch "kernel --json" --json kernel
batch "phys" phys "${phys:-0x1000}"
batch "phys --json" --json phys "${phys:-0x1000}"
ROOT=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
batch "maps on a fixture" --root "$ROOT" maps 1234
batch "translate on a fixture (UIO gap)" --root "$ROOT" translate 1234 b6f14004
batch "phys on a fixture" --root "$ROOT" phys 0x1f3a2010
# the demo expands into a private directory of $TMPDIR, removed at exit
mkdir -p "$TMPD/tmp"
log=$TMPD/demo.strace
TMPDIR=$TMPD/tmp XDG_RUNTIME_DIR= "${ST[@]}" -o "$log" "$VMSCOPE" --demo kernel >/dev/null 2>&1
nowrite "kernel --demo: writes only its private copy in \$TMPDIR" "$log" "$TMPD/tmp/"
check "the demo's copy is gone after" [ -z "$(ls -A "$TMPD/tmp")" ]

# the explicit snapshot: writes below its output's directory only
mkdir -p "$TMPD/out"
log=$TMPD/snapshot.strace
"${ST[@]}" -o "$log" "$VMSCOPE" snapshot -p "$pid" -o "$TMPD/out/snap" >/dev/null 2>&1
check "snapshot written" [ -f "$TMPD/out/snap/vmscope-snapshot.conf" ]
nowrite "snapshot: writes only below $TMPD/out" "$log" "$TMPD/out/"
w=$(writes "$log")
check "snapshot: it does write its output (the trace sees writes)" [ -n "$w" ]
# a tar snapshot is read in place: nothing is written to open it
"$VMSCOPE" snapshot -p "$pid" -o "$TMPD/out/snap.tar" >/dev/null 2>&1
batch "translate on a tar snapshot, read in place" --root "$TMPD/out/snap.tar" translate "$pid" "$touched"
batch "kernel --json on a tar snapshot" --json --root "$TMPD/out/snap.tar" kernel

# ---- the explorer, every screen, one session ----
log=$TMPD/ui.strace
tm_start 120 35 -- "${ST[@]}" -o "$log" "$VMSCOPE" --delay 0.3
see "explorer: process list" "processes:"
tm_keys s S K
tm_keys /; tm_type "nowrite"; tm_keys Enter
tm_keys K
tm_cmd "filter nowrite"
tm_cmd "filter"
tm_cmd "pid $pid"
see "explorer: VMAs" "START-END"
tm_keys /; tm_type "vvar"; tm_keys Enter
tm_cmd "goto $touched"
see "explorer: page table" "$touched "
tm_keys m
see "explorer: page map" "pg/cell"
tm_keys + - z
tm_keys Enter
see "explorer: page detail" "page $touched"
sleep 0.7   # refreshes while a page is open
tm_keys p
see "explorer: physical map" "physical map"
tm_keys Enter
see "explorer: frames" "frames of"
tm_keys w
see "explorer: reverse lookup" "who maps"
tm_esc; tm_esc; tm_esc
tm_keys v
see "explorer: kernel layout" "kernel virtual layout"
tm_esc
tm_keys '?'
see "explorer: help" "Keys"
tm_esc
tm_cmd "theme mono"
tm_cmd "delay 0.2"
tm_cmd "translate $touched"
tm_keys :; tm_type "th"; tm_keys Tab; tm_keys C-u; tm_esc
sleep 0.5
tm_quit "explorer under strace"
nowrite "explorer: every screen" "$log" "$STATE/"
check "explorer: the history was written where asked" [ -s "$STATE/vmscope/history" ]
finish
