/* SPDX-License-Identifier: MIT */
/*
 * fuzz_output.c - every output writer on arbitrary documents.
 *
 * The first two bytes pick the format, the options and where the document
 * is split into two pieces; the rest is the document, tagged with the fixed
 * engine (whose dictionary holds control characters in ids and attributes)
 * and rendered through the rendering protocol of output.h, as the corpus
 * run does.  A second document, named by the input itself, follows.
 * Checks, per format: TSV lines all have the same number of fields; every
 * JSON Lines line parses as a JSON object; no format lets a raw control
 * character (ESC, BEL, NUL...) from the input or the dictionary through,
 * except the line breaks and tabs of the text itself; and the writer never
 * reads outside the text (the sanitizers watch).
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "gaztag.h"
#include "output.h"
#include "tagger.h"

static size_t count_formats(void)
{
    size_t n = 0;
    while (gz_format_at(n))
        n++;
    return n;
}

/* Control characters other than tab, line feed and carriage return. */
static int bad_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

static void check_tsv(const gz_buf *b)
{
    size_t tabs = 0, want = (size_t)-1;
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        FUZZ_CHECK(c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7F));
        if (c == '\t')
            tabs++;
        if (c == '\n') {
            if (want == (size_t)-1)
                want = tabs;
            FUZZ_CHECK(tabs == want);
            tabs = 0;
        }
    }
    FUZZ_CHECK(b->len == 0 || b->data[b->len - 1] == '\n');
}

static void check_jsonl(const gz_buf *b)
{
    size_t start = 0;
    for (size_t i = 0; i < b->len; i++) {
        FUZZ_CHECK(!bad_control((unsigned char)b->data[i]) && b->data[i] != '\r');
        if (b->data[i] != '\n')
            continue;
        json_error_t jerr;
        json_t *j = json_loadb(b->data + start, i - start, 0, &jerr);
        FUZZ_CHECK(j != NULL && json_is_object(j));
        json_decref(j);
        start = i + 1;
    }
    FUZZ_CHECK(start == b->len);
}

/* Inline (without colour), HTML, brat and CoNLL: no raw control character. */
static void check_plain(const gz_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        FUZZ_CHECK(!bad_control((unsigned char)b->data[i]));
}

static void render_doc(gz_render *wr, gz_render *run, gz_buf *out, gz_tagger *t,
                       const char *name, const char *text, size_t len, size_t cut)
{
    gz_buf doc = {0};
    gz_render_doc_begin(wr, &doc, name);
    const gz_span *spans;
    size_t n;
    gz_error err;
    memset(&err, 0, sizeof err);
    gz_tag_chunk(t, text, cut, 0, &spans, &n, &err);
    gz_render_piece(wr, &doc, text, cut, 0, cut, spans, n);
    memset(&err, 0, sizeof err);
    gz_tag_chunk(t, text + cut, len - cut, cut, &spans, &n, &err);
    gz_render_piece(wr, &doc, text + cut, len - cut, cut, len - cut, spans, n);
    gz_render_doc_end(wr, &doc);
    gz_render_merge(run, wr);
    gz_buf_add(out, doc.data ? doc.data : "", doc.len);
    gz_buf_free(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned sel = data[0], opt = data[1];
    const char *text = (const char *)data + 2;
    size_t len = size - 2;
    gz_fmt_opts o;
    memset(&o, 0, sizeof o);
    size_t nformats = count_formats();
    o.format = gz_format_at(sel % nformats);
    unsigned caps = gz_format_caps(o.format);
    const char *fname = gz_format_name(o.format);
    o.all_candidates = (opt & 1) != 0;
    o.header = (opt & 2) != 0;
    o.chars = (opt & 4) != 0;
    o.count = (opt & 8) != 0 && (caps & GZ_FMT_TABULAR);
    o.explain = (opt & 16) != 0;
    o.color = (opt & 32) != 0 && (caps & GZ_FMT_COLOR);
    size_t cut = len ? (size_t)(sel / nformats) * len / (255 / nformats) : 0;
    if (cut > len)
        cut = len;
    /* a piece never starts inside a UTF-8 sequence, as in the corpus reader */
    while (cut > 0 && cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;

    const gz_engine *e = fuzz_engine(opt & 64);
    gz_tagger *t = gz_tagger_new(e);
    gz_render *run = gz_render_new(&o);
    gz_render *wr = gz_render_new(&o);
    gz_buf out = {0};
    gz_render_run_begin(run, &out);
    render_doc(wr, run, &out, t, "doc\x1B[2J\t1", text, len, cut);
    /* the document's name comes from the input too (up to its first NUL) */
    char name[64];
    size_t nl = strnlen(text, len < sizeof name - 1 ? len : sizeof name - 1);
    memcpy(name, text, nl);
    name[nl] = '\0';
    render_doc(wr, run, &out, t, name, text, len, len / 2);
    gz_render_run_end(run, &out);
    if (strcmp(fname, "tsv") == 0)
        check_tsv(&out);
    else if (strcmp(fname, "jsonl") == 0)
        check_jsonl(&out);
    else if (!o.color)   /* colour codes are the one escape inline may print */
        check_plain(&out);
    gz_buf_free(&out);
    gz_render_free(wr);
    gz_render_free(run);
    gz_tagger_free(t);
    return 0;
}
