#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Damaged, foreign and newer snapshots: each gives exit 1 and a message
# naming what is wrong, never a crash, and leaves no private directory
# behind.  Built from the zynq fixture, so no root is needed.
. "$(dirname "$0")/../lib.sh"

FIX=$("$TOP/tests/fixtures/build" zynq-armv7 "$TMPD/zynq")
export TMPDIR=$TMPD/tmp XDG_RUNTIME_DIR=
mkdir -p "$TMPDIR"
vm() { "$VMSCOPE" "$@"; }

# a good snapshot to damage, taken from the fixture
out=$(vm --root "$FIX" snapshot -p 1234 -o "$TMPD/good" 2>&1); rc=$?
equals "snapshot of a fixture root exits 0" "$rc" 0
vm --root "$FIX" snapshot -p 1234 -o "$TMPD/good.tar" >/dev/null 2>&1
good=$(vm --root "$TMPD/good" translate 1234 0x13010)
contains "the good snapshot answers" "$good" "0x13010 -> 0x1f3a2010"

fresh() { rm -rf "$TMPD/bad"; cp -a "$TMPD/good" "$TMPD/bad"; }
# refused DESC WANT ARGS...: exit 1 with WANT in the message
refused() {
	local d=$1 want=$2 out rc
	shift 2
	out=$(vm "$@" 2>&1); rc=$?
	equals "$d: exit 1" "$rc" 1
	contains "$d: says what is wrong" "$out" "$want"
}

fresh; truncate -s 100 "$TMPD/bad/proc/1234/smaps"
refused "a truncated smaps" "proc/1234/smaps is 100 bytes, but was" --root "$TMPD/bad" maps 1234
refused "a truncated smaps, the UI too" "(truncated)" --root "$TMPD/bad"

fresh; truncate -s 152 "$TMPD/bad/proc/1234/pagemap"
refused "a pagemap shorter than the maps claim" "proc/1234/pagemap is 152 bytes" --root "$TMPD/bad" pages 1234 13000
rm "$TMPD/bad/vmscope-snapshot.files"
out=$(vm --root "$TMPD/bad" maps 1234 2>&1); rc=$?
equals "without its files list, maps still opens" "$rc" 0
refused "... and reading the short pagemap is a clear error" "the snapshot is truncated" --root "$TMPD/bad" pages 1234 13000

fresh; rm "$TMPD/bad/proc/1234/pagemap" "$TMPD/bad/vmscope-snapshot.files"
refused "a missing pagemap" "proc/1234/pagemap is missing" --root "$TMPD/bad" maps 1234

fresh; rm "$TMPD/bad/proc/kpageflags"
refused "a missing kpageflags" "incomplete: proc/kpageflags is missing" --root "$TMPD/bad" maps 1234

fresh; rm "$TMPD/bad/vmscope-snapshot.conf"
refused "a missing conf" "is not a vmscope snapshot: it has no vmscope-snapshot.conf" --root "$TMPD/bad" maps 1234

fresh; sed -i 's/^format=1/format=7/' "$TMPD/bad/vmscope-snapshot.conf"
refused "a newer format" "newer than this vmscope understands" --root "$TMPD/bad" maps 1234

# (a big-endian board's snapshot opens: tests/integration/byte_order.sh)
fresh; sed -i 's/^byte_order=.*/byte_order=middle/' "$TMPD/bad/vmscope-snapshot.conf"
refused "a byte order that is neither little nor big" "line 10: byte_order 'middle' is neither 'little' nor 'big'" --root "$TMPD/bad" maps 1234

fresh; sed -i 's/^page_size=.*/page_size=4000/' "$TMPD/bad/vmscope-snapshot.conf"
refused "a bad page size" "page_size '4000' is not a power of two" --root "$TMPD/bad" maps 1234

size=$(stat -c %s "$TMPD/good.tar")
head -c 3000 "$TMPD/good.tar" >"$TMPD/cut.tar"
refused "a truncated tar" "cut.tar is truncated: it ends" --root "$TMPD/cut.tar" maps 1234
head -c $((size / 2 / 512 * 512)) "$TMPD/good.tar" >"$TMPD/half.tar"
refused "a tar cut inside a file's data" "half.tar is truncated: it ends inside proc/" --root "$TMPD/half.tar" maps 1234
# cut just before an entry's header: only the files list can tell
block=$(tar -tvRf "$TMPD/good.tar" | awk '/ sys\/class\/uio\/uio0\/name$/ { sub(":", "", $2); print $2 }')
head -c $((block * 512)) "$TMPD/good.tar" >"$TMPD/short.tar"
refused "a tar cut between entries" "is incomplete: sys/class/uio/uio0/name is missing" --root "$TMPD/short.tar" maps 1234

printf 'hello\n%.0s' $(seq 1 200) >"$TMPD/notes.tar"
refused "a file that is not a tar" "is not a tar file (nor a snapshot directory)" --root "$TMPD/notes.tar" maps 1234

mkdir -p "$TMPD/foreign/etc"; echo host >"$TMPD/foreign/etc/hostname"
tar -C "$TMPD/foreign" -cf "$TMPD/foreign.tar" etc
refused "a foreign tar" "foreign.tar' is not a vmscope snapshot" --root "$TMPD/foreign.tar" maps 1234

cp "$TMPD/good.tar" "$TMPD/flip.tar"
printf 'Z' | dd of="$TMPD/flip.tar" bs=1 seek=1030 conv=notrunc 2>/dev/null
refused "a damaged tar header" "has a bad checksum" --root "$TMPD/flip.tar" maps 1234

# a tar is read in place: opening one makes nothing in the temporary
# directories (checked under strace too, in nowrite.sh)
vm --root "$TMPD/good.tar" maps 1234 >/dev/null 2>&1
check "opening a tar makes nothing in \$TMPDIR" test -z "$(ls -A "$TMPDIR")"
# a demo is expanded into a private directory; a vmscope killed while
# one was open (a closed terminal) leaves it: the next one removes it,
# but never a live process's
mkdir -p "$TMPDIR/vmscope-snapshot.999999999.Abc123/proc" "$TMPDIR/vmscope-snapshot.$$.Keep12"
"$VMSCOPE" --demo maps 1 >/dev/null 2>&1
check "a killed vmscope's demo directory is removed by the next" test ! -e "$TMPDIR/vmscope-snapshot.999999999.Abc123"
check "... but not one of a process still running" test -d "$TMPDIR/vmscope-snapshot.$$.Keep12"
rmdir "$TMPDIR/vmscope-snapshot.$$.Keep12"
check "no private directory is left behind" test -z "$(ls -A "$TMPDIR")"
out=$(vm --root "$TMPD/good" --demo maps 1 2>&1); rc=$?
equals "--root and --demo together: usage exit 64" "$rc" 64
contains "... says to give one" "$out" "either --root or --demo"
finish
