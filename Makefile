# SPDX-License-Identifier: GPL-3.0-or-later
# vmscope build.  `make deps` installs what the build and tests need,
# `make` builds, `make check` runs every test, `make bench` the benchmarks.

VERSION     := 0.1.0
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DATADIR     ?= $(PREFIX)/share/vmscope
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions

CROSS_COMPILE ?=
CC          ?= cc
ifneq ($(CROSS_COMPILE),)
# Cross builds (CROSS_COMPILE=arm-linux-gnueabihf-): the target's gcc and
# binutils, its multiarch -dev packages' .pc files, a build directory of
# its own.  See README.md, "Cross builds".
TRIPLET     := $(CROSS_COMPILE:%-=%)
CC          := $(CROSS_COMPILE)gcc
AR          := $(CROSS_COMPILE)ar
BUILD       ?= build/$(TRIPLET)
# SYSROOT=DIR: the target's -dev packages unpacked there (dpkg -x) instead
# of installed with multiarch, for when the mirror's versions do not match
# the host's.  See README.md, "Cross builds".
SYSROOT     ?=
ifneq ($(SYSROOT),)
PKG_CONFIG  ?= env PKG_CONFIG_SYSROOT_DIR=$(SYSROOT) PKG_CONFIG_LIBDIR=$(SYSROOT)/usr/lib/$(TRIPLET)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig pkg-config
SYSROOT_CFLAGS  := -isystem $(SYSROOT)/usr/include
# --allow-shlib-undefined: libproc2.so's own dependencies (libsystemd and
# what it needs) live on the target, not in the sysroot.
SYSROOT_LDFLAGS := $(foreach d,$(SYSROOT)/usr/lib/$(TRIPLET) $(SYSROOT)/lib/$(TRIPLET),-L$(d) -Wl,-rpath-link,$(d)) \
                   -Wl,--allow-shlib-undefined
endif
PKG_CONFIG  ?= PKG_CONFIG_LIBDIR=/usr/lib/$(TRIPLET)/pkgconfig:/usr/share/pkgconfig pkg-config
endif
PKG_CONFIG  ?= pkg-config

CFLAGS      ?= -O2 -g
LDFLAGS     ?=
WARN        := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
               -Wno-format-truncation -Wno-unknown-warning-option
BASEFLAGS   := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
               -DVMSCOPE_VERSION='"$(VERSION)"' \
               -DVMSCOPE_DATADIR='"$(DATADIR)"' -Iinclude -Isrc

SANITIZE    ?=
ifeq ($(SANITIZE),1)
BUILD       ?= build-san
SANFLAGS    := -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined
else ifeq ($(SANITIZE),fuzz)
# libFuzzer harnesses (clang): the code they call instrumented for
# coverage, with ASan+UBSan.  `make fuzz` sets this.
BUILD       ?= build-fuzz
SANFLAGS    := -fsanitize=fuzzer-no-link,address,undefined \
               -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD       ?= build
SANFLAGS    :=
endif

# A section per function and object: the collector links with
# --gc-sections and keeps only what capture calls (about 4 KB less on
# 32-bit ARM than whole objects).
SECTIONS    := -ffunction-sections -fdata-sections
ALL_CFLAGS  = $(BASEFLAGS) $(WARN) $(CFLAGS) $(SECTIONS) $(SANFLAGS) $(SYSROOT_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) $(SYSROOT_LDFLAGS)

PROC2_LIBS  := $(shell $(PKG_CONFIG) --libs libproc2 2>/dev/null)
UI_CFLAGS   := $(shell $(PKG_CONFIG) --cflags ncursesw readline 2>/dev/null)
UI_LIBS     := $(shell $(PKG_CONFIG) --libs ncursesw readline 2>/dev/null)
ifeq ($(UI_LIBS),)
UI_LIBS     := -lncursesw -ltinfo -lreadline
endif
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

CORE_SRC    := $(sort $(wildcard src/core/*.c))
CLI_SRC     := $(sort $(wildcard src/cli/*.c))
UI_SRC      := $(sort $(wildcard src/ui/*.c))
CORE_OBJ    := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ     := $(CLI_SRC:%.c=$(BUILD)/%.o)
UI_OBJ      := $(UI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ    := $(BUILD)/src/main.o
CORE_LIB    := $(BUILD)/libvmscope-core.a

UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRC  := $(sort $(wildcard tests/helpers/*.c))
HELPER_BIN  := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/%)
BENCH_SRC   := $(sort $(wildcard bench/*.c))
BENCH_BIN   := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

VMSCOPE     := $(BUILD)/vmscope

# vmscope-collect: the snapshot command alone, for boards: C and libc.
# Its core is the whole core but the one file that needs libproc2; it
# links from an archive of those, so it holds only what capture uses.
COLLECT_CORE := $(filter-out src/core/procs_proc2.c,$(CORE_SRC))
COLLECT_LIB := $(BUILD)/libvmscope-collect.a
COLLECT_OBJ := $(BUILD)/src/cli/snapshot.o $(BUILD)/src/collector/collect.o
COLLECT     := $(BUILD)/vmscope-collect

.PHONY: all deps check fresh-check unit bench install uninstall clean test-bin \
        collector unit-cross fuzz fuzz-bin valgrind bench-deps
all: $(VMSCOPE)

$(BUILD)/src/ui/%.o: src/ui/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UI_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/src/main.o: src/main.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UI_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(VMSCOPE): $(MAIN_OBJ) $(CLI_OBJ) $(UI_OBJ) $(CORE_LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(UI_LIBS) $(PROC2_LIBS)

# -MMD: a test that includes a source file (ui/still.c) is rebuilt when
# that file changes
$(BUILD)/tests/test_%: tests/unit/test_%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -Wno-unused-parameter -o $@ $< $(CORE_LIB) \
		$(ALL_LDFLAGS) $(CMOCKA_LIBS) $(PROC2_LIBS)

# Test helpers are the processes tests inspect: plain C, no vmscope code,
# and never sanitized (ASan has no brk heap and makes mlock a no-op, so a
# sanitized helper would not have the memory the tests expect).
$(BUILD)/tests/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(WARN) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BUILD)/bench/%: bench/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CORE_LIB) $(ALL_LDFLAGS) $(PROC2_LIBS)

test-bin: $(VMSCOPE) $(UNIT_BIN) $(HELPER_BIN) $(COLLECT)

# Static where the toolchain has a static libc (never with sanitizers),
# stripped, unused sections dropped: `make collector` prints its size.
COLLECT_STATIC = $(if $(SANFLAGS),,$(shell printf 'int main(void){return 0;}' | \
                 $(CC) -static -x c - -o /dev/null 2>/dev/null && echo -static))
collector: $(COLLECT)
	@echo "$(COLLECT): $$(wc -c <$(COLLECT)) bytes, $$(file -b $(COLLECT) 2>/dev/null | cut -d, -f1-2)"

$(COLLECT_LIB): $(COLLECT_CORE:%.c=$(BUILD)/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

# COLLECT_STRIP= keeps the symbols (a distribution strips them itself)
COLLECT_STRIP ?= $(if $(SANFLAGS),,-s)
$(COLLECT): $(COLLECT_OBJ) $(COLLECT_LIB)
	$(CC) $(ALL_LDFLAGS) $(COLLECT_STATIC) $(COLLECT_STRIP) \
		-Wl,--gc-sections -o $@ $^

# The core's parsers and PFN arithmetic on the target's ABI (32-bit
# off_t traps, PFN * 8 past 2 and 4 GiB) and byte order (a little- and
# a big-endian fixture): plain asserts, static, run under qemu-user when
# cross-compiling.  qemu names the CPU as the triplet does (arm, aarch64,
# riscv64, mips, mipsel), but for powerpc (ppc, ppc64, ppc64le) and x86
# (i386); QEMU_USER=... overrides.
CROSS_TEST  := $(BUILD)/tests/cross_core
TARGET_CPU  := $(firstword $(subst -, ,$(TRIPLET)))
QEMU_CPU    := $(patsubst i%86,i386,$(patsubst powerpc%,ppc%,$(TARGET_CPU)))
QEMU_USER   ?= $(if $(CROSS_COMPILE),qemu-$(QEMU_CPU)-static)
$(CROSS_TEST): tests/unit-cross/cross_core.c $(COLLECT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(COLLECT_STATIC)
unit-cross: $(CROSS_TEST)
	$(QEMU_USER) $(CROSS_TEST) tests/fixtures/zynq-armv7 tests/fixtures/mips-be-ath79

# Every test: unit (cmocka), integration (live /proc and fixture roots),
# screen (tmux).  tests/run prints one "N passed, N failed" line.
check: test-bin
	BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run

# The README's two commands on a bare Debian 12 made with debootstrap
# (cached in $(BUILD)/fresh): tests/fresh/run.  Needs root.
fresh-check:
	BUILD=$(BUILD) tests/fresh/run

unit: $(UNIT_BIN)
	BUILD=$(BUILD) tests/run unit

bench: $(VMSCOPE) $(BENCH_BIN) $(HELPER_BIN) $(COLLECT)
	BUILD=$(BUILD) bench/run

# Fuzzing: one libFuzzer harness per parser (fuzz/fuzz_*.c), built with
# clang, ASan and UBSan in build-fuzz/; fuzz/run seeds each from the
# fixtures and runs it FUZZ_SECONDS, printing execs and coverage, and
# fails on any crash, leak, timeout or sanitizer report.
FUZZ_SECONDS ?= 60
FUZZ_SRC    := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN    := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_UI_BIN := $(BUILD)/fuzz/fuzz_theme $(BUILD)/fuzz/fuzz_prompt
$(BUILD)/fuzz/%: fuzz/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CORE_LIB) $(ALL_LDFLAGS) \
		-fsanitize=fuzzer $(PROC2_LIBS)
$(FUZZ_UI_BIN): $(BUILD)/fuzz/%: fuzz/%.c $(UI_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(UI_CFLAGS) -o $@ $< $(UI_OBJ) $(CORE_LIB) \
		$(ALL_LDFLAGS) -fsanitize=fuzzer $(UI_LIBS) $(PROC2_LIBS)
fuzz-bin: $(FUZZ_BIN) $(BUILD)/tests/fixture_write
fuzz:
	$(MAKE) SANITIZE=fuzz CC=clang fuzz-bin
	BUILD=build-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

# The batch commands under valgrind memcheck (a plain build: valgrind
# and ASan do not mix): no error, no definite leak.
valgrind: test-bin
	BUILD=$(BUILD) tests/valgrind.sh

# The collectors' cross compilers (README.md, "Collectors for boards"):
# armel, armhf, arm64, riscv64, mips, mipsel, powerpc.
CROSS_PKGS := gcc-arm-linux-gnueabi gcc-arm-linux-gnueabihf \
            gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu gcc-mips-linux-gnu \
            gcc-mipsel-linux-gnu gcc-powerpc-linux-gnu \
            libc6-dev-armel-cross libc6-dev-armhf-cross libc6-dev-arm64-cross \
            libc6-dev-riscv64-cross libc6-dev-mips-cross \
            libc6-dev-mipsel-cross libc6-dev-powerpc-cross
# Packages a fresh Debian machine needs to build and test vmscope.
DEB_PKGS := gcc make pkg-config libncurses-dev libproc2-dev libreadline-dev \
            libcmocka-dev tmux jq util-linux strace procps python3 \
            debootstrap git openssh-server openssh-client \
            clang libclang-rt-14-dev valgrind \
            qemu-user-static build-essential dpkg-dev debhelper lintian zsh \
            $(CROSS_PKGS)
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
			|| missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "deps: missing$$missing; run as root:"; \
		echo "  apt-get update && apt-get install -y$$missing"; exit 1; \
	fi

# The benchmarks' peers (bench/peers.sh): pagemon, and the kernel source
# whose tools/vm/page-types.c bench/peers.sh builds into $(BUILD)/peers.
BENCH_PKGS := pagemon linux-source-6.1 xz-utils tmux procps
bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(BENCH_PKGS)"

install: $(VMSCOPE) $(COLLECT)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes
	install -m 755 $(VMSCOPE) $(DESTDIR)$(BINDIR)/vmscope
	install -m 755 $(COLLECT) $(DESTDIR)$(BINDIR)/vmscope-collect
	install -d $(DESTDIR)$(DATADIR)/demo
	cp -RL demo/README.md demo/*/ $(DESTDIR)$(DATADIR)/demo/
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/demo
	install -m 644 docs/vmscope.1 $(DESTDIR)$(MANDIR)/man1/vmscope.1
	install -m 644 docs/vmscope-collect.1 $(DESTDIR)$(MANDIR)/man1/vmscope-collect.1
	for t in themes/*.theme; do [ -e "$$t" ] && install -m 644 $$t $(DESTDIR)$(DATADIR)/themes/; done; true
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 completions/vmscope.bash $(DESTDIR)$(BASHCOMPDIR)/vmscope
	ln -sf vmscope $(DESTDIR)$(BASHCOMPDIR)/vmscope-collect
	install -m 644 completions/_vmscope $(DESTDIR)$(ZSHCOMPDIR)/_vmscope

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vmscope $(DESTDIR)$(BINDIR)/vmscope-collect \
		$(DESTDIR)$(MANDIR)/man1/vmscope.1 $(DESTDIR)$(MANDIR)/man1/vmscope-collect.1 \
		$(DESTDIR)$(BASHCOMPDIR)/vmscope $(DESTDIR)$(BASHCOMPDIR)/vmscope-collect \
		$(DESTDIR)$(ZSHCOMPDIR)/_vmscope
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-fuzz

# (not below build/fresh: a whole Debian there, with directories like rc2.d)
-include $(shell find $(BUILD) -path $(BUILD)/fresh -prune -o -type f -name '*.d' -print 2>/dev/null)
