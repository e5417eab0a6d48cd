#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Measure gaztag's accuracy on the gold data in ../shared/data/gold/.

usage: tests/eval/measure.py [--gaztag BIN] [--shared DIR] [--keep DIR] [--errors]

The protocol is the one held-out news is scored with:
  1. each gold document is written to its own file, NNNN.txt, as its tokens
     joined by single spaces, one sentence per line (documents end at
     -DOCSTART- lines, or, in a file without them, at blank lines);
  2. `gaztag tag [--dict TRAIN.tsv] DIR` tags them with the bundled
     dictionaries and rules, TRAIN.tsv being what `gaztag dict-from-conll`
     writes for the training file;
  3. `gaztag eval --gold GOLD PRED.tsv` maps the spans back to tokens and
     scores them with exact-span conlleval semantics, types mapped with
     --map (default PERSON->PER, PLACE->LOC, ORG->ORG, NORP and MISC->MISC,
     others dropped).
Sets measured:
  WikiGold      bundled data only, CoNLL types
  WNUT-17 test  bundled data plus dict-from-conll of WNUT-17 train, WNUT
                types (PERSON->person, PLACE->location, ORG->corporation; the
                training dictionary's own types as they are)
Each set also runs `gaztag eval` without predictions (it tags the rebuilt
text itself) and checks that it agrees with step 2; a disagreement exits 1.
Prints one per-type P/R/F1 table per set.  Exits 0 with a message when the
shared data is absent.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WNUT_MAP = ("PERSON=person,PLACE=location,ORG=corporation,person=person,location=location,"
            "corporation=corporation,group=group,product=product,creative-work=creative-work")

SETS = [
    # name, gold file, training file or None, --map or None
    ("WikiGold", "wikigold/wikigold.conll.txt", None, None),
    ("WNUT-17 test", "wnut17/emerging.test.annotated", "wnut17/wnut17train.conll", WNUT_MAP),
]


def documents(path):
    """The documents of a CoNLL file as lists of sentences of tokens."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    has_docstart = any(l.split()[:1] == ["-DOCSTART-"] for l in lines)
    docs, doc, sent = [], [], []
    for line in lines:
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            if sent:
                doc.append(sent)
                sent = []
                if not has_docstart:
                    docs.append(doc)
                    doc = []
            if fields and doc:
                docs.append(doc)
                doc = []
            continue
        sent.append(fields[0])
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def run(argv, **kw):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode not in (0, 1):
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        sys.exit(f"measure: '{' '.join(argv)}' exited {r.returncode}")
    return r.stdout.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser(description="measure gaztag on the shared gold data")
    ap.add_argument("--gaztag", default=os.path.join(ROOT, "gaztag"))
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--keep", help="write the documents, dictionaries and predictions here")
    ap.add_argument("--errors", action="store_true", help="list the errors after each table")
    args = ap.parse_args()
    gold_dir = os.path.join(args.shared, "data", "gold")
    if not os.path.isdir(gold_dir):
        print(f"measure: skipped: no gold data in '{gold_dir}'")
        return 0
    env = dict(os.environ)
    env.setdefault("GAZTAG_DATA", os.path.join(ROOT, "dictionaries"))
    work = args.keep or tempfile.mkdtemp(prefix="gaztag-measure-")
    status = 0
    try:
        for n, (name, gold, train, tmap) in enumerate(SETS):
            gold = os.path.join(gold_dir, gold)
            if not os.path.exists(gold):
                print(f"measure: skipped {name}: '{gold}' is absent\n")
                continue
            base = os.path.join(work, f"set{n + 1}")
            docdir = os.path.join(base, "docs")
            shutil.rmtree(docdir, ignore_errors=True)
            os.makedirs(docdir)
            docs = documents(gold)
            width = max(4, len(str(len(docs))))
            for i, doc in enumerate(docs, 1):
                with open(os.path.join(docdir, f"{i:0{width}d}.txt"), "w", encoding="utf-8",
                          errors="surrogateescape") as f:
                    for sent in doc:
                        f.write(" ".join(sent) + "\n")
            dict_opts = []
            if train:
                tsv = os.path.join(base, "train.tsv")
                with open(tsv, "w", encoding="utf-8") as f:
                    f.write(run([args.gaztag, "dict-from-conll",
                                 os.path.join(gold_dir, train)], env=env))
                dict_opts = ["--dict", tsv]
            pred = os.path.join(base, "pred.tsv")
            with open(pred, "w", encoding="utf-8") as f:
                f.write(run([args.gaztag, "tag", *dict_opts, docdir], env=env))
            map_opts = ["--map", tmap] if tmap else []
            table = run([args.gaztag, "eval", "--gold", gold, *map_opts, pred], env=env)
            itself = run([args.gaztag, "eval", "--gold", gold, *map_opts, *dict_opts], env=env)
            print(f"== {name}: {os.path.relpath(gold, args.shared)}, {len(docs)} documents"
                  + (f", dictionary from {train}" if train else ", bundled data only"))
            print(table, end="")
            if itself != table:
                print("measure: 'gaztag eval' tagging the gold text itself disagrees:")
                print(itself, end="")
                status = 1
            if args.errors:
                print(run([args.gaztag, "eval", "--gold", gold, *map_opts, "--errors", pred],
                          env=env), end="")
            print()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
