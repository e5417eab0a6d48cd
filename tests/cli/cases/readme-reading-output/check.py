#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run the recipes of README.md's "Reading the output" on output full of
what breaks readers' defaults (quotes, commas, a mention "NA", ids with
leading zeros, line breaks and an invalid byte in file names), and check
what each tool read against the output itself, read here with the csv and
json modules.  Tools that are not installed are skipped, saying so on
stderr; pandas, R, sqlite3 and jq are in the CI's package list.
"""
import collections
import contextlib
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

ROOT, TMP, GAZTAG = os.environ["ROOT"], os.environ["TMP"], os.environ["GAZTAG"]

DICT = ("name\ttype\tid\n"
        "\"Royal\" gang\tORG\t007\n"
        "NA\tMISC\tna\n"
        "Smith, John\tPERSON\tsmith\n"
        "Tokyo\tPLACE\ttokyo\n")
TEXT = b'The "Royal" gang met NA and Smith, John in Tokyo.\n'
NAMES = [b"plain.txt", b"with,comma.txt", b'"quoted".txt', b"two\nlines.txt", b"bad\xffbyte.txt"]


def recipes():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text.split("\n## Reading the output\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True, **kw)


def unescape(s):
    esc = {b"t": b"\t", b"n": b"\n", b"r": b"\r", b"\\": b"\\"}
    return re.sub(rb"\\(x..|.)", lambda m: bytes([int(m[1][1:], 16)]) if m[1][:1] == b"x"
                  else esc[m[1]], s)


os.chdir(TMP)
os.mkdir("corpus")
for n in NAMES:
    with open(b"corpus/" + n, "wb") as f:
        f.write(TEXT)
with open("dict.tsv", "w") as f:
    f.write(DICT)
base = [GAZTAG, "tag", "--no-default-dicts", "--no-default-rules", "-d", "dict.tsv", "corpus/"]
for fmt, out in (("csv", "mentions.csv"), ("tsv", "mentions.tsv"), ("jsonl", "mentions.jsonl")):
    with open(out, "wb") as f:
        f.write(run(base + ["-f", fmt]).stdout)

with open("mentions.csv", encoding="utf-8", newline="") as f:
    csv_rows = list(csv.reader(f))
header, rows = csv_rows[0], csv_rows[1:]
tsv_lines = open("mentions.tsv", "rb").read().split(b"\n")[:-1]
tsv_rows = [[unescape(x).decode("utf-8", "surrogateescape") for x in l.split(b"\t")]
            for l in tsv_lines[1:]]
types = collections.Counter(r[header.index("type")] for r in rows)
jsonl = [json.loads(l) for l in open("mentions.jsonl", encoding="utf-8")]
assert len(rows) == len(tsv_rows) == len(jsonl) == 4 * len(NAMES), (len(rows), len(jsonl))

kinds = [k for k, _ in recipes()]
assert kinds == ["python", "python", "r", "sh", "sh"], kinds
checked = []
for kind, code in recipes():
    if kind == "python":
        try:
            import pandas  # noqa: F401
        except ImportError:
            print("pandas recipe skipped: pandas is not importable by /usr/bin/python3",
                  file=sys.stderr)
            continue
        ns = {}
        with contextlib.redirect_stdout(sys.stderr):  # it prints the type counts
            exec(compile(code, "README.md", "exec"), ns)
        df = ns["df"]
        want = tsv_rows if "mentions.tsv" in code else rows
        got = df.values.tolist()
        assert list(df.columns) == header and got == want, (got[:3], want[:3])
        checked.append("pandas " + ("tsv" if "mentions.tsv" in code else "csv"))
    elif kind == "r":
        if not shutil.which("Rscript"):
            print("R recipe skipped: Rscript is not installed", file=sys.stderr)
            continue
        out = run(["Rscript", "-e", code + '\ncat(nrow(m), sum(m$text == "NA"), '
                   'sum(m$id == "007"), sum(m$doc == "corpus/two\\nlines.txt"), "\\n")'],
                  text=True).stdout.split("\n")
        assert out[-2].split() == [str(len(rows)), str(len(NAMES)), str(len(NAMES)), "4"], out
        checked.append("R")
    elif "sqlite3" in code:
        if not shutil.which("sqlite3"):
            print("sqlite3 recipe skipped: sqlite3 is not installed", file=sys.stderr)
            continue
        out = run(["sh", "-c", code], text=True).stdout.splitlines()
        want = [f"{t}|{n}" for t, n in sorted(types.items(), key=lambda x: (-x[1], x[0]))]
        assert out == want, (out, want)
        checked.append("sqlite3")
    else:
        if not shutil.which("jq"):
            print("jq recipe skipped: jq is not installed", file=sys.stderr)
            continue
        out = run(["sh", "-c", code]).stdout.split(b"\n")[:-1]
        # jq's @tsv escapes tab, line breaks and backslash as gaztag's TSV does
        got = ["\t".join(unescape(f).decode("utf-8") for f in l.split(b"\t")) for l in out]
        orgs = [f'{o["doc"]}\t{o["text"]}\t{o["id"]}' for o in jsonl if o["type"] == "ORG"]
        assert got == orgs and len(got) == len(NAMES), (got, orgs)
        checked.append("jq")
    print(f"{checked[-1]}: read what the output holds", file=sys.stderr)
print(f"{len(rows)} mentions; recipes checked where the tool is installed")
