# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for vmscope and vmscope-collect: commands, options,
# themes (as vmscope --help lists the ones it finds), process IDs for the
# commands and options that take one, files for --root and snapshot -o.

_vmscope_pids()
{
	local p
	for p in /proc/[0-9]*; do
		[[ -r $p/maps ]] && printf '%s\n' "${p#/proc/}"
	done
}

_vmscope_themes()
{
	"${1:-vmscope}" --help 2>/dev/null |
		sed -n 's/^ *-t, --theme NAME *colour theme: //p' | tr -d ',' | tr ' ' '\n'
}

_vmscope_snapshot_args()
{
	local cur=$1 prev=$2
	case $prev in
	-o|--output) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	-p|--pid) COMPREPLY=($(compgen -W "$(_vmscope_pids)" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-p --pid -a --all -o --output -f --force -j --json -h --help' -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$(_vmscope_pids)" -- "$cur"))
	fi
}

_vmscope()
{
	local cur prev words cword i cmd=
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands='maps pages translate kernel phys ram snapshot'
	local opts='-r --root --demo --demo= -j --json -p --pid -t --theme -a --ascii -d --delay --keys -h --help -V --version'
	# "--demo=pc": bash splits at '=' (COMP_WORDBREAKS)
	if [[ $prev == = && COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD-2]}
		[[ $prev == --demo ]] && { COMPREPLY=($(compgen -W 'pc zynq-armv7' -- "$cur")); return; }
	elif [[ $cur == = ]]; then
		cur=
		[[ $prev == --demo ]] && { COMPREPLY=($(compgen -W 'pc zynq-armv7' -- "$cur")); return; }
	fi
	# the command, if one came already (past option values)
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-r|--root|-p|--pid|-t|--theme|-d|--delay) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	-r|--root) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	-p|--pid) COMPREPLY=($(compgen -W "$(_vmscope_pids)" -- "$cur")); return ;;
	-t|--theme) COMPREPLY=($(compgen -W "$(_vmscope_themes "${COMP_WORDS[0]}")" -- "$cur")); return ;;
	-d|--delay|--bootlog) [[ $prev == --bootlog ]] && COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == --demo=* ]]; then
		COMPREPLY=($(compgen -W '--demo=pc --demo=zynq-armv7' -- "$cur"))
		return
	fi
	case $cmd in
	'')
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi ;;
	snapshot) _vmscope_snapshot_args "$cur" "$prev" ;;
	maps)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--holes --json' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_vmscope_pids)" -- "$cur"))
		fi ;;
	pages|translate)
		# the PID first; an address after it
		if [[ $cmd == pages && $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--every-page --json' -- "$cur"))
		elif [[ $prev == "$cmd" || $prev == --json || $prev == -j ]]; then
			COMPREPLY=($(compgen -W "$(_vmscope_pids)" -- "$cur"))
		fi ;;
	kernel) COMPREPLY=($(compgen -W '--bootlog --bootlog-only --json' -- "$cur")) ;;
	phys) [[ $cur == -* ]] && COMPREPLY=($(compgen -W '--bootlog --no-lookup --json' -- "$cur")) ;;
	ram) COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
	esac
}

_vmscope_collect()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()
	case $prev in
	-r|--root) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
	esac
	_vmscope_snapshot_args "$cur" "$prev"
	[[ $cur == -* ]] && COMPREPLY+=($(compgen -W '-r --root -V --version' -- "$cur"))
}

complete -F _vmscope vmscope
complete -F _vmscope_collect vmscope-collect
