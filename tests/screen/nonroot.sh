#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# As nobody (no CAP_SYS_ADMIN): the status line says PFNs and page flags
# are hidden and why; pages show "hidden", never PFN 0; the detail says
# why kpageflags is missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
[ "$(id -u)" = 0 ] || skip_all "needs root to drop privileges to nobody"
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) missing"
asnobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
"${asnobody[@]}" test -x "$VMSCOPE" || skip_all "nobody cannot execute $VMSCOPE (check directory permissions)"

cp "$HELPERS/vmhelper" "$TMPD/vmhelper"
start_helper "${asnobody[@]}" "$TMPD/vmhelper" --comm uinobody || { fail "helper starts"; finish; exit 1; }
pid=$(helper_value pid)
touched=$(hex "$(helper_value anon_touched)")

tm_start 80 24 -- "${asnobody[@]}" "$VMSCOPE" -p "$pid"
see "nobody: VMAs open" "PID $pid uinobody"
see "status: PFNs and flags hidden, and why" "PFNs and page flags hidden: not root (needs CAP_SYS_ADMIN)"
tm_cmd "goto $touched"
see "pages open" "$touched "
matches "table: PFN and PHYS hidden, not 0" "$(tm_line "$touched ")" "^0*$touched present +hidden +- "
tm_keys m
see "map: present, kind hidden" "$touched pppp"
tm_keys m Enter
see "detail opens" "page $touched"
see "detail: physical none, hidden" "Physical   none: pfn-hidden"
see "detail: kpageflags hidden" "kpageflags hidden (not root)"
see "detail: map count hidden" "Map count  hidden"
tm_keys Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up
tm_keys /; tm_type "Physical"; tm_keys Enter
see "detail panel: why (CAP_SYS_ADMIN)" "CAP_SYS_ADMIN"
tm_resize 40 12
see "40x12: the notice still there, short" "PFNs hidden: not root" 2
tm_esc
tm_quit "nobody: vmscope"

# another user's process: the VMA list opens (maps are readable), its
# pages are not: a message, no crash
tm_start 80 24 -- "${asnobody[@]}" "$VMSCOPE" -p 1
sleep 1
if [ -n "$(tm_exit_status)" ]; then
	ok "another user's process: refused at start, exit $(tm_exit_status)"
else
	tm_keys Enter
	see "another user's pages: a message" "root" 3
	check "still running" [ -z "$(tm_exit_status)" ]
	tm_quit
fi
finish
