#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The man page covers what the program does: every key of the explorer's
# key table and every ':' command (vmscope --keys prints them from the
# same tables as the help screen), every option of --help, and every
# batch command.
. "$(dirname "$0")/../lib.sh"
MAN=$TOP/docs/vmscope.1
[ -f "$MAN" ] || { fail "docs/vmscope.1 exists"; finish; exit 1; }
roff_escape() { sed 's/\\/\\e/g; s/-/\\-/g' <<<"$1"; }

keys=$("$VMSCOPE" --keys)
check "--keys exits 0 and prints the key table" test -n "$keys"
missing=""
while IFS= read -r label; do
	grep -qxF ".B $(roff_escape "$label")" "$MAN" || missing="$missing [$label]"
done < <(awk '/^Keys: /{k=1; next} /^$/{k=0} k && /^  [^ ]/ { sub(/^  /, ""); sub(/  +.*/, ""); print }' <<<"$keys" | sort -u)
equals "every key label of the key table is in the man page" "$missing" ""
missing=""
while IFS= read -r cmd; do
	grep -qF ":$cmd" "$MAN" || missing="$missing :$cmd"
done < <(sed -n 's/^  :\([a-z]*\).*/\1/p' <<<"$keys")
equals "every : command is in the man page" "$missing" ""
n=$(sed -n 's/^  :\([a-z]*\).*/\1/p' <<<"$keys" | wc -l)
check "the command table is not empty ($n commands)" test "$n" -ge 8

missing=""
for opt in $("$VMSCOPE" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
	grep -qF -- "$(roff_escape "$opt")" "$MAN" || missing="$missing $opt"
done
equals "every --help option is in the man page" "$missing" ""
missing=""
for cmd in $("$VMSCOPE" --help | grep -oE '^ *(Usage: )?vmscope (\[OPTIONS\] )?[a-z]+' | awk '{print $NF}' | sort -u); do
	grep -qE "^\.B(I)? \"?$cmd" "$MAN" || missing="$missing $cmd"
done
equals "every batch command of --help has an entry" "$missing" ""
finish
