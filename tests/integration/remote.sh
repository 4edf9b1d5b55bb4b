#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vmscope --remote: the agent (vmscope-collect --serve) run here as the
# "board", so every batch command must give the answer the local one
# gives on the same helper process; a snapshot over the pipe is written
# here; a dropped pipe, a hung agent and hostile agents (malformed frames)
# end in exit 1 with a clear message, never a crash; the agent refuses
# paths outside what vmscope reads, talking to it frame by frame.
. "$(dirname "$0")/../lib.sh"
COLLECT=$BUILD/vmscope-collect
[ -x "$COLLECT" ] || skip_all "no $COLLECT (make test-bin)"
AGENT="$COLLECT --serve"
HOSTILE=$HELPERS/hostile_agent

start_helper "$HELPERS/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
ps=$(helper_value page_size)
hex() { printf '%x' "$1"; }
a=$(($(helper_value anon_touched)))
u=$(($(helper_value anon_untouched)))
hole=$(($(helper_value hole)))
f=$(($(helper_value file)))

remote() { "$VMSCOPE" --remote "$AGENT" "$@"; }

# --- every batch command: the same answer (compare_all AGENT LABEL) ---
compare_all() {
	local AGENT=$1 W="${2:+$2: }" l r rc lrc rrc range x pfn phys lk rk
	l=$("$VMSCOPE" maps "$pid"); r=$(remote maps "$pid"); rc=$?
	equals "${W}maps over --remote exits 0" "$rc" 0
	matches "${W}its header says the root is remote" "$(head -1 <<<"$r")" "^process $pid \(vmhelper\), remote: "
	equals "${W}maps: the same VMAs as the local command" "$(sed 1d <<<"$r")" "$(sed 1d <<<"$l")"
	l=$("$VMSCOPE" maps --holes "$pid" | sed 1d); r=$(remote maps --holes "$pid" | sed 1d)
	equals "${W}maps --holes: the same" "$r" "$l"
	# (Pss, and the split of a file's pages into shared and private,
	# move with who else maps them: vmscope does, a test that starts
	# the same binary meanwhile does; their sums, Rss, do not)
	nopss='del(.root) | .vmas[].smaps_kb |= with_entries(select(.key | test("^(Pss|Shared_|Private_)") | not))'
	l=$("$VMSCOPE" --json maps "$pid" | jq -S "$nopss")
	r=$(remote --json maps "$pid" | jq -S "$nopss")
	equals "${W}maps --json: the same document but the root, Pss and the shared/private split" "$r" "$l"

	range="$(hex $a)-$(hex $((a + 16 * ps)))"
	cols() { tail -n +2 | awk '{ print $1, $2, $3, $4, $5 }'; }   # past the line naming the source
	l=$("$VMSCOPE" pages "$pid" "$range" | cols); r=$(remote pages "$pid" "$range" | cols)
	equals "${W}pages of the touched anon region: same states, PFNs, counts" "$r" "$l"
	matches "${W}... which are real PFNs or hidden alike" "$r" "^0*$(hex $a) anon "
	range="$(hex $f)-$(hex $((f + 4 * ps)))"
	l=$("$VMSCOPE" pages "$pid" "$range" | cols); r=$(remote pages "$pid" "$range" | cols)
	equals "${W}pages of the file mapping: the same" "$r" "$l"
	l=$("$VMSCOPE" --json pages "$pid" "$(hex $u)-$(hex $((u + 4 * ps)))" | jq -S 'del(.root)')
	r=$(remote --json pages "$pid" "$(hex $u)-$(hex $((u + 4 * ps)))" | jq -S 'del(.root)')
	equals "${W}pages --json of untouched memory: the same" "$r" "$l"

	for x in "$a" "$u" "$hole"; do
		l=$("$VMSCOPE" translate "$pid" "$(hex $((x + 0x10)))"); lrc=$?
		r=$(remote translate "$pid" "$(hex $((x + 0x10)))"); rrc=$?
		equals "${W}translate 0x$(hex $x): the same answer" "$r" "$l"
		equals "${W}translate 0x$(hex $x): the same exit status ($lrc)" "$rrc" "$lrc"
	done

	l=$("$VMSCOPE" kernel | grep '\[iomem:'); r=$(remote kernel | grep '\[iomem:')
	equals "${W}kernel: the same physical map from /proc/iomem" "$r" "$l"
	# (kernel's notes follow the architecture the agent reports: qemu-user
	# reports its own; the sources used must agree)
	lk=$("$VMSCOPE" kernel | sed -n '/^sources:/,/^$/p' | grep -E 'boot log|iomem|memmap|cmdline' | grep -v '^note:' | sed 's/ *[0-9]* lines.*//')
	rk=$(remote kernel | sed -n '/^sources:/,/^$/p' | grep -E 'boot log|iomem|memmap|cmdline' | grep -v '^note:' | sed 's/ *[0-9]* lines.*//')
	equals "${W}kernel: the same sources used (boot log, iomem, memmap, cmdline)" "$rk" "$lk"
	pfn=$(remote translate "$pid" "$(hex $a)" | sed -n 's/.*PFN \(0x[0-9a-f]*\).*/\1/p' | head -1)
	if [ -n "$pfn" ]; then
		phys=$(hex $((pfn * ps)))
		l=$("$VMSCOPE" phys --no-lookup "$phys" | head -4); r=$(remote phys --no-lookup "$phys" | head -4)
		equals "${W}phys of the helper's page: the same range and page" "$r" "$l"
	fi
}
compare_all "$COLLECT --serve"
skip() { printf '# skipped: %s\n' "$*"; }
# the agents of 32- and 64-bit ARM boards, run here under qemu-user
# (.ci/run cross-builds them before make check; a plain checkout has
# none: then skipped, naming the command that builds them)
for cross in arm-linux-gnueabihf:arm aarch64-linux-gnu:aarch64; do
	triplet=${cross%%:*} qemu=qemu-${cross##*:}-static
	agent=$TOP/build/$triplet/vmscope-collect
	if [ ! -x "$agent" ]; then
		skip "$triplet agent: not built (make CROSS_COMPILE=$triplet- collector)"
	elif ! command -v "$qemu" >/dev/null; then
		skip "$triplet agent: no $qemu (qemu-user-static)"
	else
		compare_all "$qemu $agent --serve" "$triplet agent under $qemu"
	fi
done

# --- a snapshot over the pipe is written here ---
out=$(remote snapshot -p "$pid" -o "$TMPD/board.tar" 2>&1); rc=$?
equals "snapshot over --remote exits 0" "$rc" 0
check "the tar is written on this side" test -s "$TMPD/board.tar"
"$VMSCOPE" snapshot -p "$pid" -o "$TMPD/here.tar" >/dev/null 2>&1
equals "the remote snapshot holds the maps a local one holds" \
	"$("$VMSCOPE" --root "$TMPD/board.tar" maps "$pid" | sed 1d)" \
	"$("$VMSCOPE" --root "$TMPD/here.tar" maps "$pid" | sed 1d)"

# --- the agent's errors are the local readers' errors ---
# (a process that has exited; not `sleep & kill`: bash's child killed
# before its exec runs the EXIT trap, which removes $TMPD)
gone=$(sh -c 'echo $$')
l=$("$VMSCOPE" maps "$gone" 2>&1); lrc=$?
r=$(remote maps "$gone" 2>&1); rrc=$?
equals "a vanished process: the same message" "$r" "$l"
equals "a vanished process: the same exit status" "$rrc" "$lrc"
r=$("$VMSCOPE" --remote "$HOSTILE errors" maps "$pid" 2>&1)
contains "EACCES from the agent reads as the local permission message" "$r" \
	"reading another user's process needs root"

# --- failures: exit 1 with a clear message, never a crash ---
r=$("$VMSCOPE" --remote "$HOSTILE hello-exit" maps "$pid" 2>&1); rc=$?
equals "an agent gone after hello: exit 1" "$rc" 1
contains "... says the connection is lost and how the command ended" "$r" \
	"remote: connection lost: $HOSTILE hello-exit exited with status 3"
contains "... with what it said on stderr" "$r" "leaving after the hello"
# (sh holds the pipe open while the agent waits for a request: that
# looks like a hung agent, so a short timeout)
r=$("$VMSCOPE" --remote-timeout 2 --remote "$AGENT | head -c 300" maps "$pid" 2>&1); rc=$?
equals "a pipe cut after 300 bytes (head -c): exit 1" "$rc" 1
matches "... says so" "$r" "^vmscope: remote: (connection lost|no answer within the timeout)"
r=$("$VMSCOPE" --remote "$HOSTILE hello-exit" snapshot --all -o "$TMPD/lost.tar" 2>&1); rc=$?
equals "snapshot over an agent gone after hello: exit 1" "$rc" 1
equals "... the lost connection said once" "$(grep -c 'connection lost' <<<"$r")" 1
check "... and no tar left behind" test ! -e "$TMPD/lost.tar"
start=$(date +%s)
r=$("$VMSCOPE" --remote "$AGENT | head -c 300" maps "$pid" 2>&1); rc=$?
equals "a pipe cut by head -c 300, default timeout: exit 1" "$rc" 1
contains "... found lost, not hung: the agent met the cut pipe" "$r" "remote: connection lost"
check "... within 10 s, not the 30 s timeout" test $(($(date +%s) - start)) -le 10
r=$("$VMSCOPE" --remote "exit 7" maps "$pid" 2>&1); rc=$?
equals "a command that never answers hello: exit 1" "$rc" 1
contains "... names its exit status" "$r" "exit 7 exited with status 7"
r=$("$VMSCOPE" --remote "false" kernel 2>&1); rc=$?
equals "kernel over a dead pipe: exit 1" "$rc" 1
start=$(date +%s)
r=$(timeout 20 "$VMSCOPE" --remote-timeout 1 --remote "$HOSTILE hang" maps "$pid" 2>&1); rc=$?
equals "a hung agent: exit 1 (not killed by timeout(1))" "$rc" 1
contains "... says it did not answer" "$r" "no answer within the timeout"
check "... within a few seconds of --remote-timeout 1" test $(($(date +%s) - start)) -le 5
# every command exits 1 (no crash, no hang); kernel, which reads, lists
# and stats, meets the lie and names it
for m in garbage huge wrongid unasked lying-read bad-names short; do
	for c in "maps $pid" "pages $pid $(hex $a)-$(hex $((a + ps)))" kernel "phys 0x1000"; do
		r=$(timeout 20 "$VMSCOPE" --remote "$HOSTILE $m" $c 2>&1); rc=$?
		if [ "$rc" = 1 ] && { [ "$c" != kernel ] || grep -q '^vmscope: remote: ' <<<"$r"; }; then
			continue
		fi
		fail "hostile agent '$m', $c: exit 1 with a remote: message (rc $rc)"
		sed 's/^/#   /' <<<"$r" | head -5
		continue 2
	done
	ok "hostile agent '$m': every command exits 1, kernel with a remote: message"
done
# nothing left behind: sh -c forks the agent, and a hung or lying one
# waits for ever unless vmscope stops what its command started too
sleep 0.5
equals "no hostile agent of this test is left running" \
	"$(pgrep -f "^$HOSTILE " | wc -l)" 0

# --- the agent refuses what vmscope does not read (frame by frame) ---
session=$(python3 - "$COLLECT" <<'EOF'
import struct, subprocess, sys
p = subprocess.Popen([sys.argv[1], "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def frame(t, i, body): return struct.pack("<IHHI", 12 + len(body), t, 0, i) + body
def path(s): return struct.pack("<H", len(s)) + s
def read(i, rel, n=64):
    body = struct.pack("<HHI", 1, 0, 1) + struct.pack("<IHH", 0, 0, len(rel)) + rel
    return frame(2, i, body + struct.pack("<IIQ", 0, n, 0))
reqs = [frame(1, 1, struct.pack("<IHH", 0x43534d56, 1, 0)),
        read(2, b"proc/self/root/etc/shadow"), read(3, b"proc/self/cwd/x"),
        read(4, b"proc/self/fd/0"), read(5, b"../etc/passwd"),
        frame(4, 6, path(b"/etc")), frame(3, 7, path(b"proc/1/fd")),
        read(8, b"proc/self/status"), frame(6, 9, b"")]
out, _ = p.communicate(b"".join(reqs), timeout=10)
while out:
    n, t, _, i = struct.unpack("<IHHI", out[:12]); body = out[12:n]; out = out[n:]
    if t == 0x8002: print(i, "read", struct.unpack("<I", body[8:12])[0], body[24:32])
    elif t in (0x8003, 0x8004): print(i, "errno", struct.unpack("<I", body[:4])[0])
    else: print(i, hex(t))
print("exit", p.returncode)
EOF
)
for i in 2 3 4 5; do
	contains "request $i (a path out of the served trees) is refused with EACCES" "$session" "$i read 13 "
done
contains "stat of an absolute path is refused" "$session" "6 errno 13"
contains "listing /proc/1/fd is refused" "$session" "7 errno 13"
contains "/proc/self/status is served" "$session" "8 read 0 b'Name:"
contains "bye ends the agent with status 0" "$session" "exit 0"
finish
