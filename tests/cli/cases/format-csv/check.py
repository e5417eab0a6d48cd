#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Read gaztag's CSV with Python's csv module (and pandas where it is
installed) and compare every field with the TSV of the same run, decoded by
its documented escapes and then made as lossy as CSV is documented to be:
ill-formed UTF-8 and control characters other than tab, line feed and
carriage return become U+FFFD.

The dictionary and the file names hold what breaks naive readers: quotes,
commas, a leading quote, "NA", line breaks, a tab, an invalid byte, an
escape character and a C1 control.
"""
import csv
import io
import os
import re
import subprocess
import sys

GAZTAG = os.environ["GAZTAG"]
TMP = os.environ["TMP"]

DICT = ("name\ttype\tid\n"
        "\"Royal\" gang\tORG\tid:royal\n"
        "NA\tMISC\tid:na\n"
        "Smith, John\tPERSON\tid:smith,john\n"
        "\"Quoted\tORG\tid:\"q\n"
        "Caf\u00e9 Tab\tPLACE\tid:tab\\there\n"
        "Line Break\tPLACE\tid:line\\nbreak\n"
        "Back Slash\tORG\tid:back\\\\slash\n"
        "Null\tORG\tid:nul\\x07bell\n"
        "Jordan\tPLACE\tjordan-country\n"
        "Jordan\tPERSON\tjordan-person\n")

TEXT = (b'The "Royal" gang met NA and Smith, John at Caf\xc3\xa9 Tab.\n'
        b'"Quoted came from Line Break and Back Slash; Null and Jordan too.\n')

NAMES = [b"plain.txt", b"with,comma.txt", b'"quoted".txt', b"NA", b"two\nlines.txt",
         b"tab\there.txt", b"bad\xffbyte.txt", b"esc\x1b[2J.txt", b"c1\xc2\x9b.txt",
         b"back\\slash.txt", b"caf\xc3\xa9.txt"]

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ESCAPE = re.compile(rb"\\(x[0-9A-Fa-f]{2}|.)")


def tsv_unescape(field):
    def one(m):
        e = m.group(1)
        if e[:1] == b"x":
            return bytes([int(e[1:], 16)])
        return {b"t": b"\t", b"n": b"\n", b"r": b"\r", b"\\": b"\\"}[e]
    return ESCAPE.sub(one, field)


def lossy(raw):
    return CONTROL.sub("\ufffd", raw.decode("utf-8", "replace"))


def run(args):
    r = subprocess.run([GAZTAG, "tag", "--no-default-dicts", "--no-default-rules",
                        "-d", dict_path] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit(f"gaztag {args}: exit {r.returncode}: {r.stderr!r}")
    return r.stdout


def compare(label, args, header=True):
    tsv = run(args)
    out = run(["-f", "csv"] + args)
    want = [[lossy(tsv_unescape(f)) for f in line.split(b"\t")]
            for line in tsv.split(b"\n")[:-1]]
    text = out.decode("utf-8")  # strict: CSV is always valid UTF-8
    got = list(csv.reader(io.StringIO(text, newline="")))
    if got != want:
        for g, w in zip(got, want):
            if g != w:
                sys.exit(f"{label}: csv row {g!r} != tsv row {w!r}")
        sys.exit(f"{label}: {len(got)} csv rows, {len(want)} tsv rows")
    print(f"{label}: csv module: {len(got)} rows agree with the tsv")
    try:
        import pandas as pd
    except ImportError:
        print(f"{label}: pandas not importable by /usr/bin/python3: pandas check skipped",
              file=sys.stderr)
        return
    df = pd.read_csv(io.BytesIO(out), keep_default_na=False, dtype=str,
                     header=0 if header else None)
    rows = ([list(df.columns)] if header else []) + df.values.tolist()
    if rows != want:
        sys.exit(f"{label}: pandas read {rows!r}, the tsv says {want!r}")
    print(f"{label}: pandas: {len(df)} rows agree with the tsv", file=sys.stderr)


dict_path = os.path.join(TMP, "dict.tsv")
with open(dict_path, "w") as f:
    f.write(DICT)
files = []
for n in NAMES:
    p = os.path.join(TMP.encode(), n)
    with open(p, "wb") as f:
        f.write(TEXT)
    files.append(p.decode("utf-8", "surrogateescape"))
os.chdir(TMP)
rel = [os.path.basename(p) for p in files]
compare("mentions", rel)
compare("explain, chars, all candidates", ["--explain", "--offsets=chars", "--all-candidates"] + rel)
compare("count", ["--count"] + rel)
compare("overlapping, attrs", ["--overlapping", "--attrs", "class"] + rel)
compare("no header", ["--no-header"] + rel[:2], header=False)
