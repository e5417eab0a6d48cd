/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - shared helpers of the libFuzzer targets.
 *
 * The loaders take a path, so a target writes each input to one scratch file
 * per process (rewritten in place, removed at exit).  Targets build with
 * clang -fsanitize=fuzzer for fuzzing and with the project's normal compiler
 * (linked with replay.c) to replay stored inputs in `make check`.
 */
#ifndef GZ_FUZZ_H
#define GZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Path of the scratch file after writing data[0, size) into it.  slot picks
 * one of a few files so a target may hold several at once.  Aborts if the
 * file cannot be written: a broken harness must not look like a pass. */
const char *fuzz_file(int slot, const void *data, size_t size);

/* Abort with a message when an invariant of the library's output fails. */
#define FUZZ_CHECK(cond)                                                     \
    do {                                                                     \
        if (!(cond))                                                         \
            fuzz_fail(__FILE__, __LINE__, #cond);                            \
    } while (0)
void fuzz_fail(const char *file, int line, const char *what);

/* A frozen engine over a small fixed dictionary and rule set that exercise
 * aliases, case policies, diacritic folding, plurals, possessives, CJK names,
 * attributes, id templates and a rule that backtracks badly; fold != 0 also
 * folds diacritics for every entry.  Built on first use, freed at exit. */
struct gz_engine;
const struct gz_engine *fuzz_engine(int fold);

/* A types file giving the usual types their roles (for engines a target
 * builds itself). */
const char *fuzz_types(void);

#endif
