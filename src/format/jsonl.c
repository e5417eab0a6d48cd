/* SPDX-License-Identifier: MIT */
/*
 * jsonl.c - the jsonl format: one JSON object per mention, with the
 * entity's attributes and its alternatives; strings with every control
 * character escaped and ill-formed UTF-8 replaced by U+FFFD, which marks
 * the record "lossy"; --count writes one object per entity.
 */
#include "format.h"

#include <string.h>

static void entity(gz_buf *out, const gz_span *e, int *lossy)
{
    gz_buf_adds(out, "\"type\":");
    gz_fmt_json_str(out, e->type, strlen(e->type), lossy);
    gz_fmt_json_key(out, "id", e->id, lossy);
    gz_fmt_json_key(out, "name", e->name, lossy);
    gz_fmt_json_key(out, "source", e->source, lossy);
}

static void piece(gz_render *r, gz_buf *out, const gz_piece *p)
{
    gz_buf tmp = {0};
    for (size_t i = 0; i < p->n; i++) {
        const gz_span *s = &p->spans[i];
        int lossy = 0;
        gz_buf_adds(out, "{\"doc\":");
        gz_fmt_json_str(out, r->doc, strlen(r->doc), &lossy);
        gz_buf_adds(out, r->o.chars ? ",\"char_start\":" : ",\"start\":");
        gz_fmt_offsets(r, out, p, s, r->o.chars ? ",\"char_end\":" : ",\"end\":");
        gz_buf_adds(out, ",\"text\":");
        gz_fmt_json_str(out, p->text + (s->start - p->base), s->end - s->start, &lossy);
        gz_buf_addc(out, ',');
        entity(out, s, &lossy);
        gz_buf_adds(out, ",\"attrs\":{");
        for (size_t k = 0; k < s->n_attrs; k++) {
            if (k)
                gz_buf_addc(out, ',');
            gz_fmt_json_str(out, s->attrs[k].key, strlen(s->attrs[k].key), &lossy);
            gz_buf_addc(out, ':');
            gz_fmt_json_str(out, s->attrs[k].value, strlen(s->attrs[k].value), &lossy);
        }
        gz_buf_adds(out, "},\"alternatives\":[");
        for (size_t k = 0; k < s->n_alts; k++) {
            gz_buf_adds(out, k ? ",{" : "{");
            entity(out, &s->alts[k], &lossy);
            gz_buf_addc(out, '}');
        }
        gz_buf_addc(out, ']');
        if (r->o.explain) {
            gz_fmt_explain(&tmp, s);
            gz_fmt_json_key(out, "explain", tmp.data, &lossy);
        }
        if (s->covered)
            gz_buf_adds(out, ",\"covered\":true");
        if (lossy)
            gz_buf_adds(out, ",\"lossy\":true");
        gz_buf_adds(out, "}\n");
    }
    gz_buf_free(&tmp);
}

static void count_table(gz_render *run, gz_buf *out, gz_agg *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int lossy = 0;
        gz_buf_adds(out, "{\"type\":");
        gz_fmt_json_str(out, v[i]->type, strlen(v[i]->type), &lossy);
        gz_fmt_json_key(out, "id", v[i]->id, &lossy);
        gz_fmt_json_key(out, "name", v[i]->name, &lossy);
        gz_buf_printf(out, ",\"mentions\":%zu,\"documents\":%zu", v[i]->mentions,
                      v[i]->documents);
        gz_buf_adds(out, lossy ? ",\"lossy\":true}\n" : "}\n");
    }
}

const gz_format gz_format_jsonl = {
    .name = "jsonl",
    .ext = ".jsonl",
    .caps = GZ_FMT_TABULAR | GZ_FMT_HEADER | GZ_FMT_OVERLAPS,  /* --no-header: as there is none */
    .piece = piece,
    .count_table = count_table,
};
