/* SPDX-License-Identifier: MIT */
/*
 * inline.c - the inline format: the text as it is, each mention written
 * [text](TYPE), optionally coloured by type; control characters and
 * ill-formed bytes from the input are shown escaped (gz_fmt_term_text), so
 * that nothing from the input can drive or disguise a terminal.
 */
#include "format.h"

#include <string.h>

static void mark(gz_render *r, gz_buf *out, const gz_span *s, const char *t, size_t n)
{
    if (r->o.color)
        gz_buf_printf(out, "\033[%sm", gz_fmt_ansi_colors[gz_fmt_type_color(s->type)]);
    gz_buf_addc(out, '[');
    gz_fmt_term_text(out, t, n);
    gz_buf_adds(out, "](");
    gz_fmt_term_text(out, s->type, strlen(s->type));
    gz_buf_addc(out, ')');
    if (r->o.color)
        gz_buf_adds(out, "\033[0m");
}

static void piece(gz_render *r, gz_buf *out, const gz_piece *p)
{
    gz_fmt_marked_text(r, out, p, gz_fmt_term_text, mark);
}

const gz_format gz_format_inline = {
    .name = "inline",
    .ext = ".inline.txt",
    .caps = GZ_FMT_COLOR,
    .piece = piece,
};
