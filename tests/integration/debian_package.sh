#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package (debian/): `dpkg-buildpackage -us -uc -b` builds it
# from a copy of the tree (never in the source tree: dpkg-buildpackage
# writes next to the tree it builds), lintian -I reports no error and no
# warning, and the package unpacked into a clean root (dpkg -x: this
# machine is not changed) holds vmscope, vmscope-collect, the man pages,
# themes, demos and completions, from which `vmscope --demo` answers the
# batch commands.  About 40 s here (the build is most of it).
. "$(dirname "$0")/../lib.sh"
for t in dpkg-buildpackage dh lintian git; do
	command -v "$t" >/dev/null || skip_all "$t missing (make deps installs it)"
done
git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 || skip_all "not a git tree"
VERSION=$(sed -n '1s/^vmscope (\([^)]*\)).*/\1/p' "$TOP/debian/changelog")
ARCH=$(dpkg --print-architecture)
SRC=$TMPD/src/vmscope-$VERSION

status_before=$(git -C "$TOP" status --porcelain --ignored)
touch "$TMPD/started"
# the tree as it is (tracked and new files, not what .gitignore leaves out)
mkdir -p "$SRC"
(cd "$TOP" && git ls-files -z -c -o --exclude-standard | xargs -0 -r tar -cf - --no-recursion -- 2>/dev/null) |
	tar -C "$SRC" -xf -
check "the tree is copied" test -f "$SRC/debian/rules"
# as from a shell of its own: not with the tests' BUILD (the source
# tree's build directory), compiler or flags
(cd "$SRC" && env -u BUILD -u SANITIZE -u VMSCOPE -u CC -u CFLAGS -u LDFLAGS \
	-u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	dpkg-buildpackage -us -uc -b >"$TMPD/build.log" 2>&1); rc=$?
equals "dpkg-buildpackage -us -uc -b exits 0" "$rc" 0
[ "$rc" = 0 ] || tail -30 "$TMPD/build.log" | sed 's/^/#   /'
DEB=$TMPD/src/vmscope_${VERSION}_$ARCH.deb
CHANGES=$TMPD/src/vmscope_${VERSION}_$ARCH.changes
check "it made $(basename "$DEB")" test -f "$DEB"
check "nothing was written next to the source tree" test -z "$(cd "$TOP/.." && ls -d vmscope_* vmscope-dbgsym_* 2>/dev/null)"
equals "nothing was added to the source tree" "$(git -C "$TOP" status --porcelain --ignored)" "$status_before"
# (nor in its build directories: tests/run's logs aside)
written=$(find "$TOP" -path "$TOP/.git" -prune -o -path '*/test-logs' -prune -o \
	-newer "$TMPD/started" -type f -print 2>/dev/null | head -5)
equals "nothing in the source tree was written during the build" "$written" ""

lint=$(lintian -I "$CHANGES" 2>&1 | grep -v '^running with root privileges')
bad=$(grep -E '^[EW]: ' <<<"$lint")
# lintian says nothing of what it could not read: the .changes must exist
check "lintian -I: no error and no warning" test -r "$CHANGES" -a -z "$bad"
echo "# lintian -I says:"; sed 's/^/#   /' <<<"$lint"

# the package's files, in a root of their own
ROOT=$TMPD/root
dpkg -x "$DEB" "$ROOT"
list=$(cd "$ROOT" && find . \( -type f -o -type l \) | sed 's#^\./#/#' | sort)
for f in /usr/bin/vmscope /usr/bin/vmscope-collect \
	 /usr/share/man/man1/vmscope.1.gz /usr/share/man/man1/vmscope-collect.1.gz \
	 /usr/share/vmscope/themes/high-contrast.theme /usr/share/vmscope/themes/light.theme \
	 /usr/share/vmscope/demo/pc/entries /usr/share/vmscope/demo/pc/subject.txt \
	 /usr/share/vmscope/demo/zynq-armv7/entries \
	 /usr/share/bash-completion/completions/vmscope \
	 /usr/share/bash-completion/completions/vmscope-collect \
	 /usr/share/zsh/vendor-completions/_vmscope \
	 /usr/share/doc/vmscope/copyright; do
	contains "the package holds $f" "$list" "$f"
done
equals "vmscope-collect has its own version" "$("$ROOT/usr/bin/vmscope-collect" --version)" "vmscope-collect $VERSION"
check "the man pages read" eval "man -l '$ROOT/usr/share/man/man1/vmscope-collect.1.gz' >/dev/null 2>&1"

# vmscope from the unpacked package: nothing of the source tree in reach
# (a clean environment, run from /), its data found next to it
VM=$ROOT/usr/bin/vmscope
run() { (cd / && env -i PATH=/usr/bin:/bin HOME="$TMPD/home" TMPDIR="$TMPD" "$VM" "$@"); }
mkdir -p "$TMPD/home"
sv() { sed -n "s/^$1=\(0x\)\{0,1\}//p" "$ROOT/usr/share/vmscope/demo/pc/subject.txt"; }
pid=$(sv pid) heap=$(sv heap_var)
out=$(run --demo maps "$pid" 2>&1); rc=$?
equals "installed: vmscope --demo maps exits 0" "$rc" 0
contains "installed: maps shows the heap" "$out" "[heap]"
contains "... of the demo snapshot" "$out" "snapshot demo pc"
out=$(run --demo pages "$pid" "$heap" 2>&1); rc=$?
equals "installed: vmscope --demo pages exits 0" "$rc" 0
matches "installed: pages gives the heap page with its frame" "$out" "^0*$(printf '%x' $((0x$heap & ~0xfff))) +anon +0x[0-9a-f]+"
out=$(run --demo kernel 2>&1); rc=$?
equals "installed: vmscope --demo kernel exits 0" "$rc" 0
matches "installed: kernel reads the demo's boot log" "$out" "boot log +[0-9]+ lines"
out=$(run --demo=zynq-armv7 kernel 2>&1); rc=$?
equals "installed: the board demo opens" "$rc" 0
out=$(run --help)
contains "installed: --help lists the installed themes" "$out" "colour theme: default, high-contrast, light, mono"
comp=$(bash -c '. "$1"; COMP_WORDS=("$2" --theme ""); COMP_CWORD=2; _vmscope; echo "${COMPREPLY[*]}"' _ \
	"$ROOT/usr/share/bash-completion/completions/vmscope" "$VM")
equals "installed: bash completes --theme with them" "$comp" "default high-contrast light mono"

# the check can fail: without the demos in the package, --demo cannot
# open (unless this machine has demos of its own installed)
mv "$ROOT/usr/share/vmscope/demo" "$TMPD/demo.away"
if [ -d /usr/share/vmscope/demo ] || [ -d /usr/local/share/vmscope/demo ]; then
	echo "# skip: the check without demos: this machine has its own in /usr/(local/)share/vmscope"
else
	out=$(run --demo maps "$pid" 2>&1); rc=$?
	equals "without its demos the package's vmscope --demo fails" "$rc" 1
	contains "... saying where it looked" "$out" "$ROOT/usr/bin/../share/vmscope/demo"
fi
mv "$TMPD/demo.away" "$ROOT/usr/share/vmscope/demo"
finish
