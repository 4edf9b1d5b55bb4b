#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Shell completion (completions/): bash completes commands, options, the
# themes vmscope finds, process IDs where one is taken and files for
# --root and snapshot -o; zsh's function parses and offers the same
# themes and PIDs.
. "$(dirname "$0")/../lib.sh"
BASHC=$TOP/completions/vmscope.bash
ZSHC=$TOP/completions/_vmscope
check "the bash completion is there" test -f "$BASHC"
check "the zsh completion is there" test -f "$ZSHC"
start_helper "$HELPERS/vmhelper" || { fail "helper starts"; finish; exit 1; }
pid=$HELPER_PID
mkdir "$TMPD/snapdir"

# comp WORD...: what bash offers for the last word, one line
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		if [[ $1 == *collect ]]; then _vmscope_collect; else _vmscope; fi
		printf "%s\n" "${COMPREPLY[@]}"' _ "$BASHC" "$@" | sort | paste -sd' '
}
equals "bash: commands" "$(comp "$VMSCOPE" "")" "kernel maps pages phys ram snapshot translate"
equals "bash: a command's start" "$(comp "$VMSCOPE" tr)" "translate"
contains "bash: options" "$(comp "$VMSCOPE" --)" "--theme --version"
themes=$("$VMSCOPE" --help | sed -n 's/^ *-t, --theme NAME *colour theme: //p' | tr -d ',')
equals "bash: --theme offers the themes --help lists" "$(comp "$VMSCOPE" --theme "")" "$themes"
contains "... with high-contrast among them" "$themes" "high-contrast"
contains "bash: maps offers PIDs" " $(comp "$VMSCOPE" maps "") " " $pid "
contains "bash: -p offers PIDs" " $(comp "$VMSCOPE" -p "$pid") " " $pid "
contains "bash: translate offers PIDs after --json" " $(comp "$VMSCOPE" --json translate "") " " $pid "
equals "bash: no PID for the address of pages" "$(comp "$VMSCOPE" pages "$pid" "")" ""
equals "bash: --root completes files" "$(comp "$VMSCOPE" --root "$TMPD/snapd")" "$TMPD/snapdir"
equals "bash: snapshot -o completes files" "$(comp "$VMSCOPE" snapshot -p 1 -o "$TMPD/snapd")" "$TMPD/snapdir"
contains "bash: snapshot's options" "$(comp "$VMSCOPE" snapshot --)" "--all --force"
equals "bash: --demo=NAME (bash splits at =)" "$(comp "$VMSCOPE" --demo = "")" "pc zynq-armv7"
contains "bash: vmscope-collect's options" "$(comp vmscope-collect --)" "--output"

if command -v zsh >/dev/null; then
	check "zsh: the function parses" zsh -n "$ZSHC"
	# its helpers, with _describe standing in for the completion system
	zcomp() {
		zsh -fc 'autoload -Uz +X _vmscope 2>/dev/null; source "$1" 2>/dev/null
			_describe() { print -l ${(P)${@[-1]}}; }; words=("$2"); '"$1" _ "$ZSHC" "$VMSCOPE" | sort | paste -sd' '
	}
	equals "zsh: the themes --help lists" "$(zcomp _vmscope_themes)" "$themes"
	contains "zsh: PIDs with their names" "$(zcomp _vmscope_pids)" "$pid:vmhelper"
else
	echo "# skip: zsh is not installed"
fi
finish
