/* SPDX-License-Identifier: MIT */
/*
 * csv.c - the csv format: the columns and rows of tsv as RFC 4180 says
 * (comma-separated, CR LF line ends, a field quoted when it holds a comma,
 * a quote or a line break).  Text is written as it is, without escapes;
 * ill-formed UTF-8 and control characters other than tab and line breaks
 * become U+FFFD (gz_csv_field), so unlike tsv the format is lossy.
 */
#include "format.h"

static const gz_fmt_dialect csv = {",", "\r\n", gz_csv_field};

static void run_begin(gz_render *run, gz_buf *out)
{
    if (run->o.header)
        gz_fmt_table_header(&csv, run, out);
}

static void piece(gz_render *r, gz_buf *out, const gz_piece *p)
{
    gz_fmt_table_piece(&csv, r, out, p);
}

static void count_table(gz_render *run, gz_buf *out, gz_agg *const *v, size_t n)
{
    gz_fmt_table_count(&csv, run, out, v, n);
}

const gz_format gz_format_csv = {
    .name = "csv",
    .ext = ".csv",
    .caps = GZ_FMT_TABULAR | GZ_FMT_HEADER | GZ_FMT_CANDIDATE_ROWS | GZ_FMT_OVERLAPS |
            GZ_FMT_ATTR_COLUMNS,
    .run_begin = run_begin,
    .piece = piece,
    .count_table = count_table,
};
