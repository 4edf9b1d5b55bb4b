#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vmscope --remote against boards this machine can stand in for:
#  - a big-endian MIPS board, seen from this little-endian one: the agent
#    serves the mips-be-ath79 fixture (byte_order=big) with --serve --root,
#    run here and, where it is cross-built, as the MIPS (big-endian) agent
#    under qemu-user; every batch command answers as `vmscope --root` of
#    the same fixture does (but for how the root is named);
#  - a board reached through ssh: a real sshd (Debian's openssh-server) on
#    127.0.0.1, on a free port, with host and user keys made in the test's
#    temporary directory (never /etc/ssh or ~/.ssh), the agent run as
#    root through it: `maps` and `pages` equal the local commands.
. "$(dirname "$0")/../lib.sh"
COLLECT=$BUILD/vmscope-collect
[ -x "$COLLECT" ] || skip_all "no $COLLECT (make test-bin)"
skip() { printf '# skipped: %s\n' "$*"; }

BE=$("$TOP/tests/fixtures/build" mips-be-ath79 "$TMPD/be")
desc_local="snapshot $BE: OpenWrt mips 5.15.134 @ 2026-11-30T08:41:12Z"
desc_remote="remote: OpenWrt (mips, 5.15.134)"
# the same but the root's name (and a boot log missing, said per root)
norm() {
	local t=${1//"$desc_local"/ROOT}
	t=${t//"$desc_remote"/ROOT}
	t=${t//"$BE/"//}
	grep -v '^  boot log  ' <<<"$t"
}

served() {
	local agent=$1 W=$2 l r lrc rrc a p c
	same() {
		local name=$1
		shift
		l=$("$VMSCOPE" --root "$BE" "$@" 2>&1); lrc=$?
		r=$("$VMSCOPE" --remote "$agent" "$@" 2>&1); rrc=$?
		if [[ $name == *json* ]]; then
			l=$(jq -S 'del(.root)' <<<"$l" 2>&1); r=$(jq -S 'del(.root)' <<<"$r" 2>&1)
		fi
		l=$(norm "$l"); r=$(norm "$r")
		if [ "$l" = "$r" ] && [ "$lrc" = "$rrc" ]; then
			ok "$W: $name: as --root (exit $lrc)"
		else
			fail "$W: $name: as --root (exit $lrc and $rrc)"
			diff <(echo "$l") <(echo "$r") | head -10 | sed 's/^/#   /'
		fi
	}
	same maps maps 1523
	same maps-holes maps --holes 1523
	same maps-json --json maps 1523
	same pages-heap pages 1523 1a6f000-1a72000
	same pages-libc pages 1523 77e80000-77e82000
	same pages-top pages 1523 7fb5e000-7fefc000
	same pages-json --json pages 1523 77e80000-77f0a000
	for a in 0x400010 0x1a6f123 0x1a71000 0x1a72000 0x77e81040 0x7fefa010 0x5000; do
		same "translate $a" translate 1523 "$a"
	done
	for p in 0x6c01000 0x1f00abc 0x7fff000; do
		same "phys $p" phys "$p"
	done
	same kernel kernel
	r=$("$VMSCOPE" --remote "$agent" translate 1523 0x1a6f123 2>&1)
	contains "$W: the board's big-endian entry read right: PFN 0x6c01" "$r" "0x1a6f123 -> 0x6c01123"
	contains "$W: ... its page flags" "$r" "UPTODATE,DIRTY,LRU,MMAP,ANON,SWAPBACKED"
	contains "$W: ... its cgroup" "$r" "/services/dnsmasq"
}
served "$COLLECT --serve --root $BE" "the fixture served by this machine's agent"
MIPS=$TOP/build/mips-linux-gnu/vmscope-collect
if [ ! -x "$MIPS" ]; then
	skip "the big-endian MIPS agent: not built (make CROSS_COMPILE=mips-linux-gnu- collector)"
elif ! command -v qemu-mips-static >/dev/null; then
	skip "the big-endian MIPS agent: no qemu-mips-static (qemu-user-static)"
else
	served "qemu-mips-static $MIPS --serve --root $BE" "the big-endian MIPS agent under qemu-user"
fi

# --- through a real sshd ---
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
ssh_ready() {
	[ -x "$SSHD" ] || { skip "ssh: no sshd (openssh-server; make deps)"; return 1; }
	command -v ssh >/dev/null && command -v ssh-keygen >/dev/null ||
		{ skip "ssh: no ssh client"; return 1; }
	[ "$(id -u)" = 0 ] || { skip "ssh: sshd needs root to log in as root"; return 1; }
	return 0
}
if ssh_ready; then
	S=$TMPD/ssh
	mkdir -m 700 "$S"
	ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$S/user_key"
	cp "$S/user_key.pub" "$S/authorized_keys"
	chmod 600 "$S/authorized_keys"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$S/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PermitRootLogin prohibit-password
AllowUsers root
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOF
	cat >"$S/ssh_config" <<EOF
Host *
	IdentityFile $S/user_key
	IdentitiesOnly yes
	UserKnownHostsFile /dev/null
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking no
	BatchMode yes
	LogLevel ERROR
EOF
	mkdir -p /run/sshd 2>/dev/null
	"$SSHD" -f "$S/sshd_config" -D -e 2>"$S/sshd.log" &
	sshd_pid=$!
	on_exit "kill $sshd_pid 2>/dev/null; wait $sshd_pid 2>/dev/null"
	SSH="ssh -F $S/ssh_config -p $port root@127.0.0.1"
	for _ in $(seq 1 50); do
		$SSH true 2>/dev/null && break
		sleep 0.1
	done
	if ! $SSH true 2>"$S/ssh.err"; then
		skip "ssh: sshd did not start or refused the key: $(tail -1 "$S/sshd.log") $(tail -1 "$S/ssh.err")"
	else
		start_helper "$HELPERS/vmhelper" || fail "helper starts"
		pid=$HELPER_PID
		ps=$(helper_value page_size)
		a=$(($(helper_value anon_touched)))
		AGENT="$SSH $COLLECT --serve"
		l=$("$VMSCOPE" maps "$pid" | sed 1d)
		r=$("$VMSCOPE" --remote "$AGENT" maps "$pid"); rc=$?
		equals "ssh: maps exits 0" "$rc" 0
		matches "ssh: its header says remote" "$(head -1 <<<"$r")" "^process $pid \(vmhelper\), remote: "
		equals "ssh: maps through sshd equals the local maps" "$(sed 1d <<<"$r")" "$l"
		range=$(printf '%x-%x' "$a" $((a + 16 * ps)))
		equals "ssh: pages through sshd equal the local pages" \
			"$("$VMSCOPE" --remote "$AGENT" pages "$pid" "$range" | sed 1d | awk '{ print $1, $2, $3, $4, $5 }')" \
			"$("$VMSCOPE" pages "$pid" "$range" | sed 1d | awk '{ print $1, $2, $3, $4, $5 }')"
		# the session dropped under vmscope: exit 1 with a clear message
		r=$("$VMSCOPE" --remote "$SSH 'kill -9 \$\$'" maps "$pid" 2>&1); rc=$?
		equals "ssh: a session that drops: exit 1" "$rc" 1
		matches "... says the connection is lost" "$r" "^vmscope: remote: connection lost"
	fi
	kill "$sshd_pid" 2>/dev/null
	wait "$sshd_pid" 2>/dev/null
	check "sshd is stopped afterwards" sh -c "! kill -0 $sshd_pid 2>/dev/null"
fi
finish
