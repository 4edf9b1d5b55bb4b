#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The standing guard (issue 14 point 11), batch half: hostile names (C0,
# C1, escape sequences, bidi, invisible characters, invalid UTF-8,
# newlines in paths, "x (deleted)") through every batch command, text and
# --json, live and from a snapshot of them (directory and tar, themselves
# named with bidi), a boot log and a kernel message full of them, and
# every error message they can reach (a vanished process, bad option
# values, bad arguments).  Any raw control, C1, bidi or invisible
# character, or invalid UTF-8, on stdout or stderr fails the run.  The
# screen half is tests/screen/guard.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../guard.inc"
command -v jq >/dev/null || skip_all "jq missing"
command -v iconv >/dev/null || skip_all "iconv missing"
[ -x "$HELPERS/hostile" ] || skip_all "no $HELPERS/hostile (make test-bin)"

mkdir -p "$TMPD/files"
start_helper "$HELPERS/hostile" "$TMPD/files" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
hx() { printf '%x' "$(helper_value "$1")"; }
ADDRS=()
for k in evil_file long_file evil_memfd bidi_file deleted_file bidi_memfd; do
	ADDRS+=("$(hx "$k")")
done
V=$VMSCOPE

# g DESC CMD...: one attack.  Runs CMD (stdin from $GUARD_IN or
# /dev/null); it may fail (an error is an answer) but not crash; stdout
# and stderr must be clean.  With GUARD_JSON=1 stdout is one JSON value.
g() {
	local desc=$1 rc okay=1
	shift
	GUARD_RUNS=$((GUARD_RUNS + 1))
	"$@" <"${GUARD_IN:-/dev/null}" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ "$rc" -ge 65 ] && [ "$rc" != 77 ]; then
		fail "$desc: runs (exit $rc)"; sed 's/^/#   /' "$TMPD/err" | head -3 | cat -v
		okay=0
	fi
	guard_bytes "$desc: stdout" "$TMPD/out" || okay=0
	guard_bytes "$desc: stderr" "$TMPD/err" || okay=0
	if [ "${GUARD_JSON:-0}" = 1 ] && [ -s "$TMPD/out" ] &&
	   ! jq -e . "$TMPD/out" >/dev/null 2>&1; then
		fail "$desc: valid JSON"; head -c 300 "$TMPD/out" | cat -v | sed 's/^/#   /'
		okay=0
	fi
	[ "$okay" = 1 ] && ok "$desc: clean"
}
# gj DESC CMD...: the command as text, then with --json
gj() {
	local desc=$1
	shift
	g "$desc" "$@"
	GUARD_JSON=1 g "$desc --json" "$@" --json
}

# every batch command on ROOT (empty: live) for the hostile process
all_commands() {
	local where=$1 a phys
	shift
	gj "$where maps" "$V" "$@" maps "$pid"
	gj "$where maps --holes" "$V" "$@" maps --holes "$pid"
	for a in "${ADDRS[@]}"; do
		gj "$where pages $a" "$V" "$@" pages "$pid" "$a"
		gj "$where translate $a" "$V" "$@" translate "$pid" "$a"
		phys=$("$V" "$@" --json translate "$pid" "$a" 2>/dev/null | jq -r '.phys // empty' 2>/dev/null)
		[ -n "$phys" ] && gj "$where phys $phys (reverse lookup)" "$V" "$@" phys "$phys"
	done
	gj "$where kernel" "$V" "$@" kernel
	gj "$where ram" "$V" "$@" ram
	gj "$where decode" "$V" "$@" decode --level pte 8000000000000067
}
all_commands live

# a boot log and a kernel message full of hostile text
{
	for t in "${GUARD_TEXTS[@]}"; do
		printf '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable%s\n' "$t"
		printf '[    0.000000] OF: reserved mem: initialized node %s, compatible id shared-dma-pool\n' "$t"
		printf '[    0.000000] Memory: 16384K/32768K available (%s)\n' "$t"
		printf '[    0.000000] %s\n' "$t"
	done
} >"$TMPD/boot.log"
gj "kernel --bootlog (hostile lines)" "$V" kernel --bootlog "$TMPD/boot.log"
gj "kernel --bootlog-only (hostile lines)" "$V" kernel --bootlog "$TMPD/boot.log" --bootlog-only
gj "phys --bootlog (hostile lines)" "$V" phys --bootlog "$TMPD/boot.log" 1000
for t in "${GUARD_TEXTS[@]}"; do
	gj "decode a message with hostile text" "$V" decode --no-map "PTE 8000000000000067 $t"
	printf 'Unable to handle kernel paging request at virtual address %s\n*pte=8000000203f12867\n#PF: error_code(0x000b) - %s\n' "$t" "$t" >"$TMPD/msg"
	GUARD_IN=$TMPD/msg gj "decode - (a pasted message with hostile text)" "$V" decode --no-map -
done

# snapshots of it, named with bidi, as a directory and as a tar
sdir=$TMPD/$'\xe2\x80\xaesnap\xe2\x81\xa6'
star=$TMPD/$'\xe2\x80\xaesnap\e[2J.tar'
gj "snapshot -o a bidi-named directory" "$V" snapshot -p "$pid" -o "$sdir" --force
gj "snapshot -o a tar named with bidi and ESC" "$V" snapshot -p "$pid" -o "$star" --force
check "the snapshot was written" [ -f "$sdir/vmscope-snapshot.conf" ]
# its conf and boot log from a hostile machine
sed -i "s/^hostname=.*/hostname=$(printf '\xe2\x80\xaehost\e]2;PWNED\a')/; s/^kernel_release=.*/kernel_release=6.1$(printf '\xe2\x81\xa6\xc2\x9b')/" \
	"$sdir/vmscope-snapshot.conf"
# a copy whose boot.log changed since: "damaged", naming the bidi path
cp -a "$sdir" "$sdir.damaged"
cp "$TMPD/boot.log" "$sdir.damaged/boot.log"
gj "a damaged snapshot, named with bidi" "$V" --root "$sdir.damaged" maps "$pid"
# the hostile boot log as the snapshot's own, its size in the listing
cp "$TMPD/boot.log" "$sdir/boot.log"
sed -i "s|^[0-9]* boot.log\$|$(stat -c %s "$TMPD/boot.log") boot.log|" "$sdir/vmscope-snapshot.files"
check "the snapshot with the hostile boot log opens" eval '"$V" --root "$sdir" maps "$pid" >/dev/null 2>&1'
all_commands "snapshot:" --root "$sdir"
all_commands "tar:" --root "$star"

# error messages: a process that vanished from a snapshot (its maps
# gone, its hostile names left), a vanished live process, bad values
cp -a "$sdir" "$TMPD/gone"
rm -f "$TMPD/gone/proc/$pid/maps" "$TMPD/gone/proc/$pid/smaps"
gj "a process whose maps are gone, in a snapshot" "$V" --root "$TMPD/gone" maps "$pid"
gj "... its pages" "$V" --root "$TMPD/gone" pages "$pid" "${ADDRS[0]}"
start_helper "$HELPERS/hostile" "$TMPD/files" || fail "second helper starts"
gone=$HELPER_PID
kill "$gone"; wait "$gone" 2>/dev/null
gj "a vanished live process" "$V" maps "$gone"
gj "a vanished live process: translate" "$V" translate "$gone" "${ADDRS[0]}"
for t in "${GUARD_TEXTS[@]}"; do
	g "bad --pid" "$V" --pid "$t"
	g "bad --delay" "$V" --delay "$t"
	g "bad --remote-timeout" "$V" --remote-timeout "$t"
	g "bad option" "$V" "--$t"
	g "bad --demo name" "$V" --demo="$t" maps 1
	gj "bad --root" "$V" --root "/nonexistent/$t" maps 1
	g "bad command" "$V" "$t"
	gj "bad PID" "$V" maps "$t"
	gj "bad address" "$V" translate "$pid" "$t"
	gj "bad range" "$V" pages "$pid" "1000-$t"
	gj "bad phys address" "$V" phys "$t"
	gj "bad --bootlog path" "$V" kernel --bootlog "/nonexistent/$t"
	gj "bad decode --arch" "$V" decode --arch "$t" 1234
	gj "bad decode option" "$V" decode "--$t" 1234
	gj "bad snapshot output" "$V" snapshot -p "$pid" -o "/nonexistent/$t"
	gj "bad snapshot PID" "$V" snapshot -p "$t" -o "$TMPD/never"
	gj "bad snapshot --root (a file named so)" "$V" --root "$TMPD/files/$t" maps 1
done
echo "# guard: $GUARD_RUNS runs of vmscope, $GUARD_CHECKS outputs checked byte by byte"
finish
