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

PKGS := libpcre2-8 libutf8proc
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

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRC))
LIB := $(BUILD)/libgaztag.a
TEST_SRC := $(wildcard tests/check_*.c)
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))

ifeq ($(BUILD),build)
PROG := gaztag
all: gaztag libgaztag.a
libgaztag.a: $(LIB)
	cp $(LIB) $@
else
PROG := $(BUILD)/gaztag
all: $(PROG)
endif

$(PROG): $(BUILD)/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/main.o $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/main.o: src/main.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -DGZ_DATADIR='"$(DATADIR)"' -c -o $@ $<

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/tests/%: tests/%.c $(LIB) | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)

# Unit suites, then the CLI golden cases against the binary of this build.
check: $(PROG) $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; CK_VERBOSITY=normal GAZTAG_DATA=$(CURDIR)/dictionaries $$t; done
	$(PYTHON) tests/cli/run.py --gaztag $(PROG)

# The CLI cases under valgrind (QUICK=1: a representative subset).
check-valgrind: $(PROG)
	$(PYTHON) tests/cli/run.py --gaztag $(PROG) --valgrind $(if $(QUICK),--quick)

# Regenerate the bundled dictionaries from ../shared/data/gazetteers.
dictionaries:
	$(PYTHON) dictionaries/tools/build.py

clean:
	rm -rf build gaztag libgaztag.a

.PHONY: all check check-valgrind clean dictionaries

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
