/* SPDX-License-Identifier: MIT */
/*
 * tsv.c - the tsv format, and the rows every tabular format shares (csv.c
 * is the other): a header row, then one row per mention (with
 * --all-candidates one per candidate); --count writes the frequency table.
 * A tabular format differs from tsv only in its gz_fmt_dialect: separator,
 * line end and how a field is written.  tsv escapes fields as gz_tsv_escape
 * does, which is exact: the original bytes can be recovered.
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>

static const gz_fmt_dialect tsv_dialect = {"\t", "\n", gz_tsv_escape};

static void field(const gz_fmt_dialect *d, gz_buf *out, const char *s)
{
    d->field(out, s, strlen(s));
}

void gz_fmt_table_header(const gz_fmt_dialect *d, gz_render *run, gz_buf *out)
{
    static const char *const cols[] = {"text", "type", "id", "name", "source",
                                       "alternatives"};
    gz_buf_adds(out, "doc");
    gz_buf_adds(out, d->sep);
    gz_buf_adds(out, run->o.chars ? "char_start" : "start");
    gz_buf_adds(out, d->sep);
    gz_buf_adds(out, run->o.chars ? "char_end" : "end");
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
        gz_buf_adds(out, d->sep);
        gz_buf_adds(out, cols[i]);
    }
    if (run->o.overlapping) {
        gz_buf_adds(out, d->sep);
        gz_buf_adds(out, "covered");
    }
    for (size_t i = 0; i < run->o.n_attrs; i++) {
        gz_buf_adds(out, d->sep);
        field(d, out, run->o.attrs[i]);
    }
    if (run->o.explain) {
        gz_buf_adds(out, d->sep);
        gz_buf_adds(out, "explain");
    }
    gz_buf_adds(out, d->eol);
}

/* The value of e's attribute key, or "" when it has none. */
static const char *attr_value(const gz_span *e, const char *key)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0)
            return e->attrs[i].value;
    return "";
}

/* One row: fields of entity e for the mention s; the alternatives are the
 * other candidates: alts except skip, after first (if not NULL).  tmp is
 * scratch space. */
static void row(const gz_fmt_dialect *d, gz_render *r, gz_buf *out, gz_buf *tmp,
                const gz_piece *p, const gz_span *s, const gz_span *e, const gz_span *first, const gz_span *skip)
{
    field(d, out, r->doc);
    gz_buf_adds(out, d->sep);
    gz_fmt_offsets(r, out, p, s, d->sep);
    gz_buf_adds(out, d->sep);
    d->field(out, p->text + (s->start - p->base), s->end - s->start);
    const char *cols[] = {e->type, e->id, e->name, e->source};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
        gz_buf_adds(out, d->sep);
        field(d, out, cols[i]);
    }
    gz_buf_adds(out, d->sep);
    /* the alternatives are one field: ids joined by '|' */
    tmp->len = 0;
    if (first)
        gz_buf_adds(tmp, first->id);
    for (size_t k = 0; k < s->n_alts; k++) {
        if (&s->alts[k] == skip)
            continue;
        if (tmp->len)
            gz_buf_addc(tmp, '|');
        gz_buf_adds(tmp, s->alts[k].id);
    }
    d->field(out, tmp->data ? tmp->data : "", tmp->len);
    if (r->o.overlapping) {
        gz_buf_adds(out, d->sep);
        gz_buf_adds(out, s->covered ? "yes" : "no");
    }
    for (size_t i = 0; i < r->o.n_attrs; i++) {
        gz_buf_adds(out, d->sep);
        field(d, out, attr_value(e, r->o.attrs[i]));
    }
    if (r->o.explain) {
        gz_fmt_explain(tmp, e);
        gz_buf_adds(out, d->sep);
        field(d, out, tmp->data);
    }
    gz_buf_adds(out, d->eol);
}

void gz_fmt_table_piece(const gz_fmt_dialect *d, gz_render *r, gz_buf *out, const gz_piece *p)
{
    gz_buf tmp = {0};
    for (size_t i = 0; i < p->n; i++) {
        const gz_span *s = &p->spans[i];
        row(d, r, out, &tmp, p, s, s, NULL, NULL);
        if (!r->o.all_candidates)
            continue;
        /* one row per other candidate; its alternatives are the winner and
         * the rest */
        for (size_t k = 0; k < s->n_alts; k++)
            row(d, r, out, &tmp, p, s, &s->alts[k], s, &s->alts[k]);
    }
    gz_buf_free(&tmp);
}

void gz_fmt_table_count(const gz_fmt_dialect *d, gz_render *run, gz_buf *out, gz_agg *const *v,
                        size_t n)
{
    if (run->o.header) {
        static const char *const cols[] = {"type", "id", "name", "mentions", "documents"};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
            if (i)
                gz_buf_adds(out, d->sep);
            gz_buf_adds(out, cols[i]);
        }
        gz_buf_adds(out, d->eol);
    }
    for (size_t i = 0; i < n; i++) {
        field(d, out, v[i]->type);
        gz_buf_adds(out, d->sep);
        field(d, out, v[i]->id);
        gz_buf_adds(out, d->sep);
        field(d, out, v[i]->name);
        gz_buf_printf(out, "%s%zu%s%zu%s", d->sep, v[i]->mentions, d->sep, v[i]->documents,
                      d->eol);
    }
}

static void tsv_run_begin(gz_render *run, gz_buf *out)
{
    if (run->o.header)
        gz_fmt_table_header(&tsv_dialect, run, out);
}

static void tsv_piece(gz_render *r, gz_buf *out, const gz_piece *p)
{
    gz_fmt_table_piece(&tsv_dialect, r, out, p);
}

static void tsv_count_table(gz_render *run, gz_buf *out, gz_agg *const *v, size_t n)
{
    gz_fmt_table_count(&tsv_dialect, run, out, v, n);
}

const gz_format gz_format_tsv = {
    .name = "tsv",
    .ext = ".tsv",
    .caps = GZ_FMT_TABULAR | GZ_FMT_HEADER | GZ_FMT_CANDIDATE_ROWS | GZ_FMT_OVERLAPS |
            GZ_FMT_ATTR_COLUMNS,
    .run_begin = tsv_run_begin,
    .piece = tsv_piece,
    .count_table = tsv_count_table,
};
