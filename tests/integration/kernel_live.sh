#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# This machine's ranges against its own files, read independently (awk,
# jq): every /proc/iomem entry is a range with the same bounds, name and
# nesting, and names its iomem line; the firmware memmap, kallsyms' _text
# and the boot log agree; hashed or zeroed pointers are reported hidden,
# never shown.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to see /proc/iomem addresses"
command -v jq >/dev/null || skip_all "needs jq"

json=$("$VMSCOPE" --json kernel); rc=$?
equals "kernel --json exits 0" "$rc" 0
check "kernel --json is valid JSON" jq -e . <<<"$json" >/dev/null
# x86_64 prints no virtual layout at boot: the empty virtual space is
# explained, not left to look like "no vmalloc"
if [ "$(uname -m)" = x86_64 ] && ! jq -e '.virtual[] | select(.kind == "area")' <<<"$json" >/dev/null; then
	contains "x86_64: the missing virtual layout is explained" "$(jq -r '.notes[]' <<<"$json")" \
		'x86_64 kernels never print one, and KASLR places the direct map'
fi

# iomem: "N START LAST DEPTH PARENT_N NAME", read with awk only
awk '{
	match($0, /^ */); d = RLENGTH / 2
	split(substr($0, RLENGTH + 1), a, " : "); split(a[1], r, "-")
	name = substr($0, RLENGTH + 1 + length(a[1]) + 3)
	par[d] = NR; p = d > 0 ? par[d - 1] : 0
	printf "%d %s %s %d %d %s\n", NR, r[1], r[2], d, p, name
}' /proc/iomem >"$TMPD/iomem"
# vmscope: "IOMEM_LINE START LAST ANCESTOR_IOMEM_LINES NAME"
jq -r '.physical as $p | $p | to_entries[] | .value as $r |
	($r.sources[] | select(.source == "/proc/iomem") | .line) as $l |
	[ recurse(if $p[.key].parent == null then empty
		  else {key: $p[.key].parent} end) | .key ] as $anc |
	([ $anc[1:][] | $p[.].sources[] | select(.source == "/proc/iomem") | .line ] | map(tostring) | join(",")) as $al |
	"\($l) \($r.start) \($r.last) [\($al)] \($r.name)"' <<<"$json" >"$TMPD/vms"

total=$(wc -l <"$TMPD/iomem")
bad=0 badnest=0
while read -r n s l d p name; do
	row=$(awk -v n="$n" '$1 == n' "$TMPD/vms")
	if [ -z "$row" ]; then bad=$((bad + 1)); echo "# iomem line $n ($name): no range names it"; continue; fi
	read -r _ vs vl anc vname <<<"$row"
	if [ $((vs)) != $((0x$s)) ] || [ $((vl)) != $((0x$l)) ] || [ "$vname" != "$name" ]; then
		bad=$((bad + 1)); echo "# iomem line $n: $s-$l $name, vmscope: $vs-$vl $vname"
	fi
	if [ "$p" != 0 ] && ! grep -qE "[[,]$p[],]" <<<"$anc"; then
		badnest=$((badnest + 1)); echo "# iomem line $n ($name): parent line $p not among its ancestors $anc"
	fi
done <"$TMPD/iomem"
equals "all $total /proc/iomem entries are ranges with the same bounds and name" "$bad" 0
equals "each nests under its iomem parent" "$badnest" 0

# a lookup answers the innermost iomem entry
code=$(awk -F' : ' '$2 == "Kernel code" { sub(/^ */, "", $1); split($1, r, "-"); print r[1] }' /proc/iomem)
if [ -n "$code" ]; then
	out=$("$VMSCOPE" phys --no-lookup "$code")
	contains "phys of the first byte of Kernel code: path from System RAM" "$out" "range:   System RAM > Kernel code"
fi

# firmware memmap: one range per entry, bounds as in sysfs
if [ -d /sys/firmware/memmap ]; then
	fwbad=0
	for d in /sys/firmware/memmap/*; do
		i=${d##*/}
		want="$(printf '0x%x 0x%x' "$(cat "$d/start")" "$(cat "$d/end")")"
		got=$(jq -r --arg w "/sys/firmware/memmap/$i" '.physical[] | select(any(.sources[]; .where == $w)) | "\(.start) \(.last)"' <<<"$json")
		[ "$got" = "$want" ] || { fwbad=$((fwbad + 1)); echo "# memmap/$i: want $want, got '$got'"; }
	done
	equals "each /sys/firmware/memmap entry is a range with its bounds" "$fwbad" 0
fi

# kallsyms: .text starts at _text
text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
if [ -n "$text" ] && [ "$text" != 0000000000000000 ]; then
	equals ".text starts at kallsyms' _text" "$(jq -r '.virtual[] | select(.name == ".text") | .start' <<<"$json" | head -1)" "$(printf '0x%x' "0x$text")"
fi

# the boot log: read live, its kernel is this one
if dmesg >/dev/null 2>&1; then
	equals "the boot log came from the kernel log" "$(jq -r '.sources[] | select(.source == "boot log") | .used' <<<"$json")" true
	equals "the boot log's kernel is this one" "$(jq -r .bootlog_kernel <<<"$json")" "$(uname -r)"
	first=$(dmesg | grep -m1 'BIOS-e820: \[mem' | sed 's/.*\[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/\1 \2/')
	if [ -n "$first" ]; then
		read -r s l <<<"$first"
		equals "the first BIOS-e820 entry is a range with the boot log as a source" \
			"$(jq -r --arg s "$(printf '0x%x' "$s")" '[.physical[] | select(.start == $s) | .sources[] | select(.source == "boot log")] | length > 0' <<<"$json")" true
	fi
fi

# hashed pointers: vmallocinfo's virtual addresses here are hashed
if head -1 /proc/vmallocinfo | grep -q '^0x00000000'; then
	equals "hashed vmallocinfo addresses are reported hidden" \
		"$(jq -r '[.hidden[] | select(.source == "/proc/vmallocinfo")] | length' <<<"$json")" 1
	equals "and no virtual ioremap range is made of them" \
		"$(jq -r '[.virtual[] | select(.kind == "ioremap")] | length' <<<"$json")" 0
fi

# a snapshot of this machine gives the same map (ioremaps come and go)
if "$VMSCOPE" snapshot -p $$ -o "$TMPD/snap" >/dev/null 2>&1; then
	sj=$("$VMSCOPE" --root "$TMPD/snap" --json kernel)
	shape='[.physical[], .mm[], .virtual[] | select(.kind != "ioremap") | "\(.start) \(.end) \(.kind) \(.name) \(.depth)"]'
	equals "a snapshot's map equals the live one" "$(jq -c "$shape" <<<"$sj")" "$(jq -c "$shape" <<<"$json")"
	equals "the snapshot's boot log is its boot.log" "$(jq -r .bootlog_origin <<<"$sj")" "$TMPD/snap/boot.log"
fi

# without root: zeroed addresses are hidden, never ranges at 0
if nobody_prepare; then
	cp "$FIXTURES/bootlogs/x86_64-firecracker-6.18.log" "$NOBODY_DIR/"
	chmod 644 "$NOBODY_DIR/x86_64-firecracker-6.18.log"
	nj=$("${NOBODY[@]}" "$NOBODY_VMSCOPE" --json kernel)
	equals "as nobody: iomem's zeroed addresses are hidden" \
		"$(jq -r '[.hidden[] | select(.source == "/proc/iomem")] | length' <<<"$nj")" 1
	equals "as nobody: no range comes from iomem" \
		"$(jq -r '[.physical[] | select(any(.sources[]; .source == "/proc/iomem"))] | length' <<<"$nj")" 0
	# a log without a layout block: the note does not claim an image
	# that kallsyms (zeroed for nobody) could not place
	nn=$("${NOBODY[@]}" "$NOBODY_VMSCOPE" kernel \
		--bootlog "$NOBODY_DIR/x86_64-firecracker-6.18.log" | grep '^note: the boot log has no')
	contains "as nobody: the layout note says the image is not placed" "$nn" "so not even the kernel image is placed"
	not_contains "as nobody: ... and does not claim it is" "$nn" "only the kernel image is placed"
else
	echo "# skip: as nobody: $NOBODY_WHY"
fi
finish
