#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Score gaztag on a folder of hand-annotated articles in brat format.

usage: tests/eval/devset.py [--gaztag BIN] [--errors] DIR

DIR holds NAME.txt with NAME.ann beside it (brat standoff: "T1<TAB>PER 0 4
<TAB>Kato", character offsets; types PER, LOC, ORG, MISC by CoNLL-2003
conventions).  Each article is scored with `gaztag eval --gold NAME.ann`
(bundled dictionaries and rules, default type map, exact span and type);
the counts are summed over the folder and printed as one P/R/F1 table per
type.  --errors also prints each article's misses and false alarms.
Exits 2 when DIR holds no annotated article or gaztag cannot score one.
"""
import argparse
import collections
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gaztag", default=os.path.join(ROOT, "gaztag"))
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("dir")
    a = ap.parse_args()
    anns = sorted(glob.glob(os.path.join(a.dir, "*.ann")))
    anns = [x for x in anns if os.path.exists(x[:-4] + ".txt")]
    if not anns:
        sys.exit(f"devset: no NAME.ann beside a NAME.txt in '{a.dir}'")
    env = dict(os.environ)
    env.setdefault("GAZTAG_DATA", os.path.join(ROOT, "dictionaries"))
    counts = collections.defaultdict(lambda: [0, 0, 0])
    for ann in anns:
        argv = [a.gaztag, "eval", "--gold", ann]
        if a.errors:
            argv.append("--errors")
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        if r.returncode not in (0, 1):
            sys.stderr.write(r.stderr.decode("utf-8", "replace"))
            sys.exit(f"devset: gaztag eval exited {r.returncode} on '{ann}'")
        out = r.stdout.decode("utf-8", "replace")
        in_table = False
        for line in out.splitlines():
            f = line.split()
            if f[:4] == ["type", "gold", "pred", "correct"]:
                in_table = True
                continue
            if in_table and len(f) >= 4 and f[0] != "overall":
                for k in range(3):
                    counts[f[0]][k] += int(f[k + 1])
            elif not in_table and a.errors and line.strip():
                print(line)
    print(f"{len(anns)} articles in {a.dir}")
    print(f"{'type':<8} {'gold':>6} {'pred':>6} {'correct':>7} {'precision':>9} {'recall':>7} {'F1':>6}")
    tot = [0, 0, 0]
    for t in sorted(counts) + ["overall"]:
        g, p, c = tot if t == "overall" else counts[t]
        if t != "overall":
            for k, v in enumerate((g, p, c)):
                tot[k] += v
        prec = 100.0 * c / p if p else 0.0
        rec = 100.0 * c / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{t:<8} {g:>6} {p:>6} {c:>7} {prec:>9.2f} {rec:>7.2f} {f1:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
