#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check gaztag dictionaries: UTF-8, header, field counts, no empty names,
no raw control characters, known case/diacritics values, integer priority,
no duplicate (name, type, id) rows.  Prints row and name counts per type.
Usage: check.py [FILE.tsv ...]  (default: dictionaries/*.tsv).  Exit 1 on problems."""

import collections
import glob
import os
import re
import sys

DICT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def check(path, counts, names):
    problems = []
    stem = os.path.basename(path)[:-4]
    try:
        text = open(path, "rb").read().decode("utf-8")
    except UnicodeDecodeError as e:
        return ["%s: not valid UTF-8 (%s)" % (path, e)]
    header, seen = None, set()
    for no, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            problems.append("%s:%d: carriage return" % (path, no))
        if not line.strip() or line.startswith("#"):
            continue
        if CTRL.search(line):
            problems.append("%s:%d: raw control character" % (path, no))
        fields = line.split("\t")
        if header is None:
            header = fields
            if "name" not in header:
                problems.append("%s:%d: header has no 'name' column" % (path, no))
                return problems
            continue
        if len(fields) != len(header):
            problems.append("%s:%d: %d fields, header has %d" % (path, no, len(fields), len(header)))
            continue
        r = dict(zip(header, fields))
        if not r["name"].strip():
            problems.append("%s:%d: empty name" % (path, no))
        if r["name"] != r["name"].strip():
            problems.append("%s:%d: name has outer spaces" % (path, no))
        if r.get("case", "") not in ("", "smart", "exact", "fold"):
            problems.append("%s:%d: bad case '%s'" % (path, no, r["case"]))
        if r.get("diacritics", "") not in ("", "keep", "fold"):
            problems.append("%s:%d: bad diacritics '%s'" % (path, no, r["diacritics"]))
        if r.get("priority", "") and not re.fullmatch(r"-?\d+", r["priority"]):
            problems.append("%s:%d: priority is not an integer" % (path, no))
        for a in r.get("aliases", "").split("|") if r.get("aliases") else []:
            if not a.strip() or a != a.strip():
                problems.append("%s:%d: empty or padded alias" % (path, no))
        t = r.get("type") or stem
        k = (r["name"], t, r.get("id", ""))
        if k in seen:
            problems.append("%s:%d: duplicate row %r" % (path, no, k))
        seen.add(k)
        counts[t] += 1
        names[t] += 1 + (len(r["aliases"].split("|")) if r.get("aliases") else 0)
    if header is None:
        problems.append("%s: no header" % path)
    return problems


def main(argv):
    files = argv[1:] or sorted(glob.glob(os.path.join(DICT, "*.tsv")))
    counts, names = collections.Counter(), collections.Counter()
    problems = []
    for f in files:
        problems += check(f, counts, names)
    for p in problems:
        print(p, file=sys.stderr)
    for t in sorted(counts):
        print("%-14s %7d rows %8d names" % (t, counts[t], names[t]))
    print("%-14s %7d rows %8d names" % ("total", sum(counts.values()), sum(names.values())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
