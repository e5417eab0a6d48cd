# SPDX-License-Identifier: MIT
# gaztag - GNU Make, no configure step.
#   make                      build ./gaztag and libgaztag.a
#   make check                unit suites and CLI golden tests
#   make check SANITIZE=address,undefined   the same under sanitizers
#   make install PREFIX=/usr DESTDIR=/tmp/stage

CC ?= cc
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share/gaztag
MANDIR ?= $(PREFIX)/share/man
PYTHON ?= /usr/bin/python3
CFLAGS ?= -O2 -g
SANITIZE ?=

PKGS := libpcre2-8 libutf8proc jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcre2-8 -lutf8proc)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

comma := ,
ifeq ($(SANITIZE),)
BUILD ?= build
SAN_FLAGS :=
else
BUILD ?= build/san-$(subst $(comma),-,$(SANITIZE))
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

GZ_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-Isrc $(PKG_CFLAGS) -MMD -MP -pthread $(SAN_FLAGS)
ALL_CFLAGS = $(GZ_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pthread $(SAN_FLAGS) $(LDFLAGS)

LIB_SRC := $(filter-out src/main.c src/cmd_%.c,$(wildcard src/*.c)) $(wildcard src/format/*.c)
# The commands' wiring (src/cmd_*.c) is linked into the binary only.
CMD_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(wildcard src/cmd_*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRC))
LIB := $(BUILD)/libgaztag.a
TEST_SRC := $(wildcard tests/check_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz/replay_%,$(FUZZ_NAMES))

ifeq ($(BUILD),build)
PROG := gaztag
all: gaztag libgaztag.a
libgaztag.a: $(LIB)
	cp $(LIB) $@
else
PROG := $(BUILD)/gaztag
all: $(PROG)
endif

$(PROG): $(BUILD)/main.o $(CMD_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/main.o $(CMD_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/cmd_engine.o: src/cmd_engine.c $(BUILD)/datadir | $(BUILD)
	$(CC) $(ALL_CFLAGS) -DGZ_DATADIR='"$(DATADIR)"' -c -o $@ $<

# cmd_engine.o embeds DATADIR: this file changes (and cmd_engine.o is rebuilt) when it does.
$(BUILD)/datadir: FORCE | $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@

$(BUILD)/%.o: src/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/tests/%: tests/%.c $(LIB) | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)

# Unit suites, the fuzz seed replays, the CLI golden cases against the
# binary of this build, then the hang guard over adversarial inputs.
check: $(PROG) $(TEST_BIN) $(REPLAY_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; CK_VERBOSITY=normal GAZTAG_DATA=$(CURDIR)/dictionaries $$t; done
	@set -e; for t in $(FUZZ_NAMES); do $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t; done
	$(PYTHON) tests/cli/run.py --gaztag $(PROG)
	$(PYTHON) tests/cli/signals.py --gaztag $(PROG)
	$(PYTHON) tests/stress/run.py --gaztag $(PROG)

# The CLI cases under valgrind (QUICK=1: a representative subset).
check-valgrind: $(PROG)
	$(PYTHON) tests/cli/run.py --gaztag $(PROG) --valgrind $(if $(QUICK),--quick)

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang against the
# library sources into build/fuzz; tests/fuzz/run.sh SECONDS runs them all.
# `make check` replays their seed corpora (and every input that once
# crashed) through replay.c with this build's compiler and sanitizers.
FUZZ_CC ?= clang
FUZZ_BUILD := build/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_LIB_OBJ := $(patsubst src/%.c,$(FUZZ_BUILD)/lib/%.o,$(LIB_SRC))

fuzz: $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))

$(FUZZ_BUILD)/lib/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(GZ_CFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/common.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(GZ_CFLAGS) -Itests/fuzz -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer -o $@ \
	  $(filter %.c %.o,$^) -pthread $(PKG_LIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/common.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -o $@ $(filter %.c,$^) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

# gaztag side by side with grep, ripgrep and pyahocorasick on workloads built
# from ../shared/data; rewrites tests/bench/RESULTS.md.  BENCH_QUICK=1: a
# short run written to tests/bench/work/RESULTS-quick.md instead.
bench: $(PROG)
	$(PYTHON) tests/bench/bench.py --gaztag $(PROG)

# Regenerate the bundled dictionaries from ../shared/data/gazetteers.
dictionaries:
	$(PYTHON) dictionaries/tools/build.py

# ---- installation ----
# Everything `install` writes, and nothing else, is removed by `uninstall`.
# The bundled data directory belongs to gaztag: the binary loads every *.tsv
# in it, so `install` first removes the files a previous install listed in
# $(DATADIR)/MANIFEST (an upgrade never keeps a dictionary that was dropped).
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install
VERSION := $(shell sed -n 's/^.define GAZTAG_VERSION "\(.*\)"/\1/p' src/gaztag.h)
DATA_TOP := $(wildcard dictionaries/*.tsv dictionaries/*.txt)
DATA_FILES := $(notdir $(DATA_TOP)) \
	$(addprefix rules/,$(notdir $(wildcard dictionaries/rules/*.tsv)))

# Remove the data files named in an existing MANIFEST (plain relative names only).
define remove_manifest
	@if [ -f '$(DESTDIR)$(DATADIR)/MANIFEST' ]; then \
	  while IFS= read -r f; do \
	    case "$$f" in ''|/*|*..*|*/*/*) continue ;; esac; \
	    rm -f "$(DESTDIR)$(DATADIR)/$$f"; \
	  done < '$(DESTDIR)$(DATADIR)/MANIFEST'; \
	  rm -f '$(DESTDIR)$(DATADIR)/MANIFEST'; \
	fi
endef

install: $(PROG) $(LIB)
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(LIBDIR)' '$(DESTDIR)$(PKGCONFIGDIR)' \
	  '$(DESTDIR)$(INCLUDEDIR)' '$(DESTDIR)$(MANDIR)/man1' '$(DESTDIR)$(BASHCOMPDIR)' '$(DESTDIR)$(DATADIR)/rules'
	$(INSTALL) -m 0755 $(PROG) '$(DESTDIR)$(BINDIR)/gaztag'
	$(INSTALL) -m 0644 $(LIB) '$(DESTDIR)$(LIBDIR)/libgaztag.a'
	$(INSTALL) -m 0644 src/gaztag.h '$(DESTDIR)$(INCLUDEDIR)/gaztag.h'
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	  -e 's|@REQUIRES@|$(PKGS)|' gaztag.pc.in > '$(DESTDIR)$(PKGCONFIGDIR)/gaztag.pc'
	sed 's|/usr/local/share/gaztag|$(DATADIR)|g' doc/gaztag.1 > '$(DESTDIR)$(MANDIR)/man1/gaztag.1'
	$(INSTALL) -m 0644 doc/gaztag.bash-completion '$(DESTDIR)$(BASHCOMPDIR)/gaztag'
	$(remove_manifest)
	$(INSTALL) -m 0644 $(DATA_TOP) '$(DESTDIR)$(DATADIR)'
	$(INSTALL) -m 0644 $(wildcard dictionaries/rules/*.tsv) '$(DESTDIR)$(DATADIR)/rules'
	printf '%s\n' $(DATA_FILES) > '$(DESTDIR)$(DATADIR)/MANIFEST'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/gaztag' '$(DESTDIR)$(LIBDIR)/libgaztag.a' '$(DESTDIR)$(INCLUDEDIR)/gaztag.h' \
	  '$(DESTDIR)$(PKGCONFIGDIR)/gaztag.pc' '$(DESTDIR)$(MANDIR)/man1/gaztag.1' '$(DESTDIR)$(BASHCOMPDIR)/gaztag'
	$(remove_manifest)
	rm -f $(foreach f,$(DATA_FILES),'$(DESTDIR)$(DATADIR)/$(f)')
	rmdir '$(DESTDIR)$(DATADIR)/rules' '$(DESTDIR)$(DATADIR)' 2>/dev/null || true

clean:
	rm -rf build gaztag libgaztag.a

.PHONY: all bench check check-valgrind clean dictionaries fuzz install uninstall FORCE

-include $(wildcard $(BUILD)/*.d $(BUILD)/format/*.d $(BUILD)/tests/*.d $(BUILD)/fuzz/*.d $(FUZZ_BUILD)/*.d $(FUZZ_BUILD)/lib/*.d $(FUZZ_BUILD)/lib/format/*.d)
