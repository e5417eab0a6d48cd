#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check gaztag's character offsets and JSON Lines against Python itself.

Random documents mix names from the test dictionary with valid multi-byte
characters, control characters and ill-formed UTF-8.  For each one:
- every JSON Lines row parses with json.loads, its "text" is exactly
  data.decode("utf-8", "replace")[char_start:char_end], and "lossy" is set
  exactly when the mention's bytes are not valid UTF-8;
- TSV --offsets=chars gives the same offsets, and plain TSV's byte offsets
  map to them through len(data[:start].decode("utf-8", "replace"));
- brat's offsets, applied to the .txt copy written by --output-dir, give the
  annotation's text.
"""
import json
import os
import random
import subprocess
import sys

GAZTAG = os.environ["GAZTAG"]
TMP = os.environ["TMP"]
DATA = os.path.join(os.environ["ROOT"], "tests", "cli", "cases", "format-data")
BASE = [GAZTAG, "tag", "--no-default-dicts", "--no-default-rules",
        "-d", os.path.join(DATA, "dict.tsv")]

NAMES = [b"JAXA", b"Tokyo", b"Katsunobu Kato", b"S\xc3\xa3o Paulo", b"\xe6\x9d\xb1\xe4\xba\xac",
         b"Tick"]
NOISE = [b" ", b"\n", b"\xff", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xc0\xaf",
         b"\xe0\x80\x80", b"\xf4\x90\x80\x80", b"\x80", b"\x1b[2J", b"\x00", b"\t", b"\"\\",
         b"\xc3\xa9", b"\xf0\x9f\x98\x80", b"\xe2\x80\xa8", b"word", b" , ", b"\r\n"]


def run(args, data=None):
    r = subprocess.run(BASE + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit(f"gaztag {' '.join(args)}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    return r.stdout


def document(rng):
    parts = []
    for _ in range(rng.randrange(5, 40)):
        parts.append(rng.choice(NOISE))
        if rng.random() < 0.4:
            parts += [b" ", rng.choice(NAMES), b" "]
    return b"".join(parts)


def check(doc_no, data):
    text = data.decode("utf-8", "replace")
    rows = [json.loads(line) for line in run(["-f", "jsonl", "--offsets=chars", "-"], data).splitlines()]
    byte_rows = [json.loads(line) for line in run(["-f", "jsonl", "-"], data).splitlines()]
    assert len(rows) == len(byte_rows), doc_no
    for row, brow in zip(rows, byte_rows):
        cs, ce = row["char_start"], row["char_end"]
        assert text[cs:ce] == row["text"], (doc_no, row, text[cs:ce])
        raw = data[brow["start"]:brow["end"]]
        assert len(data[:brow["start"]].decode("utf-8", "replace")) == cs, (doc_no, row)
        assert len(data[:brow["end"]].decode("utf-8", "replace")) == ce, (doc_no, row)
        try:
            raw.decode("utf-8")
            valid = True
        except UnicodeDecodeError:
            valid = False
        assert row.get("lossy", False) == (not valid), (doc_no, row)
    tsv = run(["--offsets=chars", "--no-header", "-"], data).splitlines()
    assert [tuple(map(int, l.split(b"\t")[1:3])) for l in tsv] == \
        [(r["char_start"], r["char_end"]) for r in rows], doc_no
    return len(rows)


def check_brat(rng):
    indir, outdir = os.path.join(TMP, "in"), os.path.join(TMP, "out")
    os.makedirs(indir, exist_ok=True)
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for i in range(20):
        p = os.path.join(indir, f"doc{i}.txt")
        with open(p, "wb") as f:
            f.write(document(rng))
        paths.append(p)
    run(["-f", "brat", "--output-dir", outdir] + paths)
    n = 0
    for i in range(20):
        with open(os.path.join(outdir, f"doc{i}.txt"), encoding="utf-8", newline="") as f:
            text = f.read()  # strict: the copy must be valid UTF-8
        with open(os.path.join(outdir, f"doc{i}.ann"), encoding="utf-8", newline="") as f:
            for line in f.read().splitlines():
                if not line.startswith("T"):
                    continue
                _, spec, ann = line.split("\t")
                frags = [tuple(map(int, fr.split(" ")[-2:])) for fr in spec.split(";")]
                got = " ".join(text[a:b] for a, b in frags)
                got = "".join(" " if ord(c) < 0x20 or c == "\x7f" else c for c in got)
                assert got == ann, (i, line, got)
                n += 1
    return n


def main():
    rng = random.Random(20261126)
    mentions = sum(check(i, document(rng)) for i in range(150))
    assert mentions > 300, mentions
    assert check_brat(rng) > 40
    print("ok")


main()
