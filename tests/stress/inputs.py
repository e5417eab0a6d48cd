# SPDX-License-Identifier: MIT
"""Adversarial inputs for gaztag, generated on the fly at any size.

Each generator returns `size` bytes (or about that) of text built to stress
one part of the tagger: the document passes (acronym floods), the sentence
and token logic (long runs of one character or token class), the rules
(long capitalised runs), the reader (huge lines, deep nesting) and the
input modes (--input=lines and jsonl records).  Used by tests/stress/run.py
(a hang guard in `make check`) and by the benchmark (throughput of each
against ordinary text).

INPUTS maps a name to (generator, extra gaztag arguments).
"""
import random


def repeat_to(unit, size):
    if isinstance(unit, str):
        unit = unit.encode("utf-8")
    return (unit * (size // len(unit) + 1))[:size]


def words(rng, n, cap=True):
    out = []
    for _ in range(n):
        w = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 3)))
        out.append(w.capitalize() if cap else w)
    return out


def acronym_flood(size):
    """One acronym defined over and over."""
    return repeat_to("The Foo Bar Baz (FBB) ", size)


def acronym_distinct(size):
    """Many distinct definitions, a blank line every 50 sentences."""
    rng = random.Random(7)
    out, n, total = [], 0, 0
    while total < size:
        w = words(rng, 3)
        s = f"The {w[0]} {w[1]} {w[2]} ({w[0][0]}{w[1][0]}{w[2][0]}) met. "
        n += 1
        if n % 50 == 0:
            s += "\n\n"
        out.append(s)
        total += len(s)
    return "".join(out).encode()[:size]


def capitalised_run(size):
    """A single run of capitalised words with no sentence break."""
    rng = random.Random(3)
    return " ".join(words(rng, size // 5)).encode()[:size]


def capitalised_of(size):
    """Capitalised runs around 'of' and org/place head words."""
    return repeat_to("Bank Of North Central River University Of East Lake Street ", size)


def all_caps(size):
    rng = random.Random(5)
    return " ".join(w.upper() for w in words(rng, size // 5)).encode()[:size]


def open_parens(size):
    return repeat_to("(", size)


def open_quotes(size):
    return repeat_to("\u201c\u2018\u00ab(\"[", size)


def box_drawing(size):
    row = "\u2502 \u2500\u2500\u2500\u2500 \u2502 \u2500\u2500 \u2502\n\u251c\u2500\u2500\u253c\u2500\u2500\u2524\n"
    return repeat_to(row, size)


def em_dashes(size):
    return repeat_to("\u2014 \u2022 ", size)


def deep_nesting(size):
    half = size // 2
    return (b"(" * half + b")" * half)[:size]


def digits(size):
    return repeat_to("3,000.40 2-1 1999 ", size)


def single_char(size):
    return repeat_to("a", size)


def apostrophes(size):
    return repeat_to("O'Neill's ", size)


def initials(size):
    return repeat_to("J. K. L. M. ", size)


def cjk(size):
    return repeat_to("\u5b87\u5b99\u822a\u7a7a\u7814\u7a76\u958b\u767a\u6a5f\u69cb", size)


def combining(size):
    return repeat_to("e\u0301\u0301\u0301", size)


def invalid_utf8(size):
    return repeat_to(b"\xff\xc3(\xe2\x82 \xf0\x9f", size)


def nul_bytes(size):
    return repeat_to(b"Tokyo\x00", size)


def huge_line(size):
    """Ordinary words on one line: no line break at all."""
    rng = random.Random(11)
    return " ".join(words(rng, size // 5, cap=False) + ["Tokyo"]).encode()[-size:]


def whitespace(size):
    return repeat_to(" \t \u00a0", size)


def lines_huge_record(size):
    return b"1\t" + huge_line(max(size - 3, 1)) + b"\n"


def jsonl_huge_record(size):
    body = huge_line(max(size - 30, 1)).decode()
    return ('{"id": "1", "text": "' + body + '"}\n').encode()


INPUTS = {
    "acronym-flood": (acronym_flood, []),
    "acronym-distinct": (acronym_distinct, []),
    "capitalised-run": (capitalised_run, []),
    "capitalised-of": (capitalised_of, []),
    "all-caps": (all_caps, []),
    "open-parens": (open_parens, []),
    "open-quotes": (open_quotes, []),
    "box-drawing": (box_drawing, []),
    "em-dashes": (em_dashes, []),
    "deep-nesting": (deep_nesting, []),
    "digits": (digits, []),
    "single-char": (single_char, []),
    "apostrophes": (apostrophes, []),
    "initials": (initials, []),
    "cjk": (cjk, []),
    "combining": (combining, []),
    "invalid-utf8": (invalid_utf8, []),
    "nul-bytes": (nul_bytes, ["--binary=tag"]),
    "whitespace": (whitespace, []),
    "huge-line": (huge_line, []),
    "lines-huge-record": (lines_huge_record, ["--input=lines"]),
    "jsonl-huge-record": (jsonl_huge_record, ["--input=jsonl"]),
}


def ordinary(brown_path, size):
    """The first `size` bytes of ordinary text (Brown, repeated if short)."""
    with open(brown_path, "rb") as f:
        data = f.read(size)
    return repeat_to(data, size) if data else b""
