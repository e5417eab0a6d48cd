# SPDX-License-Identifier: MIT
# gaztag - GNU Make, no configure step.
#   make                      build ./gaztag, libgaztag.a and libgaztag.so
#   make python               build the Python module into python/
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
# The library's objects are position-independent, so that one set serves
# libgaztag.a, libgaztag.so and the Python module; only what gaztag.h marks
# GZ_API is exported from the shared library.
LIB_CFLAGS := -fPIC -fvisibility=hidden
ALL_CFLAGS = $(GZ_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pthread $(SAN_FLAGS) $(LDFLAGS)

LIB_SRC := $(filter-out src/main.c src/cmd_%.c,$(wildcard src/*.c)) $(wildcard src/format/*.c)
# The commands' wiring (src/cmd_*.c) is linked into the binary only.
CMD_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(wildcard src/cmd_*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRC))
LIB := $(BUILD)/libgaztag.a
# The soname's number changes only when a function or structure of gaztag.h
# changes incompatibly (see README.md, Installation).
SOVERSION := 0
SONAME := libgaztag.so.$(SOVERSION)
SHLIB := $(BUILD)/$(SONAME)
TEST_SRC := $(wildcard tests/check_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz/replay_%,$(FUZZ_NAMES))

# The bundled dictionaries compiled into an image (never committed): the
# binary maps it instead of parsing them while it is current for them.
IMAGE := dictionaries/bundled.gzi

ifeq ($(BUILD),build)
PROG := gaztag
all: gaztag libgaztag.a libgaztag.so $(IMAGE)
libgaztag.a: $(LIB)
	cp $(LIB) $@
libgaztag.so: $(SHLIB)
	ln -sf $(SHLIB) $@
else
PROG := $(BUILD)/gaztag
all: $(PROG) $(SHLIB)
endif

$(PROG): $(BUILD)/main.o $(CMD_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/main.o $(CMD_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/main.o: src/main.c $(BUILD)/datadir | $(BUILD)
	$(CC) $(ALL_CFLAGS) -DGZ_DATADIR='"$(DATADIR)"' -c -o $@ $<

# main.o embeds DATADIR: this file changes (and main.o is rebuilt) when it does.
$(BUILD)/datadir: FORCE | $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@

$(IMAGE): $(PROG) $(wildcard dictionaries/*.tsv) dictionaries/types.txt
	GAZTAG_DATA=dictionaries $(abspath $(PROG)) compile -o $@

$(BUILD)/%.o: src/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(SHLIB): $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/tests/%: tests/%.c $(LIB) | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)

# Unit suites, the fuzz seed replays, the CLI golden cases against the
# binary of this build, the hang guard over adversarial inputs, then the
# Python module's tests (tests/python, with pytest).  In a
# sanitizer build the module is instrumented too, and $(PYTHON) runs with
# GCC's sanitizer runtimes preloaded (leak detection off: the interpreter
# keeps memory to its exit); where they cannot be found (clang, other
# sanitizers) the Python tests are skipped, and the run says so.
PYMOD_DIR := $(if $(filter build,$(BUILD)),python,$(BUILD)/python)
ifneq ($(SAN_FLAGS),)
SAN_PRELOAD := $(shell $(CC) -dM -E - </dev/null 2>/dev/null | grep -q __clang__ && { echo NONE; exit; }; \
	for s in $(subst $(comma), ,$(SANITIZE)); do \
	case $$s in (address) l=libasan.so ;; (undefined) l=libubsan.so ;; (*) echo NONE; exit ;; esac; \
	p=$$($(CC) -print-file-name=$$l 2>/dev/null); \
	case $$p in (/*) [ -e "$$p" ] && printf '%s ' "$$p" || { echo NONE; exit; } ;; (*) echo NONE; exit ;; esac; done)
PY_CHECK := $(if $(findstring NONE,$(SAN_PRELOAD)),,python)
else
PY_CHECK := python
endif
check: $(PROG) $(TEST_BIN) $(REPLAY_BIN) $(IMAGE) $(PY_CHECK)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; CK_VERBOSITY=normal GAZTAG_DATA=$(CURDIR)/dictionaries $$t; done
	@set -e; for t in $(FUZZ_NAMES); do $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t; done
	$(PYTHON) tests/cli/run.py --gaztag $(PROG)
	$(PYTHON) tests/cli/signals.py --gaztag $(PROG)
	$(PYTHON) tests/stress/run.py --gaztag $(PROG)
ifeq ($(PY_CHECK),)
	@echo "python: tests/python skipped under SANITIZE=$(SANITIZE): no runtime of $(CC) for it to preload into $(PYTHON)"
else
	PYTHONPATH=$(abspath $(PYMOD_DIR)) GAZTAG=$(abspath $(PROG)) GAZTAG_DATA=$(CURDIR)/dictionaries \
	  $(if $(SAN_FLAGS),LD_PRELOAD='$(strip $(SAN_PRELOAD))' ASAN_OPTIONS="$$ASAN_OPTIONS:detect_leaks=0") \
	  $(PYTHON) -m pytest -q -p no:cacheprovider -rs tests/python
endif

# ---- the Python module ----
# Built against the headers of $(PYTHON) (Debian: python3-dev), with the
# static library linked in, into $(BUILD)/python; the default build copies it
# to python/, so that PYTHONPATH=python $(PYTHON) -c 'import gaztag' works in
# the tree.  Its data path is DATADIR, like the binary's.
PY_INCLUDE := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
PY_EXT := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
PY_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wno-missing-field-initializers -Isrc -fPIC -fvisibility=hidden -pthread
PYMOD_BUILT := $(BUILD)/python/gaztag$(PY_EXT)

python: $(if $(filter build,$(BUILD)),python/gaztag$(PY_EXT),$(PYMOD_BUILT))

$(PYMOD_BUILT): python/gaztag.c src/gaztag.h $(LIB) $(BUILD)/datadir
	@test -f '$(PY_INCLUDE)/Python.h' || { echo "gaztag: no Python.h in $(PY_INCLUDE): install python3-dev, or make install PYTHON_MODULE=no" >&2; exit 1; }
	@mkdir -p $(@D)
	$(CC) $(PY_CFLAGS) -isystem '$(PY_INCLUDE)' $(SAN_FLAGS) $(CFLAGS) -DGZ_DATADIR='"$(DATADIR)"' -shared \
	  -o $@ python/gaztag.c $(LIB) $(PKG_LIBS) -Wl,--exclude-libs,ALL $(LDFLAGS)

python/gaztag$(PY_EXT): $(PYMOD_BUILT)
	cp $< $@

# Where `make install` puts the module: the folder $(PYTHON) searches for
# PREFIX (/usr: its dist-packages, /usr/local: /usr/local/lib/pythonX.Y/
# dist-packages, another prefix: PREFIX/lib/pythonX.Y/site-packages).
PYTHONDIR ?= $(shell $(PYTHON) -c 'import sys, sysconfig; p = sys.argv[1].rstrip("/") or "/"; \
	s = {"/usr": ("deb_system", "/usr"), "/usr/local": ("posix_local", "/usr")}.get(p, ("posix_prefix", p)); \
	s = s if s[0] in sysconfig.get_scheme_names() else ("posix_prefix", p); \
	print(sysconfig.get_path("platlib", s[0], vars={"base": s[1], "platbase": s[1]}))' '$(PREFIX)')

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
# from ../shared/data, and the Python module against the command; rewrites
# tests/bench/RESULTS.md.  BENCH_QUICK=1: a short run written to
# tests/bench/work/RESULTS-quick.md instead.  bench-python: the Python
# section alone (seconds; tests/bench/work/RESULTS-python.md).
bench: $(PROG) python
	$(PYTHON) tests/bench/bench.py --gaztag $(PROG) --python-module $(PYMOD_DIR)

bench-python: $(PROG) python
	$(PYTHON) tests/bench/bench.py --gaztag $(PROG) --python-module $(PYMOD_DIR) --section python

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
DATA_FILES := $(notdir $(DATA_TOP) $(IMAGE)) \
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

# PYTHON_MODULE=no installs everything but the Python module (which needs
# python3-dev to build).
PYTHON_MODULE ?= yes
PY_INSTALL := $(filter yes,$(PYTHON_MODULE))

install: $(PROG) $(LIB) $(SHLIB) $(IMAGE) $(if $(PY_INSTALL),$(PYMOD_BUILT))
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(LIBDIR)' '$(DESTDIR)$(PKGCONFIGDIR)' \
	  '$(DESTDIR)$(INCLUDEDIR)' '$(DESTDIR)$(MANDIR)/man1' '$(DESTDIR)$(BASHCOMPDIR)' '$(DESTDIR)$(DATADIR)/rules'
	$(INSTALL) -m 0755 $(PROG) '$(DESTDIR)$(BINDIR)/gaztag'
	$(INSTALL) -m 0644 $(LIB) '$(DESTDIR)$(LIBDIR)/libgaztag.a'
	$(INSTALL) -m 0755 $(SHLIB) '$(DESTDIR)$(LIBDIR)/libgaztag.so.$(VERSION)'
	ln -sf libgaztag.so.$(VERSION) '$(DESTDIR)$(LIBDIR)/$(SONAME)'
	ln -sf $(SONAME) '$(DESTDIR)$(LIBDIR)/libgaztag.so'
	$(INSTALL) -m 0644 src/gaztag.h '$(DESTDIR)$(INCLUDEDIR)/gaztag.h'
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	  -e 's|@REQUIRES@|$(PKGS)|' gaztag.pc.in > '$(DESTDIR)$(PKGCONFIGDIR)/gaztag.pc'
	sed 's|/usr/local/share/gaztag|$(DATADIR)|g' doc/gaztag.1 > '$(DESTDIR)$(MANDIR)/man1/gaztag.1'
	$(INSTALL) -m 0644 doc/gaztag.bash-completion '$(DESTDIR)$(BASHCOMPDIR)/gaztag'
	$(remove_manifest)
	$(INSTALL) -p -m 0644 $(DATA_TOP) $(IMAGE) '$(DESTDIR)$(DATADIR)'
	$(INSTALL) -m 0644 $(wildcard dictionaries/rules/*.tsv) '$(DESTDIR)$(DATADIR)/rules'
	printf '%s\n' $(DATA_FILES) > '$(DESTDIR)$(DATADIR)/MANIFEST'
ifneq ($(PY_INSTALL),)
	$(INSTALL) -d '$(DESTDIR)$(PYTHONDIR)'
	$(INSTALL) -m 0644 $(PYMOD_BUILT) '$(DESTDIR)$(PYTHONDIR)/gaztag$(PY_EXT)'
endif

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/gaztag' '$(DESTDIR)$(LIBDIR)/libgaztag.a' '$(DESTDIR)$(INCLUDEDIR)/gaztag.h' \
	  '$(DESTDIR)$(LIBDIR)/libgaztag.so.$(VERSION)' '$(DESTDIR)$(LIBDIR)/$(SONAME)' '$(DESTDIR)$(LIBDIR)/libgaztag.so' \
	  '$(DESTDIR)$(PKGCONFIGDIR)/gaztag.pc' '$(DESTDIR)$(MANDIR)/man1/gaztag.1' '$(DESTDIR)$(BASHCOMPDIR)/gaztag' \
	  '$(DESTDIR)$(PYTHONDIR)/gaztag$(PY_EXT)'
	$(remove_manifest)
	rm -f $(foreach f,$(DATA_FILES),'$(DESTDIR)$(DATADIR)/$(f)')
	rmdir '$(DESTDIR)$(DATADIR)/rules' '$(DESTDIR)$(DATADIR)' 2>/dev/null || true

clean:
	rm -rf build gaztag libgaztag.a libgaztag.so $(IMAGE) python/gaztag*.so python/__pycache__

.PHONY: all bench bench-python check check-valgrind clean dictionaries fuzz install python uninstall FORCE

-include $(wildcard $(BUILD)/*.d $(BUILD)/format/*.d $(BUILD)/tests/*.d $(BUILD)/fuzz/*.d $(FUZZ_BUILD)/*.d $(FUZZ_BUILD)/lib/*.d $(FUZZ_BUILD)/lib/format/*.d)
