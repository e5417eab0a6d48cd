# SPDX-License-Identifier: MIT
"""The README's Dask recipe, run on a LocalCluster of two worker processes
on loopback: its rows must equal those of one `gaztag tag` run, for a JSON
Lines corpus and for a folder of files."""
import json
import os

import pytest

from conftest import cli_rows
from test_readme import readme_blocks

pytest.importorskip("dask.bag", reason="dask is not installed (Debian: python3-distributed)")
distributed = pytest.importorskip("dask.distributed",
                                  reason="dask.distributed is not installed "
                                         "(Debian: python3-distributed)")

import gaztag  # noqa: E402


@pytest.fixture(scope="module")
def recipe():
    (code,) = [b for b in readme_blocks() if "LocalCluster" in b and "map_partitions" in b]
    ns = {"__name__": "gaztag_dask_recipe"}
    exec(compile(code, "README.md (Dask recipe)", "exec"), ns)
    return ns


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    with cluster, distributed.Client(cluster) as c:
        assert len(c.scheduler_info()["workers"]) == 2
        yield c


def corpus(corpus_docs):
    """The sample corpus 12 times over, with odd documents mixed in."""
    docs = [(f"{k}/{i}", t) for k in range(12) for i, t in corpus_docs]
    docs += [("empty", ""), ("tabs", "JAXA\tand\nNASA\r\n"), ("emoji", "🚀 Tōkyō")]
    return docs


def test_recipe_on_jsonl_equals_one_command_run(recipe, client, tmp_path, gaztag_bin,
                                                corpus_docs):
    docs = corpus(corpus_docs)
    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, t in docs:
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    bag = recipe["read_jsonl"](str(path)).repartition(npartitions=5)
    rows = bag.map_partitions(recipe["mention_rows"], gaztag.Tagger()).compute()
    expected = cli_rows(gaztag_bin, docs)
    assert len(expected) > 1000
    assert [tuple(r) for r in rows] == expected
    # the tagging ran in both worker processes, not on the client
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


def test_recipe_on_files_equals_one_command_run(recipe, client, tmp_path, gaztag_bin,
                                                corpus_docs):
    folder = tmp_path / "files"
    for k in range(3):
        (folder / str(k)).mkdir(parents=True)
        for name, text in corpus_docs:
            (folder / str(k) / name).write_bytes(text.encode())
    (folder / "0" / "bad-utf8.txt").write_bytes(b"JAXA \xff\xfe Tokyo\r\n")
    bag = recipe["read_files"](str(folder / "**" / "*.txt"), npartitions=4)
    rows = bag.map_partitions(recipe["mention_rows"], gaztag.Tagger()).compute()
    expected = cli_rows(gaztag_bin, None, str(folder))
    assert len(expected) > 200
    assert [tuple(r) for r in rows] == expected
    assert ("JAXA" in {r[3] for r in rows if r[0].endswith("bad-utf8.txt")})
