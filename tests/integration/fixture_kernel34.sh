#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A Linux 3.4 board (sun7i-3.4 fixture): before 4.2 pagemap's bits 55-60
# held the page shift, 12, so every entry has bits 57 and 58 set.  They
# are the page shift, never uffd-wp or guard; a swapped page is swapped in
# pages and in translate alike; bits 3.4 did not have are null in JSON;
# kpageflags bit 34 is MAPPEDTODISK there (OWNER_2 only from 6.12).
. "$(dirname "$0")/../lib.sh"

ROOT=$("$TOP/tests/fixtures/build" sun7i-3.4 "$TMPD/sun7i")
vm() { "$VMSCOPE" --root "$ROOT" "$@"; }

out=$(vm pages 812 11000-16000); rc=$?
equals "pages exits 0" "$rc" 0
not_contains "no uffd-wp claimed on 3.4" "$out" "uffd-wp"
not_contains "no guard claimed on 3.4" "$out" "guard"
not_contains "no exclusive claimed on 3.4" "$out" "excl"
matches "present anon page, flags of kpageflags only" "$out" '^00012000 anon +0x5f3a2 +0x5f3a2000 +1 - UPTODATE,DIRTY,LRU,MMAP,ANON,SWAPBACKED$'
matches "swapped page is swapped in pages" "$out" '^00013000 swapped +swap:0/0x42 +- +- - -$'
matches "untouched page: a not-present run of one page, no flags" "$out" '^00015000-00016000 not-present: 1 page not in memory or swap$'
out=$(vm pages 812 15000 --every-page)
matches "--every-page: the untouched page's own row, no flags" "$out" '^00015000 not-present +- +- +- - -$'

out=$(vm translate 812 0x13000); rc=$?
equals "swapped page: translate exits 4 (swapped)" "$rc" 4
contains "translate gives swap type and offset" "$out" "swap type 0 at offset 0x42"
out=$(vm translate 812 0x15000); rc=$?
equals "untouched heap page: translate exits 3" "$rc" 3

out=$(vm --json pages 812 12000-14000)
contains "JSON: swapped page state" "$out" '"vaddr":"0x13000","state":"swapped"'
not_contains "JSON: uffd_wp never true" "$out" '"uffd_wp":true'
not_contains "JSON: guard never true" "$out" '"guard":true'
contains "JSON: bits 3.4 lacked are null" "$out" '"soft_dirty":null,"exclusive":null,"uffd_wp":null,"guard":null,"file_shared":null'
contains "JSON: the page shift is decoded" "$out" '"page_shift":12'
# 3.4 had no /proc/kpagecgroup (4.3 added it): unknown, not cgroup 0
contains "JSON: no kpagecgroup: the cgroup is null, not inode 0" "$out" '"map_count":1,"cgroup_inode":null,"cgroup":null'
out=$(vm --json translate 812 0x13000)
contains "JSON translate: swapped" "$out" '"result":"swapped"'
contains "JSON translate: page state swapped too" "$out" '"state":"swapped"'

out=$(vm pages 812 8000-a000)
matches "file page: 3.4's name for bit 34" "$out" '^00008000 file +0x6c000 .*,MMAP,MAPPEDTODISK$'
not_contains "no OWNER_2 on 3.4" "$out" "OWNER_2"
out=$(vm translate 812 0xb6e3a010); rc=$?
equals "libc text page translates" "$rc" 0
contains "libc page: file, map count 14" "$out" "page:    file, PFN 0x6c100, map count 14"
contains "libc page flags as 3.4 named them" "$out" "flags:   REFERENCED,UPTODATE,LRU,ACTIVE,MMAP,MAPPEDTODISK"

finish
