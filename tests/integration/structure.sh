#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The tree stays readable: no source file over 600 lines and no function
# over 80 (tools/sizes; the exceptions are those docs/architecture.md
# names under "Long on purpose"), and tools/sizes itself still finds one
# when there is one.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || skip_all "python3 missing (make deps installs it)"
out=$("$TOP/tools/sizes" "$TOP/src" "$TOP/include" 2>&1); rc=$?
equals "tools/sizes: no file over 600 lines, no function over 80" "$rc" 0
[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/#   /'

# the measure can fail: a made-up file with a long function and too many
# lines
f=$TMPD/long.c
{
	printf 'int long_one(void)\n{\n'
	for i in $(seq 1 90); do printf '\tint v%d = %d;\n' "$i" "$i"; done
	printf '\treturn 0;\n}\n'
	for i in $(seq 1 600); do printf '/* %d */\n' "$i"; done
} >"$f"
out=$("$TOP/tools/sizes" "$f" 2>&1); rc=$?
equals "tools/sizes exits 1 on a file that is over" "$rc" 1
contains "... naming the long function" "$out" "long_one 94 lines (over 80)"
contains "... and the long file" "$out" "long.c: 694 lines (over 600)"
finish
