/* SPDX-License-Identifier: MIT */
/* tokenize.h - split text into tokens by Unicode category: words (letters,
 * marks, digits, inner apostrophes), one token per Han/Kana character, one
 * per other visible character.  White space and dashes are not tokens; each
 * token records the separator before it.  Token offsets are byte offsets into
 * the text given, and every token carries its normalised key. */
#ifndef GZ_TOKENIZE_H
#define GZ_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "normalize.h"

enum gz_tok_kind { GZ_TOK_WORD, GZ_TOK_CJK, GZ_TOK_PUNCT };

/* The separator before a token. */
enum gz_gap {
    GZ_GAP_NONE,    /* adjacent */
    GZ_GAP_SPACE,   /* exactly one space */
    GZ_GAP_WS,      /* other white space, at most one line break */
    GZ_GAP_HYPHEN,  /* a dash, possibly with white space */
    GZ_GAP_BREAK    /* start of text, paragraph break, control or invalid byte */
};

/* Token flags; case flags ignore a possessive suffix. */
enum {
    GZ_TF_UPPER = 1,    /* has an upper-case letter */
    GZ_TF_LOWER = 2,    /* has a lower-case letter */
    GZ_TF_TITLE = 4,    /* first cased letter upper, no other upper */
    GZ_TF_ASCII = 8,    /* all bytes ASCII */
    GZ_TF_QUOTE = 16,   /* contains a curly apostrophe */
    GZ_TF_DIGIT = 32,   /* has a digit */
    GZ_TF_DECOMPOSED = 64  /* has a combining mark after a letter (not NFC) */
};

typedef struct gz_token {
    uint32_t start, end;     /* byte range in the text */
    uint32_t key, keylen;    /* normalised key in gz_tokens.keys */
    uint32_t skey, skeylen;  /* key with diacritics stripped (may equal key) */
    uint16_t flags;
    uint8_t kind;            /* enum gz_tok_kind */
    uint8_t gap;             /* enum gz_gap: the separator before */
    uint8_t poss;            /* bytes of a final possessive 's, 0 if none */
    uint8_t spare[3];
} gz_token;

typedef struct gz_tokens {
    gz_token *tok;
    size_t n, cap;
    gz_buf keys;
    gz_norm norm;
} gz_tokens;

/* Tokenise text[0, len) into out (reused between calls; previous contents
 * dropped).  With strip != 0, skey holds the diacritic-stripped key.  Texts
 * of 4 GiB or more must be split by the caller. */
void gz_tokenize(gz_tokens *out, const char *text, size_t len, int strip);

void gz_tokens_free(gz_tokens *t);

/* Is token i (i < tk->n) a word whose key, its case folded, is one of the
 * words of list: "in\0at\0", each ended by a NUL, the list by an empty
 * word? */
int gz_token_in(const gz_tokens *tk, size_t i, const char *list);

/* Where a token stands, as bits of gz_token_marks. */
enum {
    GZ_MK_START = 1,    /* first word of a sentence */
    GZ_MK_HEAD = 2,     /* on a headline line */
    GZ_MK_COMMON = 4    /* capitalised, but the text uses it in lower case
                         * (set by the tagger, not by gz_token_marks) */
};

/* Mark each token of tk (tokens of text) with GZ_MK_START and GZ_MK_HEAD
 * into marks[0, tk->n), clearing the other bits.
 *
 * A sentence starts at the start of the text, after a paragraph break,
 * after . ! ? : (looking back through quotation marks and opening brackets)
 * and on the line after a headline.
 * A headline is a line of its own (between line breaks) that is either in
 * capitals (no lower-case letter, at least two words of two or more
 * capitals) or in title case: no final . ! ? : ; , (closing quotes and
 * brackets looked through), at most 20 tokens, three or more capitalised
 * words, every word in lower case at most four letters long (of, the, and)
 * and fewer of them than capitalised ones, at most one number, no brackets,
 * no semicolon and at most one comma, and lines follow it.  Thread-safe. */
void gz_token_marks(const gz_tokens *tk, const char *text, uint8_t *marks);

#endif
