/* SPDX-License-Identifier: MIT */
/*
 * html.c - the html format: one self-contained page, each document in a
 * section with its mentions marked and coloured by type (type, name and id
 * on hover), then a legend and the most frequent entities of the run.  The
 * text is HTML-escaped with control characters shown as the symbols of the
 * Control Pictures block (gz_fmt_html_text).
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>

static const char html_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>gaztag</title>\n"
    "<style>\n"
    "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fafaf7;"
    "display:grid;grid-template-columns:minmax(0,3fr) minmax(22em,1fr)}\n"
    "main{padding:1em 2em;min-width:0}\n"
    "aside{padding:1em 2em;position:sticky;top:0;align-self:start;max-height:100vh;"
    "overflow:auto;box-sizing:border-box}\n"
    "@media (max-width:50em){body{display:block}aside{position:static;max-height:none}}\n"
    "h1{font-size:1.3em}h2{font-size:1.1em;border-bottom:1px solid #ccc}\n"
    "section.doc .text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;"
    "border:1px solid #ddd;padding:1em;font-family:Georgia,serif}\n"
    "mark{border-radius:3px;padding:0 2px;color:inherit}\n"
    "mark:hover{outline:2px solid #444}\n"
    "table{border-collapse:collapse;font-size:.85em;width:100%}td,th{padding:2px 4px;text-align:left;"
    "border-bottom:1px solid #e4e4e4}td.n{text-align:right}\n"
    "ul.legend{list-style:none;padding:0}ul.legend li{margin:2px 0}\n";

static void run_begin(gz_render *run, gz_buf *out)
{
    gz_buf_adds(out, html_head);
    for (unsigned i = 0; i < GZ_FMT_COLORS; i++)
        gz_buf_printf(out, ".c%u{background:%s}\n", i, gz_fmt_html_colors[i]);
    gz_buf_adds(out, "</style>\n</head>\n<body>\n<main>\n<h1>gaztag</h1>\n");
}

static void doc_begin(gz_render *r, gz_buf *out)
{
    gz_buf_adds(out, "<section class=\"doc\">\n<h2>");
    gz_fmt_html_str(out, strcmp(r->doc, "-") == 0 ? "(stdin)" : r->doc);
    gz_buf_adds(out, "</h2>\n<div class=\"text\">");
}

static void mark_open(gz_buf *out, const gz_span *s)
{
    gz_buf_printf(out, "<mark class=\"c%u\" title=\"", gz_fmt_type_color(s->type));
    gz_fmt_html_str(out, s->type);
    gz_buf_adds(out, " \xC2\xB7 ");
    gz_fmt_html_str(out, s->name);
    if (*s->id) {
        gz_buf_adds(out, " \xC2\xB7 ");
        gz_fmt_html_str(out, s->id);
    }
    gz_buf_adds(out, s->covered ? " (covered)\">" : "\">");
}

static void mark(gz_render *r, gz_buf *out, const gz_span *s, const char *t, size_t n)
{
    mark_open(out, s);
    gz_fmt_html_text(out, t, n);
    gz_buf_adds(out, "</mark>");
}

/* With --overlapping: mention i with the mentions inside it as nested
 * marks (one that crosses its end cannot be shown); returns the index
 * after them. */
static size_t nested(gz_buf *out, const gz_piece *p, size_t i)
{
    const gz_span *s = &p->spans[i];
    mark_open(out, s);
    size_t pos = s->start, j = i + 1;
    while (j < p->n && p->spans[j].start < s->end) {
        const gz_span *c = &p->spans[j];
        if (c->end > s->end || c->start < pos) {
            j++;
            continue;
        }
        gz_fmt_html_text(out, p->text + (pos - p->base), c->start - pos);
        j = nested(out, p, j);
        pos = c->end;
    }
    gz_fmt_html_text(out, p->text + (pos - p->base), s->end - pos);
    gz_buf_adds(out, "</mark>");
    return j;
}

static void piece(gz_render *r, gz_buf *out, const gz_piece *p)
{
    if (!r->o.overlapping) {
        gz_fmt_marked_text(r, out, p, gz_fmt_html_text, mark);
        return;
    }
    if (r->tpos < p->base)
        r->tpos = p->base;
    for (size_t i = 0; i < p->n;) {
        const gz_span *s = &p->spans[i];
        if (s->start < r->tpos || s->end > p->base + p->len) {
            i++;    /* overlaps what is printed: cannot be shown */
            continue;
        }
        gz_fmt_html_text(out, p->text + (r->tpos - p->base), s->start - r->tpos);
        i = nested(out, p, i);
        r->tpos = s->end;
    }
    size_t end = p->base + gz_fmt_own_end(p);
    if (r->tpos < end) {
        gz_fmt_html_text(out, p->text + (r->tpos - p->base), end - r->tpos);
        r->tpos = end;
    }
}

static void doc_end(gz_render *r, gz_buf *out)
{
    gz_buf_adds(out, "</div>\n</section>\n");
}

#define HTML_TOP 25

static void run_end(gz_render *run, gz_buf *out)
{
    size_t n;
    gz_agg **v = gz_fmt_agg_sorted(run->aggs, &n);
    gz_buf_adds(out, "</main>\n<aside>\n<h2>Legend</h2>\n<ul class=\"legend\">\n");
    /* one entry per type, by mentions */
    gz_agg *types = NULL;
    for (size_t i = 0; i < n; i++)
        gz_fmt_agg_add(&types, v[i]->type, "", "", v[i]->mentions, 0);
    size_t nt;
    gz_agg **tv = gz_fmt_agg_sorted(types, &nt);
    for (size_t i = 0; i < nt; i++) {
        gz_buf_printf(out, "<li><mark class=\"c%u\">", gz_fmt_type_color(tv[i]->type));
        gz_fmt_html_str(out, tv[i]->type);
        gz_buf_printf(out, "</mark> %zu</li>\n", tv[i]->mentions);
    }
    if (!nt)
        gz_buf_adds(out, "<li>no mentions</li>\n");
    gz_buf_adds(out, "</ul>\n");
    free(tv);
    gz_fmt_agg_clear(&types);
    gz_buf_printf(out, "<h2>Most frequent entities</h2>\n<p>%zu document%s, %zu entit%s</p>\n",
                  run->ndocs, run->ndocs == 1 ? "" : "s", n, n == 1 ? "y" : "ies");
    gz_buf_adds(out, "<table class=\"frequent\">\n<thead><tr><th>Entity</th><th>Type</th>"
                     "<th title=\"mentions\">Ment.</th><th title=\"documents\">Docs</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n && i < HTML_TOP; i++) {
        gz_buf_adds(out, "<tr><td title=\"");
        gz_fmt_html_str(out, v[i]->id);
        gz_buf_adds(out, "\">");
        gz_fmt_html_str(out, v[i]->name);
        gz_buf_printf(out, "</td><td><mark class=\"c%u\">", gz_fmt_type_color(v[i]->type));
        gz_fmt_html_str(out, v[i]->type);
        gz_buf_printf(out, "</mark></td><td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n",
                      v[i]->mentions, v[i]->documents);
    }
    gz_buf_adds(out, "</tbody>\n</table>\n</aside>\n</body>\n</html>\n");
    free(v);
}

const gz_format gz_format_html = {
    .name = "html",
    .ext = ".html",
    .caps = GZ_FMT_AGGS | GZ_FMT_OVERLAPS,
    .run_begin = run_begin,
    .doc_begin = doc_begin,
    .piece = piece,
    .doc_end = doc_end,
    .run_end = run_end,
};
