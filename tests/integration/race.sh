#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Races: vmscope reads a process whose maps change between the maps read
# and the pagemap read (racer maps), one that execs itself over and over
# under the same PID (racer exec), and processes that exit under it
# (racer fork).  Each helper runs for a bounded time; vmscope maps, pages
# and translate run on it in a loop, in text and JSON.  Every run must
# either succeed with output that agrees with itself, or exit 1 with one
# clear "vmscope: ..." line: never a crash, a sanitizer report, another
# exit status, or a hang (each run is under timeout).
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip_all "jq missing"
[ -x "$HELPERS/racer" ] || skip_all "no $HELPERS/racer (make test-bin)"

SECS=${RACE_SECONDS:-5}
PS=$(getconf PAGESIZE)
N_OK=0 N_GONE=0 N_BAD=0
BAD_LOG=$TMPD/bad

# Fails once per kind of problem, with the first example.
declare -A BAD_SEEN
bad() { # KIND DETAILS...
	N_BAD=$((N_BAD + 1))
	if [ -z "${BAD_SEEN[$1]:-}" ]; then
		BAD_SEEN[$1]=1
		fail "$1"
		printf '#   %s\n' "${@:2}" | head -20
		sed 's/^/#   stderr: /' "$TMPD/err" | head -10
		sed 's/^/#   stdout: /' "$TMPD/out" | head -10
	fi
}

# mawk has no strtonum: hex text (with or without 0x) to a number
# (user addresses stay below 2^53, exact in awk's doubles)
HEXFN='function hex(s,  i, v, c) { sub(/^0[xX]/, "", s); v = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", tolower(substr(s, i, 1)))
		if (!c) break
		v = v * 16 + c - 1 }
	return v }'

# The maps text: START END ascending, START < END, no overlap.
maps_consistent() {
	awk "$HEXFN"'
	     NR <= 2 { next }
	     /^ +!/ || /^total / { next }
	     { s = hex("0x" $1); e = hex("0x" $2)
	       if (s >= e) { print "empty VMA: " $0; exit 1 }
	       if (s < prev) { print "overlap or out of order: " $0; exit 1 }
	       prev = e }' "$1"
}
maps_json_consistent() {
	jq -e '[.vmas[] | {s: (.start | ltrimstr("0x")), e: (.end | ltrimstr("0x"))}] | length >= 0' "$1" >/dev/null &&
	jq -r '.vmas[] | "\(.start) \(.end)"' "$1" |
	awk "$HEXFN"'
	     { s = hex($1); e = hex($2)
	       if (s >= e || s < prev) { print "bad VMA order: " $0; exit 1 }
	       prev = e }'
}
# pages START END FILE: rows ascending inside [START, END), and they
# account for every page of the range exactly once (a run line, hole,
# not-present or gap, for all of its pages).
pages_consistent() {
	awk -v lo="$1" -v hi="$2" -v ps="$PS" "$HEXFN"'
	     /^#/ || /^VADDR/ || /^process / { next }
	     $1 ~ /-/ { split($1, r, "-"); a = hex("0x" r[1]); b = hex("0x" r[2])
	                 if (a < next_ || a >= hi || b > hi) { print "run out of place: " $0; exit 1 }
	                 n += (b - a) / ps; next_ = b; next }
	     { a = hex("0x" $1)
	       if (a < next_ || a < lo || a >= hi) { print "row out of place: " $0; exit 1 }
	       n++; next_ = a + ps }
	     END { if (n != (hi - lo) / ps) { print n " pages listed, the range has " (hi - lo) / ps; exit 1 } }
	     BEGIN { lo = lo + 0; hi = hi + 0; next_ = lo }' "$3"
}
pages_json_consistent() {
	jq -r '.pages[] | if .end then "\(.vaddr) \(.end)" else "\(.vaddr) -" end' "$3" |
	awk -v lo="$1" -v hi="$2" -v ps="$PS" "$HEXFN"'
	     BEGIN { lo = lo + 0; hi = hi + 0; next_ = lo }
	     { a = hex($1); b = ($2 == "-") ? a + ps : hex($2)
	       if (a < next_ || a >= hi || b > hi) { print "page out of place: " $0; exit 1 }
	       n += (b - a) / ps; next_ = b }
	     END { if (n != (hi - lo) / ps) { print n " pages listed, the range has " (hi - lo) / ps; exit 1 } }'
}

# run KIND OKSTATUSES CMD...: one vmscope run, classified
run() {
	local kind=$1 okst=$2 rc why
	shift 2
	timeout -k 5 30 "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if grep -qE 'runtime error|Sanitizer|LeakSanitizer|ERROR: ' "$TMPD/err"; then
		bad "$kind: no sanitizer report" "$*"; return 1
	fi
	case $rc in
	124|137) bad "$kind: never hangs" "$*"; return 1 ;;
	1)
		if [ "$(wc -l <"$TMPD/err")" = 1 ] &&
		   grep -qE '^vmscope: .*(does not exist|exited|no longer|changed|vanished)' "$TMPD/err"; then
			N_GONE=$((N_GONE + 1)); return 1
		fi
		bad "$kind: exit 1 says in one line that the process is gone" "$*"; return 1 ;;
	esac
	if ! grep -qw -- "$rc" <<<"$okst"; then
		bad "$kind: exit status is one the man page lists (got $rc)" "$*"; return 1
	fi
	if [ -s "$TMPD/err" ]; then
		bad "$kind: success prints nothing on stderr" "$*"; return 1
	fi
	N_OK=$((N_OK + 1))
	return 0
}

# One round of every command on PID (ADDR: an address to page/translate,
# RANGE_LO..RANGE_HI: a range to list).
round() {
	local pid=$1 lo=$2 hi=$3 why
	if run "maps" 0 "$VMSCOPE" maps "$pid"; then
		why=$(maps_consistent "$TMPD/out") || bad "maps: VMAs ordered and disjoint" "$why"
	fi
	if run "maps --json" 0 "$VMSCOPE" --json maps "$pid"; then
		why=$(maps_json_consistent "$TMPD/out") || bad "maps --json: valid, VMAs ordered" "$why"
	fi
	if run "pages" 0 "$VMSCOPE" pages "$pid" "$(printf '%x-%x' "$lo" "$hi")"; then
		why=$(pages_consistent "$lo" "$hi" "$TMPD/out") || bad "pages: every page once, in order" "$why"
	fi
	if run "pages --json" 0 "$VMSCOPE" --json pages "$pid" "$(printf '%x-%x' "$lo" "$hi")"; then
		why=$(pages_json_consistent "$lo" "$hi" "$TMPD/out") || bad "pages --json: valid, every page once" "$why"
	fi
	if run "translate --json" "0 2 3 4 5 6" "$VMSCOPE" --json translate "$pid" "$(printf '%x' "$lo")"; then
		jq -e '.result | type == "string"' "$TMPD/out" >/dev/null ||
			bad "translate --json: valid JSON with a result" "$(head -c 300 "$TMPD/out")"
	fi
}

# ---- maps and unmaps in a tight loop ----
start_helper "$HELPERS/racer" maps "$SECS" || { fail "racer maps starts"; finish; exit 1; }
pid=$HELPER_PID
arena=$(( $(helper_value arena) ))
alen=$(helper_value arena_len)
rounds=0
while kill -0 "$pid" 2>/dev/null && [ -d "/proc/$pid" ] &&
      ! grep -q '^State:.Z' "/proc/$pid/status" 2>/dev/null; do
	round "$pid" "$arena" $((arena + alen))
	rounds=$((rounds + 1))
done
check "racer maps: read $rounds times while its maps changed" [ "$rounds" -ge 1 ]

# ---- snapshots of a process whose maps change while it is captured ----
start_helper "$HELPERS/racer" maps "$SECS" || { fail "racer maps (snapshot) starts"; finish; exit 1; }
pid=$HELPER_PID
rounds=0 snap_ok=0
while kill -0 "$pid" 2>/dev/null && [ -d "/proc/$pid" ] &&
      ! grep -q '^State:.Z' "/proc/$pid/status" 2>/dev/null; do
	rm -rf "$TMPD/snap"
	timeout -k 5 30 "$VMSCOPE" snapshot -p "$pid" -o "$TMPD/snap" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if grep -qE 'runtime error|Sanitizer|ERROR: ' "$TMPD/err"; then
		bad "snapshot: no sanitizer report" "snapshot -p $pid"
	elif [ "$rc" = 1 ] && grep -q "^vmscope: nothing captured: process $pid " "$TMPD/err"; then
		N_GONE=$((N_GONE + 1))   # exited, or never held still: said so
	elif [ "$rc" != 0 ]; then
		bad "snapshot: exits 0, or 1 saying the process exited (got $rc)" "snapshot -p $pid"
	else
		N_OK=$((N_OK + 1))
		# captured (not skipped): a snapshot does not change, so its maps
		# must open, as one consistent instant
		if [ -e "$TMPD/snap/proc/$pid/smaps" ]; then
			if timeout -k 5 30 "$VMSCOPE" --root "$TMPD/snap" maps "$pid" >"$TMPD/out" 2>"$TMPD/err"; then
				why=$(maps_consistent "$TMPD/out") ||
					bad "snapshot: stored VMAs ordered and disjoint" "$why"
				snap_ok=$((snap_ok + 1))
			else
				bad "snapshot: a captured process's maps open" "$(cat "$TMPD/err")"
			fi
		fi
	fi
	rounds=$((rounds + 1))
done
check "racer maps: $rounds snapshots taken, $snap_ok opened with consistent maps" [ "$snap_ok" -ge 1 ]

# ---- the same PID execs itself again and again ----
start_helper "$HELPERS/racer" exec "$SECS" || { fail "racer exec starts"; finish; exit 1; }
pid=$HELPER_PID
rounds=0
while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.Z' "/proc/$pid/status" 2>/dev/null; do
	# the stack of whichever image is there now: it moves with each exec
	lo=$(awk "$HEXFN"'/\[stack\]/ { split($1, r, "-"); printf "%.0f\n", hex(r[1]); exit }' "/proc/$pid/maps" 2>/dev/null)
	[ -n "$lo" ] || continue
	round "$pid" "$lo" $((lo + 64 * PS))
	rounds=$((rounds + 1))
done
check "racer exec: read $rounds times across execs" [ "$rounds" -ge 1 ]

# ---- processes that exit under the reader ----
export RACER_PIDFILE=$TMPD/racer.pid
start_helper "$HELPERS/racer" fork "$SECS" || { fail "racer fork starts"; finish; exit 1; }
pid=$HELPER_PID
rounds=0
while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.Z' "/proc/$pid/status" 2>/dev/null; do
	child=$(cat "$RACER_PIDFILE" 2>/dev/null)
	[ -n "$child" ] || continue
	lo=$(awk "$HEXFN"'/\[heap\]|\[stack\]/ { split($1, r, "-"); printf "%.0f\n", hex(r[1]); exit }' "/proc/$child/maps" 2>/dev/null)
	round "$child" "${lo:-4096}" $(( ${lo:-4096} + 16 * PS ))
	rounds=$((rounds + 1))
done
check "racer fork: read $rounds short-lived processes" [ "$rounds" -ge 1 ]

echo "# $N_OK runs succeeded, $N_GONE said the process was gone, $N_BAD were wrong"
equals "no run crashed, hung, or gave output that disagrees with itself" "$N_BAD" 0
check "some runs succeeded" [ "$N_OK" -gt 0 ]
finish
