/* SPDX-License-Identifier: MIT */
/*
 * brat.c - the brat standoff format (.ann): a T annotation per mention with
 * character offsets (a mention across a line break becomes fragments, as
 * brat has them), and an AnnotatorNotes line with the entity's id and name.
 * With --output-dir the text is written beside it as the .txt brat reads.
 */
#include "format.h"

#include <string.h>

static void label(gz_buf *out, const char *s)
{
    /* brat labels: letters, digits, '-' and '_' */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c >= 0x80;
        gz_buf_addc(out, ok ? (char)c : '_');
    }
}

/* Note text and the annotation text: one line, tabs and controls as spaces,
 * ill-formed bytes as U+FFFD (the .txt copy is written the same way). */
static void note_text(gz_buf *out, const char *s, size_t n)
{
    size_t from = out->len;
    gz_utf8_sanitize(out, s, n, 1);
    for (size_t i = from; i < out->len; i++)
        if ((unsigned char)out->data[i] < 0x20 || out->data[i] == 0x7F)
            out->data[i] = ' ';
}

typedef struct brat_state {
    size_t tnum, notenum;   /* annotation numbers */
} brat_state;

static void piece(gz_render *r, gz_buf *out, const gz_piece *pc)
{
    brat_state *st = r->st;
    const char *text = pc->text;
    size_t base = pc->base;
    for (size_t i = 0; i < pc->n; i++) {
        const gz_span *s = &pc->spans[i];
        size_t t = ++st->tnum;
        gz_buf_printf(out, "T%zu\t", t);
        label(out, s->type);
        /* a mention across a line break becomes fragments, as brat has
         * them: "start end;start end", the text joined by spaces */
        const char *p = text + (s->start - base);
        size_t m = s->end - s->start;
        for (int pass = 0; pass < 2; pass++) {
            size_t a = 0;
            int nfrag = 0;
            gz_buf_addc(out, pass ? '\t' : ' ');
            while (a < m) {
                size_t b = a;
                while (b < m && p[b] != '\n' && p[b] != '\r')
                    b++;
                if (b > a && pass == 0) {
                    size_t ca = gz_fmt_char_off(r, pc, s->start + a);
                    size_t cb = gz_fmt_char_off(r, pc, s->start + b);
                    gz_buf_printf(out, "%s%zu %zu", nfrag ? ";" : "", ca, cb);
                } else if (b > a) {
                    if (nfrag)
                        gz_buf_addc(out, ' ');
                    note_text(out, p + a, b - a);
                }
                nfrag += b > a;
                a = b;
                while (a < m && (p[a] == '\n' || p[a] == '\r'))
                    a++;
            }
        }
        gz_buf_addc(out, '\n');
        if (*s->id || *s->name) {
            gz_buf_printf(out, "#%zu\tAnnotatorNotes T%zu\t", ++st->notenum, t);
            if (*s->id) {
                note_text(out, s->id, strlen(s->id));
                gz_buf_addc(out, ' ');
            }
            note_text(out, s->name, strlen(s->name));
            gz_buf_addc(out, '\n');
        }
    }
}

const gz_format gz_format_brat = {
    .name = "brat",
    .ext = ".ann",
    .caps = GZ_FMT_TEXT_COPY | GZ_FMT_CHARS | GZ_FMT_OVERLAPS,
    .state_size = sizeof(brat_state),
    .piece = piece,
};
