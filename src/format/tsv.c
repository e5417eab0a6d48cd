/* SPDX-License-Identifier: MIT */
/*
 * tsv.c - the tsv format: a header row, then one row per mention (with
 * --all-candidates one per candidate), every field escaped as
 * gz_tsv_escape does; --count writes the frequency table as TSV.
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>

static void run_begin(gz_render *run, gz_buf *out)
{
    if (!run->o.header)
        return;
    gz_buf_adds(out, run->o.chars ? "doc\tchar_start\tchar_end" : "doc\tstart\tend");
    gz_buf_adds(out, "\ttext\ttype\tid\tname\tsource\talternatives");
    gz_buf_adds(out, run->o.overlapping ? "\tcovered" : "");
    gz_buf_adds(out, run->o.explain ? "\texplain\n" : "\n");
}

/* The columns after alternatives, for the mention s written as entity e. */
static void tail(gz_render *r, gz_buf *out, const gz_span *s, const gz_span *e)
{
    if (r->o.overlapping)
        gz_buf_adds(out, s->covered ? "\tyes" : "\tno");
    if (!r->o.explain)
        return;
    gz_buf tmp = {0};
    gz_fmt_explain(&tmp, e);
    gz_buf_addc(out, '\t');
    gz_fmt_field(out, tmp.data);
    gz_buf_free(&tmp);
}

/* One row: fields of entity e for the mention s; the alternatives are the
 * other candidates: alts except skip, after first (if not NULL). */
static void row(gz_render *r, gz_buf *out, const gz_piece *p, const gz_span *s, const gz_span *e,
                const gz_span *first, const gz_span *skip)
{
    gz_fmt_field(out, r->doc);
    gz_buf_addc(out, '\t');
    gz_fmt_offsets(r, out, p, s, "\t");
    gz_buf_addc(out, '\t');
    gz_tsv_escape(out, p->text + (s->start - p->base), s->end - s->start);
    gz_buf_addc(out, '\t');
    gz_fmt_field(out, e->type);
    gz_buf_addc(out, '\t');
    gz_fmt_field(out, e->id);
    gz_buf_addc(out, '\t');
    gz_fmt_field(out, e->name);
    gz_buf_addc(out, '\t');
    gz_fmt_field(out, e->source);
    gz_buf_addc(out, '\t');
    int firstalt = 1;
    if (first) {
        gz_fmt_field(out, first->id);
        firstalt = 0;
    }
    for (size_t k = 0; k < s->n_alts; k++) {
        if (&s->alts[k] == skip)
            continue;
        if (!firstalt)
            gz_buf_addc(out, '|');
        gz_fmt_field(out, s->alts[k].id);
        firstalt = 0;
    }
    tail(r, out, s, e);
    gz_buf_addc(out, '\n');
}

static void piece(gz_render *r, gz_buf *out, const gz_piece *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const gz_span *s = &p->spans[i];
        row(r, out, p, s, s, NULL, NULL);
        if (!r->o.all_candidates)
            continue;
        /* one row per other candidate; its alternatives are the winner and
         * the rest */
        for (size_t k = 0; k < s->n_alts; k++)
            row(r, out, p, s, &s->alts[k], s, &s->alts[k]);
    }
}

static void count_table(gz_render *run, gz_buf *out, gz_agg *const *v, size_t n)
{
    if (run->o.header)
        gz_buf_adds(out, "type\tid\tname\tmentions\tdocuments\n");
    for (size_t i = 0; i < n; i++) {
        gz_fmt_field(out, v[i]->type);
        gz_buf_addc(out, '\t');
        gz_fmt_field(out, v[i]->id);
        gz_buf_addc(out, '\t');
        gz_fmt_field(out, v[i]->name);
        gz_buf_printf(out, "\t%zu\t%zu\n", v[i]->mentions, v[i]->documents);
    }
}

const gz_format gz_format_tsv = {
    .name = "tsv",
    .ext = ".tsv",
    .caps = GZ_FMT_TABULAR | GZ_FMT_HEADER | GZ_FMT_CANDIDATE_ROWS | GZ_FMT_OVERLAPS,
    .run_begin = run_begin,
    .piece = piece,
    .count_table = count_table,
};
