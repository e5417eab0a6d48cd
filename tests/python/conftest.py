# SPDX-License-Identifier: MIT
"""Shared fixtures of the Python module's tests.

`make check` runs them with PYTHONPATH naming the folder of the built module,
GAZTAG naming the gaztag binary of the same build and GAZTAG_DATA the tree's
dictionaries."""
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def gaztag_bin():
    path = os.environ.get("GAZTAG", os.path.join(ROOT, "gaztag"))
    assert os.access(path, os.X_OK), f"no gaztag binary at {path} (set GAZTAG)"
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def corpus_docs():
    """The sample corpus as (id, text) pairs."""
    folder = os.path.join(ROOT, "corpus")
    docs = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                docs.append((name, f.read()))
    return docs


def cli_rows(gaztag_bin, docs, *options):
    """The rows of one `gaztag tag` run over docs [(id, text)], or over the
    files named in options when docs is None, as tuples (doc, start, end,
    text, type, id, name, source) with code point offsets."""
    if docs is None:
        proc = subprocess.run([gaztag_bin, "tag", "--format=jsonl", "--offsets=chars", *options],
                              capture_output=True, check=True)
    else:
        data = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                       for i, t in docs)
        proc = subprocess.run([gaztag_bin, "tag", "--input=jsonl", "--format=jsonl",
                               "--offsets=chars", *options],
                              input=data.encode(), capture_output=True, check=True)
    rows = []
    for line in proc.stdout.decode().splitlines():
        m = json.loads(line)
        rows.append((m["doc"], m["char_start"], m["char_end"], m["text"], m["type"], m["id"],
                     m["name"], m["source"]))
    return rows


def mention_row(doc_id, m):
    return (doc_id, m.start, m.end, m.text, m.type, m.id, m.name, m.source)
