#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Directories made from untrusted names, 2,000 deep (issue 14 point 4):
# a demo whose entries name such a path, a killed vmscope's private
# directory holding one, a hostile snapshot whose mountinfo puts the
# memory cgroups there (re-captured through the tap into a tar and a
# directory), and a snapshot replaced with --force.  Tars are read in
# place, so none is extracted; whatever is made is removed again, none
# of it is left behind, and nothing recurses 2,000 deep.
. "$(dirname "$0")/../lib.sh"

export TMPDIR=$TMPD/tmp XDG_RUNTIME_DIR=
mkdir -p "$TMPDIR"
DEEP=$(printf 'a/%.0s' $(seq 1 2000))
DEEP=${DEEP%/}

# a demo (found through $VMSCOPE_DATADIR) whose entries write a file
# below 2,000 directories
mkdir -p "$TMPD/data/demo"
cp -a "$TOP/demo/zynq-armv7" "$TMPD/data/demo/deep"
echo "size  $DEEP/f 8" >>"$TMPD/data/demo/deep/entries"
out=$(VMSCOPE_DATADIR=$TMPD/data "$VMSCOPE" --demo=deep maps 1234 2>&1); rc=$?
equals "a demo with a 2,000-deep entry opens" "$rc" 0
contains "... and shows its process" "$out" "[stack]"
check "... and leaves nothing in \$TMPDIR" test -z "$(ls -A "$TMPDIR")"

# a killed vmscope's private directory 2,000 deep is swept by the next
mkdir -p "$TMPDIR/vmscope-snapshot.999999999.Deep12/$DEEP"
"$VMSCOPE" --demo maps 1 >/dev/null 2>&1
check "a killed vmscope's 2,000-deep directory is swept by the next" \
	test -z "$(ls -A "$TMPDIR")"

# a hostile snapshot: its memory cgroup mount point is 2,000 deep, so
# the capture's cgroup walk lists it and the tap makes it in the stage
FIX=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
mkdir -p "$FIX/proc/self" "$FIX/c/$DEEP"
printf '35 30 0:30 / /c/%s rw - cgroup cgroup rw,memory\n' "$DEEP" \
	>"$FIX/proc/self/mountinfo"
mkdir -p "$TMPD/out"
out=$("$VMSCOPE" --root "$FIX" snapshot -p 1234 -o "$TMPD/out/s.tar" 2>&1); rc=$?
equals "re-capturing it into a tar exits 0" "$rc" 0
check "... and leaves no staging directory" \
	test "$(ls -A "$TMPD/out")" = s.tar
out=$("$VMSCOPE" --root "$FIX" snapshot -p 1234 -o "$TMPD/out/s" 2>&1); rc=$?
equals "re-capturing it into a directory exits 0" "$rc" 0
out=$("$VMSCOPE" --root "$FIX" snapshot -p 1234 -o "$TMPD/out/s" --force 2>&1); rc=$?
equals "... and again over it with --force" "$rc" 0
check "... which removes the old one whole" \
	test "$(ls -A "$TMPD/out" | tr '\n' ' ')" = "s s.tar "
out=$("$VMSCOPE" --root "$TMPD/out/s.tar" maps 1234 2>&1); rc=$?
equals "the tar re-captured opens" "$rc" 0
check "... and opening it makes nothing in \$TMPDIR" test -z "$(ls -A "$TMPDIR")"
finish
