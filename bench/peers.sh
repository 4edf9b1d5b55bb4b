#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# peers: the tools the benchmarks measure vmscope against, found or built
# at bench time (`make bench-deps` installs what they need).  Sourced by
# the benchmarks:
#
#   . bench/peers.sh
#   peers_find          sets PAGEMON and PAGE_TYPES (empty when missing)
#                       and PEERS_SKIPPED (one line per peer not found
#                       or not built, saying why)
#
# page-types is the kernel's tools/vm/page-types.c (tools/mm/ from 6.3),
# built from Debian's linux-source-6.1 archive: the one file, its two
# uapi headers and, in place of its debugfs mount helper (only its
# hwpoison options use debugfs), a header of ours that says there is
# none.  Everything goes to $BUILD/peers; no kernel code is kept in the
# repository.
BUILD=${BUILD:-build}
PEERS_DIR=${PEERS_DIR:-$BUILD/peers}
PEERS_SKIPPED=
PAGEMON=
PAGE_TYPES=

peers_skip() { PEERS_SKIPPED+="  peer skipped: $1"$'\n'; }

peers_build_page_types() {
	local tarball src dir=$PEERS_DIR/page-types
	[ -x "$dir/page-types" ] && { PAGE_TYPES=$dir/page-types; return 0; }
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)
	[ -n "$tarball" ] || {
		peers_skip "page-types (no /usr/src/linux-source-*.tar.xz: make bench-deps)"
		return 1; }
	command -v "${CC:-cc}" >/dev/null || {
		peers_skip "page-types (no C compiler)"; return 1; }
	rm -rf "$dir"; mkdir -p "$dir/stub/api/fs"
	local top
	top=$(basename "$tarball" .tar.xz)
	# tools/vm before 6.3, tools/mm after: one of the two is missing
	tar -xJf "$tarball" -C "$dir" --wildcards \
		"$top/tools/*/page-types.c" \
		"$top/include/uapi/linux/kernel-page-flags.h" \
		"$top/include/uapi/linux/magic.h" 2>/dev/null
	src=$(ls "$dir/$top"/tools/*/page-types.c 2>/dev/null | head -1)
	[ -n "$src" ] || { peers_skip "page-types (not found in $tarball)"; return 1; }
	printf '%s\n' '/* written by vmscope bench/peers.sh: no debugfs */' \
		'static inline const char *debugfs__mount(void) { return 0; }' \
		>"$dir/stub/api/fs/fs.h"
	if ! "${CC:-cc}" -O2 -w -I"$dir/stub" -o "$dir/page-types" "$src" \
		>"$dir/build.log" 2>&1; then
		peers_skip "page-types (build failed: $dir/build.log)"; return 1
	fi
	PAGE_TYPES=$dir/page-types
}

peers_find() {
	PAGEMON=$(command -v pagemon || ls /usr/sbin/pagemon 2>/dev/null || true)
	[ -n "$PAGEMON" ] || peers_skip "pagemon (not installed: make bench-deps)"
	peers_build_page_types || true
}
