/* SPDX-License-Identifier: MIT */
/* normalize.h - character classes and the key normalisation shared by the
 * dictionary and the text: NFC, quote folding, case folding, optional
 * diacritic stripping.  Offsets are never taken from normalised text: callers
 * normalise one token at a time and keep the token's original byte range. */
#ifndef GZ_NORMALIZE_H
#define GZ_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Character classes for tokenisation. */
enum gz_cc {
    GZ_CC_WORD,     /* letters, marks, digits */
    GZ_CC_CJK,      /* Han, Hiragana, Katakana: one token per character */
    GZ_CC_PUNCT,    /* other visible characters: one token each */
    GZ_CC_SPACE,    /* horizontal white space */
    GZ_CC_NEWLINE,  /* line break */
    GZ_CC_DASH,     /* hyphens and dashes (Unicode Pd) */
    GZ_CC_APOS,     /* apostrophes: ' U+2019 U+02BC (inside words only) */
    GZ_CC_JOIN,     /* soft hyphen, zero-width (non-)joiner: invisible in words */
    GZ_CC_HARD      /* control and format characters, invalid bytes */
};

/* Case of a code point. */
enum { GZ_CASE_NONE = 0, GZ_CASE_UPPER = 1, GZ_CASE_LOWER = 2 };

/* Class of code point cp (cp < 0 means an invalid byte: GZ_CC_HARD). */
int gz_char_class(int32_t cp);

/* GZ_CASE_UPPER for upper- and title-case letters, GZ_CASE_LOWER for
 * lower-case letters, GZ_CASE_NONE otherwise. */
int gz_char_case(int32_t cp);

/* Normalisation flags. */
enum {
    GZ_NORM_FOLD_CASE = 1,    /* Unicode case folding */
    GZ_NORM_STRIP_MARKS = 2   /* remove diacritics */
};

/* Scratch space for gz_normalize; zero-initialise, free with gz_norm_free.
 * One per thread. */
typedef struct gz_norm {
    int32_t *buf;
    size_t cap;
} gz_norm;
void gz_norm_free(gz_norm *n);

/* Append the normalised form of s[0, len) to out: NFC, default-ignorable
 * characters removed, curly quotes and apostrophes folded to straight ones,
 * then case folding and diacritic stripping as flags ask.  Invalid UTF-8
 * bytes are dropped.  Pure ASCII input takes a fast path. */
void gz_normalize(gz_norm *scratch, const char *s, size_t len, unsigned flags,
                  gz_buf *out);

/* Append one 'U' or 'L' per cased letter of s[0, len) to out: the case
 * pattern used to compare a surface with a dictionary name "as written". */
void gz_case_pattern(const char *s, size_t len, gz_buf *out);

#endif
