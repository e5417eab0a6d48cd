/* SPDX-License-Identifier: MIT */
/*
 * normalize.c - character classification and key normalisation.
 *
 * Both dictionary names and text tokens go through gz_normalize, so a name
 * matches a surface exactly when their keys are equal.  The module never
 * produces offsets: tokens keep their original byte ranges, and the key of a
 * token is derived from those bytes alone.  utf8proc supplies categories,
 * case mappings, NFC and case folding; ASCII takes table-driven fast paths.
 */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int is_cjk(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF)      /* Hiragana, Katakana */
        || (cp >= 0x31F0 && cp <= 0x31FF)      /* Katakana extensions */
        || (cp >= 0x3400 && cp <= 0x4DBF)      /* CJK extension A */
        || (cp >= 0x4E00 && cp <= 0x9FFF)      /* CJK unified ideographs */
        || (cp >= 0xF900 && cp <= 0xFAFF)      /* compatibility ideographs */
        || (cp >= 0xFF66 && cp <= 0xFF9F)      /* half-width Katakana */
        || (cp >= 0x20000 && cp <= 0x3134F)    /* CJK extensions B-G */
        || cp == 0x3005 || cp == 0x3007;       /* iteration mark, ideographic zero */
}

int gz_char_class(int32_t cp)
{
    if (cp < 0)
        return GZ_CC_HARD;
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
            (cp >= '0' && cp <= '9'))
            return GZ_CC_WORD;
        if (cp == ' ' || cp == '\t')
            return GZ_CC_SPACE;
        if (cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
            return GZ_CC_NEWLINE;
        if (cp == '-')
            return GZ_CC_DASH;
        if (cp == '\'')
            return GZ_CC_APOS;
        if (cp < 0x20 || cp == 0x7F)
            return GZ_CC_HARD;
        return GZ_CC_PUNCT;
    }
    if (cp == 0x2019 || cp == 0x02BC)
        return GZ_CC_APOS;
    if (cp == 0x00AD || cp == 0x200C || cp == 0x200D)
        return GZ_CC_JOIN;
    if (cp == 0x0085 || cp == 0x2028 || cp == 0x2029)
        return GZ_CC_NEWLINE;
    if (is_cjk(cp))
        return GZ_CC_CJK;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return GZ_CC_WORD;
    case UTF8PROC_CATEGORY_ZS:
        return GZ_CC_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return GZ_CC_NEWLINE;
    case UTF8PROC_CATEGORY_PD:
        return GZ_CC_DASH;
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
        return GZ_CC_HARD;
    default:
        return GZ_CC_PUNCT;
    }
}

int gz_char_case(int32_t cp)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            return GZ_CASE_UPPER;
        if (cp >= 'a' && cp <= 'z')
            return GZ_CASE_LOWER;
        return GZ_CASE_NONE;
    }
    if (cp > 0x10FFFF)
        return GZ_CASE_NONE;
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
        return GZ_CASE_UPPER;
    if (c == UTF8PROC_CATEGORY_LL)
        return GZ_CASE_LOWER;
    if (utf8proc_isupper(cp))
        return GZ_CASE_UPPER;
    if (utf8proc_islower(cp))
        return GZ_CASE_LOWER;
    return GZ_CASE_NONE;
}

void gz_norm_free(gz_norm *n)
{
    free(n->buf);
    n->buf = NULL;
    n->cap = 0;
}

/* Quotes and apostrophes that readers treat as the same character; with
 * diacritic stripping, also the Latin letters whose stroke or bar is not a
 * combining mark (so "Lodz" matches "Łódź"). */
static utf8proc_int32_t fold_quote(utf8proc_int32_t cp, void *data)
{
    if (data && *(const unsigned *)data & GZ_NORM_STRIP_MARKS) {
        switch (cp) {
        case 0x0141: return 'L';
        case 0x0142: return 'l';
        case 0x00D8: return 'O';
        case 0x00F8: return 'o';
        case 0x0110: return 'D';
        case 0x0111: return 'd';
        case 0x0126: return 'H';
        case 0x0127: return 'h';
        case 0x0131: return 'i';
        case 0x0166: return 'T';
        case 0x0167: return 't';
        default: break;
        }
    }
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x2032:
    case 0xFF07:
        return '\'';
    case 0x201C: case 0x201D: case 0x201F: case 0x2033: case 0xFF02:
        return '"';
    default:
        return cp;
    }
}

void gz_normalize(gz_norm *scratch, const char *s, size_t len, unsigned flags,
                  gz_buf *out)
{
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        gz_buf_reserve(out, len);
        char *o = out->data + out->len;
        if (flags & GZ_NORM_FOLD_CASE) {
            for (size_t k = 0; k < len; k++) {
                unsigned char c = (unsigned char)s[k];
                o[k] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            }
        } else {
            memcpy(o, s, len);
        }
        out->len += len;
        out->data[out->len] = '\0';
        return;
    }
    /* Copy the valid UTF-8 parts only: utf8proc refuses invalid input. */
    gz_buf clean = {0};
    const char *src = s;
    size_t srclen = len;
    for (size_t k = 0; k < len;) {
        int32_t cp;
        size_t n = gz_utf8_decode((const unsigned char *)s + k, len - k, &cp);
        if (cp < 0) {
            if (!clean.data)
                gz_buf_add(&clean, s, k);
        } else if (clean.data) {
            gz_buf_add(&clean, s + k, n);
        }
        k += n;
    }
    if (clean.data) {
        src = clean.data;
        srclen = clean.len;
    }
    utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE;
    if (flags & GZ_NORM_FOLD_CASE)
        opt |= UTF8PROC_CASEFOLD;
    if (flags & GZ_NORM_STRIP_MARKS)
        opt |= UTF8PROC_STRIPMARK;
    for (;;) {
        utf8proc_ssize_t n = utf8proc_decompose_custom(
            (const utf8proc_uint8_t *)src, (utf8proc_ssize_t)srclen,
            scratch->buf, (utf8proc_ssize_t)scratch->cap, opt, fold_quote, &flags);
        if (n < 0)
            break;  /* cannot happen on valid input; leave the key empty */
        if ((size_t)n > scratch->cap) {
            size_t cap = scratch->cap;
            GZ_GROW(scratch->buf, cap, (size_t)n + 1);
            scratch->cap = cap;
            continue;
        }
        n = utf8proc_normalize_utf32(scratch->buf, n, opt);
        if (n < 0)
            break;
        gz_buf_reserve(out, (size_t)n * 4);
        for (utf8proc_ssize_t k = 0; k < n; k++)
            out->len += gz_utf8_encode(scratch->buf[k], out->data + out->len);
        out->data[out->len] = '\0';
        break;
    }
    gz_buf_free(&clean);
}

void gz_case_pattern(const char *s, size_t len, gz_buf *out)
{
    /* At most one letter per byte: reserve once, write directly. */
    gz_buf_reserve(out, len);
    char *o = out->data + out->len;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            break;
        if (c >= 'A' && c <= 'Z')
            *o++ = 'U';
        else if (c >= 'a' && c <= 'z')
            *o++ = 'L';
        i++;
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    while (i < len) {
        int32_t cp;
        i += gz_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        int c = cp < 0 ? GZ_CASE_NONE : gz_char_case(cp);
        if (c == GZ_CASE_UPPER)
            gz_buf_addc(out, 'U');
        else if (c == GZ_CASE_LOWER)
            gz_buf_addc(out, 'L');
    }
}
