#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Estimate how often the bundled data fires on ordinary English prose.

usage: tests/eval/brown_fp.py [--gaztag BIN] [--brown FILE] [--examples N] [--by-source]

Tags the Brown corpus (../shared/data/bench/brown/brown.txt) with the bundled
dictionaries and rules and prints, per type, the mentions per 10,000 words
and the share of "suspect" mentions: one-word mentions whose text, lower-cased,
is a common lower-case English word (dictionaries/lint-common-words.txt) and
whose entry is not a KEYWORD.  Brown has no entity annotation, so a suspect is
a likely false positive (a capitalised ordinary word read as a name), not a
certain one; the examples show the most frequent ones for review.  With
--by-source, a second table gives the same figures per dictionary file (or
rule) that produced the mention.  Exits 0
with a message when the corpus is absent.
"""
import argparse
import collections
import csv
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaztag", default=os.path.join(ROOT, "gaztag"))
    ap.add_argument("--brown", default=os.path.join(os.path.dirname(ROOT), "shared", "data",
                                                     "bench", "brown", "brown.txt"))
    ap.add_argument("--examples", type=int, default=8)
    ap.add_argument("--by-source", action="store_true",
                    help="also print mentions and suspects per source")
    args = ap.parse_args()
    if not os.path.exists(args.brown):
        print(f"brown_fp: {args.brown} not found; skipped")
        return 0
    with open(os.path.join(ROOT, "dictionaries", "lint-common-words.txt"), encoding="utf-8") as f:
        common = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    with open(args.brown, encoding="utf-8", errors="replace") as f:
        words = sum(len(line.split()) for line in f)
    env = dict(os.environ, GAZTAG_DATA=os.path.join(ROOT, "dictionaries"))
    out = subprocess.run([args.gaztag, "tag", "--no-progress", args.brown], env=env,
                         stdout=subprocess.PIPE, check=True).stdout.decode("utf-8", "replace")
    rows = csv.DictReader(out.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    total = collections.Counter()
    suspect = collections.Counter()
    src_total = collections.Counter()
    src_suspect = collections.Counter()
    examples = collections.defaultdict(collections.Counter)
    for r in rows:
        t = r["type"]
        total[t] += 1
        src_total[r["source"]] += 1
        text = r["text"]
        if t != "KEYWORD" and " " not in text and text.lower() in common:
            suspect[t] += 1
            src_suspect[r["source"]] += 1
            examples[t][text] += 1
    print(f"Brown corpus: {words} words; bundled dictionaries and rules")
    print(f"{'type':10} {'mentions':>9} {'per 10k words':>14} {'suspect':>8} {'suspect %':>10}  most frequent suspects")
    for t in sorted(total, key=lambda x: -total[x]):
        ex = ", ".join(f"{w} ({n})" for w, n in examples[t].most_common(args.examples))
        pct = 100.0 * suspect[t] / total[t]
        print(f"{t:10} {total[t]:9d} {10000.0 * total[t] / words:14.2f} {suspect[t]:8d} {pct:9.1f}%  {ex}")
    if args.by_source:
        print()
        print(f"{'source':36} {'mentions':>9} {'suspect':>8} {'suspect %':>10}")
        for s in sorted(src_total, key=lambda x: (-src_total[x], x)):
            pct = 100.0 * src_suspect[s] / src_total[s]
            print(f"{s:36} {src_total[s]:9d} {src_suspect[s]:8d} {pct:9.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
