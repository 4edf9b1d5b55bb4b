# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the shell tests: sourced, never run.  Each test script calls
# ok/fail through the check helpers and ends with `finish`, which prints
# "N passed, N failed" (tests/run adds them up) and exits non-zero on a
# failure.  A script that cannot run here calls `skip_all REASON`.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
VMSCOPE=${VMSCOPE:-$BUILD/vmscope}
HELPERS=$BUILD/tests
FIXTURES=$TOP/tests/fixtures
T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0")
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vmscope-test.XXXXXX")
chmod 755 "$TMPD"
T_CLEANUP=()
_t_cleanup() {
	local c
	for c in "${T_CLEANUP[@]+"${T_CLEANUP[@]}"}"; do eval "$c" 2>/dev/null; done
	rm -rf "$TMPD"
}
trap _t_cleanup EXIT
on_exit() { T_CLEANUP+=("$1"); }

ok()   { T_PASS=$((T_PASS + 1)); printf 'ok - %s\n' "$*"; }
fail() { T_FAIL=$((T_FAIL + 1)); printf 'not ok - %s\n' "$*"; }

# check DESC CMD...: passes when CMD exits 0.
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# contains DESC HAYSTACK NEEDLE (fixed string)
contains() {
	if grep -qF -- "$3" <<<"$2"; then ok "$1"; else
		fail "$1"; printf '#   expected to find: %s\n#   in:\n' "$3"
		sed 's/^/#     /' <<<"$2" | head -40
	fi
}
not_contains() {
	if grep -qF -- "$3" <<<"$2"; then fail "$1"
		printf '#   did not expect: %s\n' "$3"; sed 's/^/#     /' <<<"$2" | head -40
	else ok "$1"; fi
}
# matches DESC HAYSTACK ERE
matches() {
	if grep -qE -- "$3" <<<"$2"; then ok "$1"; else
		fail "$1"; printf '#   expected a line matching: %s\n#   in:\n' "$3"
		sed 's/^/#     /' <<<"$2" | head -40
	fi
}
# equals DESC GOT WANT
equals() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		fail "$1"; printf '#   got:  %s\n#   want: %s\n' "$2" "$3"; fi
}
skip_all() { printf 'skip - %s: %s\n' "$T_NAME" "$*"; echo "0 passed, 0 failed, 1 skipped"; exit 77; }
finish() {
	printf '%s: %d passed, %d failed\n' "$T_NAME" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}

# Start a test helper in the background; sets HELPER_PID once it is ready
# (it prints "ready" on stdout).  Its stdout lines go to $TMPD/helper.out.
start_helper() {
	local out=$TMPD/helper.out
	: >"$out"
	"$@" >"$out" 2>"$TMPD/helper.err" &
	HELPER_PID=$!
	on_exit "kill $HELPER_PID; wait $HELPER_PID"
	local i
	for i in $(seq 1 200); do
		grep -q '^ready' "$out" && return 0
		kill -0 "$HELPER_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# helper did not start: $(cat "$TMPD/helper.err")"
	return 1
}
# helper_value KEY: the value the helper printed as "KEY=VALUE".
helper_value() { sed -n "s/^$1=//p" "$TMPD/helper.out" | head -1; }

# nobody_setup: for a test that drops privileges.  The tree may be where
# nobody cannot reach (/root is 0700 on Debian), so nobody runs a private
# copy: NOBODY_DIR, a directory of the test's own under /tmp (0755, gone
# at exit) with bin/vmscope and the data it finds beside it (demo/,
# themes/).  Sets NOBODY (the setpriv prefix, an array) and NOBODY_VMSCOPE.
# Skips only for what the machine cannot do, and says what.
nobody_prepare() { # the same, but 1 (NOBODY_WHY says why) instead of a skip
	NOBODY_WHY=
	if [ "$(id -u)" != 0 ]; then NOBODY_WHY="needs root to drop privileges to nobody"
	elif ! command -v setpriv >/dev/null; then NOBODY_WHY="setpriv (util-linux) missing"
	elif ! id nobody >/dev/null 2>&1; then NOBODY_WHY="no user nobody on this machine"
	elif ! getent group nogroup >/dev/null; then NOBODY_WHY="no group nogroup on this machine"
	fi
	[ -z "$NOBODY_WHY" ] || return 1
	NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	NOBODY_DIR=$(mktemp -d /tmp/vmscope-nobody.XXXXXX) ||
		{ NOBODY_WHY="cannot make a directory in /tmp"; return 1; }
	on_exit "rm -rf '$NOBODY_DIR'"
	mkdir "$NOBODY_DIR/bin"
	cp "$VMSCOPE" "$NOBODY_DIR/bin/vmscope"
	local d
	for d in demo themes; do
		[ -d "$TOP/$d" ] && cp -rL "$TOP/$d" "$NOBODY_DIR/"
	done
	chmod -R a+rX "$NOBODY_DIR"
	chmod 755 "$NOBODY_DIR"
	NOBODY_VMSCOPE=$NOBODY_DIR/bin/vmscope
	"${NOBODY[@]}" test -x "$NOBODY_VMSCOPE" || {
		NOBODY_WHY="nobody cannot execute $NOBODY_VMSCOPE in a 0755 directory of /tmp (mounted noexec?)"
		return 1
	}
}
nobody_setup() {
	nobody_prepare || skip_all "$NOBODY_WHY"
}
