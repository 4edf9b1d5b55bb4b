#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The page table and the page detail on a Linux 3.4 board (sun7i-3.4
# fixture): the swapped heap page is swapped in the table and the detail;
# the detail decodes bits 55-60 as the page shift and says "n/a on 3.4"
# for the bits that kernel did not have, never [x] uffd-wp or guard; the
# kpageflags list names bit 34 MAPPEDTODISK as 3.4 did.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

ROOT=$("$TOP/tests/fixtures/build" sun7i-3.4 "$TMPD/sun7i") || { fail "fixture builds"; finish; exit 1; }

tm_start 80 24 -- "$VMSCOPE" --root "$ROOT" -p 812
see "-p opens the VMAs of the 3.4 board's process" "PID 812 sensord"
tm_cmd "goto 12000"
see ":goto opens the heap's page table" "| table |"
matches "present heap page: anon with its PFN" "$(tm_line '00012000 ')" '^00012000 anon +5f3a2 +5f3a2000 '
matches "swapped heap page: swapped in the table" "$(tm_line '00013000 ')" '^00013000 swapped +swap '
matches "untouched heap page: not present" "$(tm_line '00015000 ')" '^00015000 not-present '

tm_keys Down
see "cursor on the swapped page" "Swapped out"
tm_keys Enter
see "Enter opens the page detail" "| page 13000"
see "detail: state swapped" "State      swapped"
see "detail: bits 55-60 are the page shift" "55-60 page shift 12 (pages of 4K)"
see "detail: guard is n/a on 3.4" "58 guard: n/a on 3.4"
see "detail: uffd-wp is n/a on 3.4" "57 uffd-wp: n/a on 3.4"
see "detail: the file bit came in 3.5" "61 file-shared: n/a on 3.4"
not_see "detail: guard never claimed" "[x] 58"
not_see "detail: uffd-wp never claimed" "[x] 57"
see "detail: swap type and offset" "swap type 0, 5-54 swap offset 0x42"
tm_esc

tm_cmd "goto 8000"
see "the executable's text page" "00008000 file"
tm_keys Enter
see "detail of the file page" "| page 8000"
tm_keys End
see "kpageflags bit 34 as 3.4 named it" "34 MAPPEDTODISK"
not_see "no OWNER_2 on 3.4" "OWNER_2"

tm_esc
tm_cmd "goto 8000"
see "back on the text page" "00008000 file"
tm_keys m
see "m: the page map" "| map "
matches "map: 3.4 has no file bit, so present pages are of unknown kind, not anon" "$(tm_line '00008000 ')" '^00008000 pp$'
see "status: the kind is unknown" "kind unknown"

tm_quit
finish
