#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Round trip: a helper process is captured live (vmscope snapshot to a
# directory and to a tar, and vmscope-collect), and every batch command
# gives the same answers on each snapshot as it gave live.  Then the
# snapshot is opened as nobody: no root needed to explore it.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to capture PFNs and /proc/kpage*"
COLLECT=${COLLECT:-$BUILD/vmscope-collect}

start_helper "$HELPERS/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
hex() { printf '%x' "$1"; }
addr() { printf '%d' "$(helper_value "$1")"; }
ps=$(helper_value page_size)

# The questions, asked of one root ("" = live).  The header line of maps
# and the root description in JSON name the root, so they are left out,
# and so are the smaps figures that other processes move: Pss, and the
# Shared_/Private_ split and Referenced (a library page becomes shared
# when another process maps it, referenced when one touches it).  Kernel ranges drop what changes by the second
# (vmallocinfo's line numbers and count) and name the boot log's origin
# as BOOTLOG; phys is asked without the reverse lookup, whose answer
# depends on which processes the root holds.
ask() {
	local -a R=()
	[ -n "$1" ] && R=(--root "$1")
	local v="$VMSCOPE" r a n
	echo "== maps"; "$v" "${R[@]}" maps "$pid" | tail -n +2
	echo "== maps --holes"; "$v" "${R[@]}" maps --holes "$pid" | tail -n +2
	echo "== maps --json"; "$v" "${R[@]}" --json maps "$pid" |
		jq -S 'del(.root) | walk(if type == "object" then
			with_entries(select(.key | test("^(Pss|Shared_|Private_|Referenced)") | not))
			else . end)'
	for r in anon_touched anon_half anon_untouched zero file shared mlocked thp; do
		a=$(addr $r); n=$(helper_value ${r}_len)
		echo "== pages $r"; "$v" "${R[@]}" pages "$pid" "$(hex $a)-$(hex $((a + n)))" | tail -n +2
		echo "== pages $r --json"
		"$v" "${R[@]}" --json pages "$pid" "$(hex $a)-$(hex $((a + n)))" | jq -S -c 'del(.root)'
	done
	for a in $(addr anon_touched) $(($(addr anon_touched) + 0x123)) \
		 $(addr anon_untouched) $(addr zero) $(addr file) $(addr shared) \
		 $(addr thp) $(addr hole) "$vvar" "$stack"; do
		echo "== translate $(hex $a)"
		"$v" "${R[@]}" translate "$pid" "$(hex $a)"; echo "exit $?"
		"$v" "${R[@]}" --json translate "$pid" "$(hex $a)" | jq -S -c 'del(.root)'
	done
	echo "== phys of the touched page"
	"$v" "${R[@]}" phys --no-lookup "$phys" | bootlog_as_such
	"$v" "${R[@]}" --json phys --no-lookup "$phys" | jq -S -c 'del(.root)' |
		bootlog_as_such
	echo "== kernel"
	"$v" "${R[@]}" kernel | tail -n +2 | grep -v 'vmallocinfo\|/proc/modules' |
		bootlog_as_such
	echo "== kernel --json"
	"$v" "${R[@]}" --json kernel | jq -S -c 'del(.root, .bootlog_origin) |
		.virtual |= map(select(any(.sources[]; .source == "/proc/vmallocinfo") | not)) |
		.hidden |= map(select(.source != "/proc/vmallocinfo")) |
		walk(if type == "object" and .source == "/proc/vmallocinfo"
		     then del(.line, .where) else . end) |
		.sources |= map(select(.source != "/proc/vmallocinfo" and .source != "/proc/modules"))' |
		bootlog_as_such
}

bootlog_as_such() { sed -E 's#kernel log|/[^ ]*/boot\.log#BOOTLOG#g'; }

vvar=$((0x$(awk '/\[vvar\]$/ { split($1, r, "-"); print r[1] }' /proc/$pid/maps)))
stack=$((0x$(awk '/\[stack\]$/ { split($1, r, "-"); print r[2] }' /proc/$pid/maps) - ps))
phys=$("$VMSCOPE" --json translate "$pid" "$(hex $(addr anon_touched))" | jq -r .phys)

# The kernel may age, collapse or move the helper's pages while it is
# captured (IDLE, THP): then the live answers before and after differ and
# the snapshot may match neither.  Such a round is taken again (up to 3
# times); a round in which the live answers held still must match.
for attempt in 1 2 3; do
	rm -rf "$TMPD/snap" "$TMPD/snap.tar" "$TMPD/collected"
	ask "" >"$TMPD/live1" 2>&1
	out=$("$VMSCOPE" snapshot -p "$pid" -o "$TMPD/snap" 2>&1); rc1=$?; out1=$out
	out=$("$VMSCOPE" snapshot -p "$pid" -o "$TMPD/snap.tar" 2>&1); rc2=$?; out2=$out
	out=$("$COLLECT" -p "$pid" -o "$TMPD/collected" 2>&1); rc3=$?
	ask "" >"$TMPD/live2" 2>&1
	same=(); differ=()
	for s in snap snap.tar collected; do
		ask "$TMPD/$s" >"$TMPD/$s.out" 2>&1
		if cmp -s "$TMPD/$s.out" "$TMPD/live1" || cmp -s "$TMPD/$s.out" "$TMPD/live2"; then
			same+=("$s")
		else
			differ+=("$s")
		fi
	done
	[ ${#differ[@]} = 0 ] && break
	cmp -s "$TMPD/live1" "$TMPD/live2" && break   # held still: a real difference
	echo "# round $attempt: the helper's pages changed during the captures (the kernel moved or aged them); again"
	diff "$TMPD/live1" "$TMPD/live2" | head -10 | sed 's/^/#   /'
done
equals "snapshot to a directory exits 0" "$rc1" 0
matches "it says what it captured" "$out1" "^snapshot .*/snap: 1 process, [0-9]+ present pages, [0-9]+ page frames"
equals "snapshot to a tar exits 0" "$rc2" 0
contains "the tar form is said" "$out2" "; a tar file of "
equals "vmscope-collect exits 0" "$rc3" 0
check "the live answers are not empty" grep -q "^0*$(hex $(addr thp)) " "$TMPD/live1"
for s in "${same[@]}"; do
	ok "$s: every batch command answers as it did live"
done
for s in "${differ[@]}"; do
	fail "$s: every batch command answers as it did live"
	diff "$TMPD/live1" "$TMPD/$s.out" | head -30 | sed 's/^/#   /'
done
# the comparison can fail: one byte of one pagemap entry changed in a
# copy of the snapshot (the touched page's frame number) must show
cp -a "$TMPD/snap" "$TMPD/snap-bad"
# (flipped, not set: a set byte may already hold that value)
off=$(($(addr anon_touched) / ps * 8 + 1))
byte=$(od -An -tu1 -j "$off" -N1 "$TMPD/snap-bad/proc/$pid/pagemap" | tr -d ' ')
printf "\\x$(printf %02x $((byte ^ 0x5a)))" | dd of="$TMPD/snap-bad/proc/$pid/pagemap" bs=1 conv=notrunc \
	seek="$off" 2>/dev/null
ask "$TMPD/snap-bad" >"$TMPD/snap-bad.out" 2>&1
check "a snapshot with one frame number changed does not answer as live" \
	test -n "$(diff "$TMPD/snap-bad.out" "$TMPD/snap.out")"

# what the snapshot holds, independently of vmscope's readers
conf=$(cat "$TMPD/snap/vmscope-snapshot.conf")
contains "conf: format 1" "$conf" "format=1"
contains "conf: page size" "$conf" "page_size=$ps"
contains "conf: architecture" "$conf" "arch=$(uname -m)"
contains "conf: kernel release" "$conf" "kernel_release=$(uname -r)"
contains "conf: PFNs were visible" "$conf" "pfn_visible=1"
contains "conf: vmscope version" "$conf" "vmscope_version="
matches "conf: time in UTC" "$conf" '^time=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'
for f in smaps status cmdline pagemap; do
	check "proc/$pid/$f is there" test -f "$TMPD/snap/proc/$pid/$f"
done
for f in proc/kpageflags proc/kpagecount proc/kpagecgroup proc/iomem proc/cmdline \
	 proc/vmallocinfo boot.log proc/self/mountinfo vmscope-snapshot.stat; do
	check "$f is there" test -f "$TMPD/snap/$f"
done
check "maps is not kept twice: smaps holds its lines" test ! -e "$TMPD/snap/proc/$pid/maps"
memcg=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print substr($5, 2); exit }' /proc/self/mountinfo)
if [ -n "$memcg" ]; then
	contains "the memory cgroup's directory is recorded with its live inode" \
		"$(cat "$TMPD/snap/vmscope-snapshot.stat")" "$(stat -c '%i %d' "/$memcg") 0 "
fi
mode=$(stat -c %a "$TMPD/snap")
equals "the snapshot directory is private (0700: it holds root-only data)" "$mode" 700
equals "... and so is the tar (0600)" "$(stat -c %a "$TMPD/snap.tar")" 600
pm_at() { dd if="$1" bs=8 skip=$(($2 / ps)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n'; }
a=$(addr anon_touched)
equals "pagemap entry of a touched page at its live offset" \
	"$(pm_at "$TMPD/snap/proc/$pid/pagemap" "$a")" "$(pm_at /proc/$pid/pagemap "$a")"
blocks=$(stat -c %b "$TMPD/snap/proc/$pid/pagemap")
size=$(stat -c %s "$TMPD/snap/proc/$pid/pagemap")
check "pagemap is sparse ($((blocks * 512)) bytes on disk for $size)" test $((blocks * 512)) -lt $((size / 1000))
tarsize=$(stat -c %s "$TMPD/snap.tar")
check "the tar is small ($tarsize bytes)" test "$tarsize" -lt $((4 * 1024 * 1024))
# the size said is the size of what was written (ls -l of the tar, du of
# the directory), in the one size format: 1024-based, one decimal below 10
human() { awk -v b="$1" 'BEGIN { u = "BKMGTPE"; i = 1; while (b >= 1024 ^ i && i < 7) i++;
	v = b / 1024 ^ (i - 1); if (i == 1) printf "%dB", b;
	else if (v < 9.95) printf "%.1f%s", v, substr(u, i, 1);
	else printf "%d%s", int(v + 0.5), substr(u, i, 1) }'; }
matches "the tar's size is its file's, as ls -l says ($(human "$tarsize"))" \
	"$out2" "; a tar file of $(human "$tarsize"), [0-9.]+[BKMG] of it data$"
dirdisk=$(du -sB1 "$TMPD/snap" | cut -f1)
matches "the directory's size is what du says ($(human "$dirdisk"))" \
	"$out1" "; $(human "$dirdisk") on disk, [0-9.]+[BKMG] of it data$"
if command -v tar >/dev/null; then
	mkdir "$TMPD/gnutar"
	check "GNU tar extracts the snapshot" tar -C "$TMPD/gnutar" -xf "$TMPD/snap.tar"
	equals "... with the sparse pagemap in place" \
		"$(pm_at "$TMPD/gnutar/proc/$pid/pagemap" "$a")" "$(pm_at /proc/$pid/pagemap "$a")"
	out=$("$VMSCOPE" --root "$TMPD/gnutar" translate "$pid" "$(hex $a)")
	contains "... and vmscope opens what it extracted" "$out" "-> $phys"
fi

# exploring needs no root: as nobody, PFNs come from the snapshot
if nobody_prepare; then
	# shared on purpose, as its owner would
	chmod 755 "$TMPD"
	chmod -R go+rX "$TMPD/snap"
	chmod 644 "$TMPD/snap.tar"
	asnobody() { "${NOBODY[@]}" "$@"; }
	out=$(asnobody "$NOBODY_VMSCOPE" --root "$TMPD/snap" translate "$pid" "$(hex $a)"); rc=$?
	equals "as nobody: the snapshot's page translates (exit 0)" "$rc" 0
	contains "as nobody: the physical address, not 'hidden'" "$out" "-> $phys"
	out=$(TMPDIR= XDG_RUNTIME_DIR= asnobody "$NOBODY_VMSCOPE" --root "$TMPD/snap.tar" translate "$pid" "$(hex $a)"); rc=$?
	equals "as nobody: the tar opens too" "$rc" 0
	contains "as nobody: the tar's answer" "$out" "-> $phys"
	mkdir -m 777 "$TMPD/nb"
	out=$(asnobody "$NOBODY_VMSCOPE" snapshot -p "$pid" -o "$TMPD/nb/snap" 2>&1); rc=$?
	equals "as nobody: capturing root's process fails (exit 1)" "$rc" 1
	contains "... saying why" "$out" "run the capture as root"
else
	echo "# skip: as nobody: $NOBODY_WHY"
fi

# the process list of a snapshot, and what is live-only
out=$("$VMSCOPE" --root "$TMPD/snap" maps 1 2>&1); rc=$?
equals "a process the snapshot does not hold: exit 1" "$rc" 1
contains "... named" "$out" "process 1 does not exist"

# an exiting process is left out with a note, not a failure
start_helper "$HELPERS/vmhelper" || { fail "second helper starts"; finish; exit 1; }
pid2=$HELPER_PID
kill "$pid2"; wait "$pid2" 2>/dev/null
out=$("$VMSCOPE" snapshot -p "$pid" -p "$pid2" -o "$TMPD/partial" 2>&1); rc=$?
equals "a vanished process: still exit 0" "$rc" 0
contains "... with a note naming it" "$out" "note: process $pid2 left out: exited"
contains "... recorded in the conf" "$(cat "$TMPD/partial/vmscope-snapshot.conf")" "skipped=$pid2:exited"
check "... and no directory of it" test ! -e "$TMPD/partial/proc/$pid2"

# refusing to overwrite
out=$("$VMSCOPE" snapshot -p "$pid" -o "$TMPD/snap" 2>&1); rc=$?
equals "an existing snapshot without --force: exit 1" "$rc" 1
contains "... says to give --force" "$out" "already exists: give --force"
out=$("$VMSCOPE" snapshot -p "$pid" -o "$TMPD/snap.tar" --force 2>&1); rc=$?
equals "--force replaces a tar" "$rc" 0
mkdir "$TMPD/work"; echo precious >"$TMPD/work/notes.txt"
out=$("$VMSCOPE" snapshot -p "$pid" -o "$TMPD/work" --force 2>&1); rc=$?
equals "--force never replaces a directory that is not a snapshot" "$rc" 1
equals "... which is untouched" "$(cat "$TMPD/work/notes.txt")" precious
check "no staging directories are left behind" test -z "$(ls -A "$TMPD" | grep vmscope-)"
out=$("$VMSCOPE" snapshot -o "$TMPD/x" 2>&1); rc=$?
equals "no process given: usage exit 64" "$rc" 64
contains "... says what to give" "$out" "-p PID (repeatable) or --all"
out=$("$VMSCOPE" snapshot --all -o "$TMPD/all.tar" --json 2>/dev/null); rc=$?
equals "--all: exit 0" "$rc" 0
n=$(jq -r '.processes' <<<"$out" 2>/dev/null)
check "--all --json: valid JSON, more than one process (${n:-none})" test "${n:-0}" -gt 1
equals "--json: size_bytes is the tar file's size" \
	"$(jq -r .size_bytes <<<"$out" 2>/dev/null)" "$(stat -c %s "$TMPD/all.tar")"
check "--json: data_bytes is less than the file holding it" \
	test "$(jq -r .data_bytes <<<"$out")" -lt "$(jq -r .size_bytes <<<"$out")"
finish
