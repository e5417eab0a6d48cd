/* SPDX-License-Identifier: MIT */
/*
 * fuzz_output.c - every output writer on arbitrary documents.
 *
 * The first byte picks the format, the options and where the document is
 * split into two pieces; the rest is the document, tagged with the fixed
 * engine and rendered through the rendering protocol of output.h, as the
 * corpus run does.  A second document named by the input itself follows.
 * Checks: TSV rows always have nine fields and no raw control character
 * (the escaping contract), and the writer never reads outside the text.
 * A new format is added to the formats table below.
 */
#include <string.h>

#include "fuzz.h"
#include "gaztag.h"
#include "output.h"
#include "tagger.h"

static const int formats[] = {GZ_FMT_TSV};
#define NFORMATS (sizeof formats / sizeof formats[0])

static void check_tsv(const gz_buf *b)
{
    size_t tabs = 0;
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        FUZZ_CHECK(c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7F));
        if (c == '\t')
            tabs++;
        if (c == '\n') {
            FUZZ_CHECK(tabs == 8);
            tabs = 0;
        }
    }
    FUZZ_CHECK(b->len == 0 || b->data[b->len - 1] == '\n');
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
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    gz_fmt_opts o;
    memset(&o, 0, sizeof o);
    o.format = formats[(sel >> 2) % NFORMATS];
    o.all_candidates = (sel & 1) != 0;
    o.header = (sel & 2) != 0;
    size_t cut = len ? (sel >> 3) * len / 31 : 0;
    if (cut > len)
        cut = len;
    /* a piece never starts inside a UTF-8 sequence, as in the corpus reader */
    while (cut > 0 && cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;

    const gz_engine *e = fuzz_engine(sel & 4);
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
    if (o.format == GZ_FMT_TSV)
        check_tsv(&out);
    gz_buf_free(&out);
    gz_render_free(wr);
    gz_render_free(run);
    gz_tagger_free(t);
    return 0;
}
