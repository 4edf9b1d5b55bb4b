#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A user without CAP_SYS_ADMIN: PFNs are hidden (pagemap gives 0), which
# vmscope must report as hidden, never as PFN 0.  Nobody runs a copy of
# vmscope (lib.sh's nobody_setup): the tree may be out of its reach.
. "$(dirname "$0")/../lib.sh"
nobody_setup
asnobody() { "${NOBODY[@]}" "$@"; }
VMSCOPE=$NOBODY_VMSCOPE

# the helper runs as nobody too, so nobody may read its pagemap
cp "$HELPERS/vmhelper" "$NOBODY_DIR/bin/vmhelper"
start_helper "${NOBODY[@]}" "$NOBODY_DIR/bin/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$(helper_value pid)
a=$(printf '%x' "$(helper_value anon_touched)")

out=$(asnobody "$VMSCOPE" translate "$pid" "$a"); rc=$?
equals "present page, PFN hidden: exit 6" "$rc" 6
contains "result says pfn-hidden" "$out" "pfn-hidden"
contains "reason names CAP_SYS_ADMIN" "$out" "CAP_SYS_ADMIN"
out=$(asnobody "$VMSCOPE" pages "$pid" "$a")
matches "pages: PFN and PHYS shown as hidden" "$out" "^0*$a present +hidden +hidden "
contains "pages: a header line explains why" "$out" "PFNs and page flags are hidden"
json=$(asnobody "$VMSCOPE" --json pages "$pid" "$a")
equals "json: pfn null, pfn_hidden true" "$(jq -c '[.pages[0].pfn, .pages[0].pfn_hidden, .pfn_visible]' <<<"$json")" "[null,true,false]"
out=$(asnobody "$VMSCOPE" maps 1 2>&1); rc=$?
equals "another user's process: exit 1" "$rc" 1
matches "another user's process: says root is needed" "$out" "(root|permission)"
finish
