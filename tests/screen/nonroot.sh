#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# As nobody (no CAP_SYS_ADMIN): the status line says PFNs and page flags
# are hidden and why; pages show "hidden", never PFN 0; the detail says
# why kpageflags is missing; the VMA list is the process's maps.  Another
# user's process is refused.  Nobody runs a copy of vmscope (lib.sh's
# nobody_setup): the tree may be out of its reach.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"
nobody_setup
asnobody=("${NOBODY[@]}")
VMSCOPE=$NOBODY_VMSCOPE

cp "$HELPERS/vmhelper" "$NOBODY_DIR/bin/vmhelper"
start_helper "${asnobody[@]}" "$NOBODY_DIR/bin/vmhelper" --comm uinobody || { fail "helper starts"; finish; exit 1; }
pid=$(helper_value pid)
touched=$(hex "$(helper_value anon_touched)")

tm_start 80 24 -- "${asnobody[@]}" "$VMSCOPE" -p "$pid"
see "nobody: VMAs open" "PID $pid uinobody"
# the list is the helper's maps (read here as root): every VMA counted,
# the first one first
nmaps=$(grep -c . "/proc/$pid/maps")
first=$(head -1 "/proc/$pid/maps" | cut -d' ' -f1)
see "nobody: the title counts the $nmaps VMAs of its maps" "uinobody | $nmaps VMAs"
matches "nobody: the list starts with the first VMA, $first" "$(tm_screen | grep -E '^[0-9a-f]+ +[r-][w-][x-][ps] ' | head -1)" "^0*${first%-*} "
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

# another user's process: its maps are not readable (ptrace access), so
# vmscope refuses it at start, says why, and exits 1
tm_start 80 24 -- "${asnobody[@]}" "$VMSCOPE" -p 1
if tm_wait_exit 5; then
	equals "another user's process: refused at start, exit 1" "$(tm_exit_status)" 1
	see "another user's process: says root is needed" "another user's process needs root"
else
	fail "another user's process: refused at start"
	tm_screen | sed 's/^/#     /'
fi
finish
