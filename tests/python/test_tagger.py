# SPDX-License-Identifier: MIT
"""The gaztag module as a Python user meets it: offsets, fields, options,
entries, errors, threads and pickling."""
import concurrent.futures
import multiprocessing
import os
import pickle
import subprocess

import pytest

import gaztag
from conftest import ROOT, cli_rows, mention_row


@pytest.fixture(scope="module")
def tagger():
    return gaztag.Tagger()


def test_version_matches_the_binary(gaztag_bin):
    out = subprocess.run([gaztag_bin, "--version"], capture_output=True, text=True).stdout
    assert gaztag.__version__ == "0.2.0"
    assert out.strip() == "gaztag " + gaztag.__version__


def test_str_offsets_index_the_string_and_its_utf8(tagger):
    text = "Tōkyō 🚀: JAXA met Łódź officials and Katsunobu Kato."
    ms = tagger.tag(text)
    assert [m.text for m in ms] == ["Tōkyō", "JAXA", "Łódź", "Katsunobu Kato"]
    data = text.encode("utf-8")
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert data[m.start_byte:m.end_byte].decode() == m.text
    assert (ms[1].start, ms[1].start_byte) == (9, 14)


def test_bytes_offsets_count_bytes_and_allow_invalid_utf8(tagger):
    data = b"\xff\xfe JAXA and T\xc5\x8dky\xc5\x8d\x00NASA"
    ms = tagger.tag(data)
    assert [(m.start, m.end, m.text) for m in ms] == [
        (3, 7, "JAXA"), (12, 19, "Tōkyō"), (20, 24, "NASA")]
    assert all((m.start_byte, m.end_byte) == (m.start, m.end) for m in ms)


def test_lone_surrogates_are_boundaries(tagger):
    text = "JAXA\ud800Tokyo"
    ms = tagger.tag(text)
    assert [(m.start, m.end, m.text) for m in ms] == [(0, 4, "JAXA"), (5, 10, "Tokyo")]


def test_mention_fields(tagger):
    (m,) = tagger.tag("JAXA")
    assert (m.type, m.id, m.name, m.source) == (
        "ORG", "gaztag:jaxa", "Japan Aerospace Exploration Agency", "orgs-government")
    assert m.attrs == {"class": "SPACE_AGENCY", "country": "iso3166:JP"}
    assert m.alternatives == []
    amb = gaztag.Tagger(bundled=False, dictionaries=[os.path.join(ROOT, "tests/data/ambiguous.tsv")])
    (j,) = amb.tag("Jordan")
    assert (j.type, j.id) == ("PLACE", "jordan-country")
    assert j.alternatives == [("PERSON", "jordan-person", "Jordan", "ambiguous")]


def test_rows_equal_the_command_on_the_corpus(tagger, gaztag_bin, corpus_docs):
    rows = [mention_row(i, m) for i, t in corpus_docs for m in tagger.tag(t)]
    assert len(rows) > 100
    assert rows == cli_rows(gaztag_bin, corpus_docs)


def test_options_match_the_command_options(gaztag_bin, corpus_docs):
    t = gaztag.Tagger(fold_diacritics=True, acronyms=False, variants=False, propagation=False)
    rows = [mention_row(i, m) for i, t_ in corpus_docs for m in t.tag(t_)]
    assert rows == cli_rows(gaztag_bin, corpus_docs, "--fold-diacritics", "--no-acronyms",
                            "--no-variants", "--no-propagation")
    assert rows != [mention_row(i, m) for i, t_ in corpus_docs for m in gaztag.Tagger().tag(t_)]


def test_context_option_matches_the_command(gaztag_bin):
    docs = [("a", "Leeds beat Burnley 2-0. The striker scored two goals and a penalty.")]
    on = [mention_row("a", m) for m in gaztag.Tagger().tag(docs[0][1])]
    off = [mention_row("a", m) for m in gaztag.Tagger(context=False).tag(docs[0][1])]
    assert on == cli_rows(gaztag_bin, docs)
    assert off == cli_rows(gaztag_bin, docs, "--no-context")
    assert [m.type for m in gaztag.Tagger().tag(docs[0][1])][:2] == ["ORG", "ORG"]
    assert [m.type for m in gaztag.Tagger(context=False).tag(docs[0][1])][:2] == ["PLACE", "PLACE"]


def test_overlapping_matches_the_command(gaztag_bin, corpus_docs):
    t = gaztag.Tagger(overlapping=True)
    got = [mention_row(i, m) for i, text in corpus_docs for m in t.tag(text)]
    assert got == cli_rows(gaztag_bin, corpus_docs, "--overlapping")
    ms = t.tag("The Japan Aerospace Exploration Agency said so.")
    assert [(m.text, m.covered) for m in ms] == [
        ("Japan Aerospace Exploration Agency", False), ("Japan", True)]
    assert not any(m.covered for m in gaztag.Tagger().tag("The Japan Aerospace Exploration Agency"))
    # the option survives pickling, as the others do
    assert pickle.loads(pickle.dumps(t)).tag("Japan Aerospace Exploration Agency") == \
        t.tag("Japan Aerospace Exploration Agency")


def test_mention_says_which_context_rule_chose_it():
    text = "Leeds beat Burnley 2-0. The striker scored two goals and a penalty."
    on = gaztag.Tagger().tag(text)
    assert [m.why for m in on][:2] == ["context: sports story", "context: sports story"]
    assert all(m.why is None for m in gaztag.Tagger(context=False).tag(text))
    assert pickle.loads(pickle.dumps(on)) == on
    # built by hand, why is optional
    assert gaztag.Mention("a", 0, 1, 0, 1, "T", "", "a", "x", {}, []).why is None


def test_user_files_match_the_command(tmp_path, gaztag_bin):
    d = tmp_path / "mine.tsv"
    d.write_text("name\ttype\tid\nTokyo\tCITY\tx:tokyo\n")
    r = tmp_path / "myrules.tsv"
    r.write_text("type\tname\tpattern\nTICKET\tticket\tTK-[0-9]+\n")
    t = gaztag.Tagger(dictionaries=[str(d)], rules=[r])
    docs = [("a", "Tokyo issued TK-42.")]
    rows = [mention_row("a", m) for m in t.tag(docs[0][1])]
    assert rows == cli_rows(gaztag_bin, docs, "-d", str(d), "-r", str(r))
    assert [m.type for m in t.tag("Tokyo TK-42")] == ["CITY", "TICKET"]


def test_ordinary_words_at_sentence_starts_match_the_command(tmp_path, gaztag_bin):
    d = tmp_path / "mine.tsv"
    d.write_text("name\ttype\nBill\tPERSON\nMay\tPERSON\n")
    t = gaztag.Tagger(dictionaries=[str(d)])
    docs = [("a", "Bill paid. May spoke, and then May left.")]
    rows = [mention_row("a", m) for m in t.tag(docs[0][1])]
    assert rows == cli_rows(gaztag_bin, docs, "-d", str(d))
    assert [m.text for m in t.tag(docs[0][1])] == ["May", "May"]


def test_entries_as_tuples_and_dicts():
    t = gaztag.Tagger(bundled=False, entries=[
        ("Widget Corp", "ORG", "x:widget"),
        ("Gadget Ltd", "ORG", None, ["Gadget"], {"country": "uk"}, 3),
        {"name": "Acme", "type": "ORG", "attrs": {"case": "exact"}},
    ])
    ms = t.tag("Widget Corp bought Gadget; ACME did not, Acme did.")
    assert [(m.text, m.id, m.name, m.source) for m in ms] == [
        ("Widget Corp", "x:widget", "Widget Corp", "entries"),
        ("Gadget", "", "Gadget Ltd", "entries"),
        ("Acme", "", "Acme", "entries")]
    assert ms[1].attrs == {"country": "uk"}


def test_entries_outrank_bundled_dictionaries():
    t = gaztag.Tagger(entries=[("Jordan", "PERSON", "x:jordan")])
    (m,) = t.tag("Jordan")
    assert (m.type, m.id, m.source) == ("PERSON", "x:jordan", "entries")
    assert ("PLACE", "iso3166:JO", "Jordan", "places-countries") in m.alternatives


def test_bad_entries_raise():
    with pytest.raises(gaztag.Error, match="empty type"):
        gaztag.Tagger(bundled=False, entries=[("Widget", "")])
    with pytest.raises(TypeError):
        gaztag.Tagger(bundled=False, entries=[("Widget",)])
    with pytest.raises(TypeError):
        gaztag.Tagger(bundled=False, entries=[{"name": "Widget", "type": "ORG", "colour": 1}])
    with pytest.raises(ValueError, match="NUL"):
        gaztag.Tagger(bundled=False, entries=[("Widget\0Corp", "ORG")])
    with pytest.raises(UnicodeEncodeError):
        gaztag.Tagger(bundled=False, entries=[("Widget\ud800", "ORG")])


def test_bad_dictionary_raises_error_with_position(tmp_path):
    d = tmp_path / "bad.tsv"
    d.write_text("name\ttype\nOne\tORG\nTwo\n")
    with pytest.raises(gaztag.Error) as e:
        gaztag.Tagger(dictionaries=[d])
    assert (e.value.file, e.value.line, e.value.column) == (str(d), 3, 4)
    assert "expected 2 fields" in str(e.value)


def test_bad_rule_raises_error_naming_the_rule(tmp_path):
    r = tmp_path / "bad-rules.tsv"
    r.write_text("type\tname\tpattern\nX\tbroken\tab(c\n")
    with pytest.raises(gaztag.Error) as e:
        gaztag.Tagger(bundled=False, rules=[r])
    assert e.value.file == str(r) and e.value.line == 2


def test_missing_bundled_data_is_an_error(monkeypatch):
    monkeypatch.setenv("GAZTAG_DATA", "/nonexistent/gaztag-data")
    with pytest.raises(gaztag.Error, match="bundled=False"):
        gaztag.Tagger()
    assert gaztag.Tagger(bundled=False).tag("Tokyo") == []


def test_unknown_options_are_refused():
    with pytest.raises(TypeError):
        gaztag.Tagger(colour=True)
    with pytest.raises(TypeError):
        gaztag.Tagger(["positional.tsv"])


def test_tag_many_keeps_input_order(tagger, corpus_docs):
    texts = [t for _, t in corpus_docs] * 30 + ["", b"NASA", "JAXA"]
    expected = [tagger.tag(t) for t in texts]
    for threads in (1, 2, 4):
        got = list(tagger.tag_many(iter(texts), threads=threads, batch_size=7))
        assert got == expected, threads
    assert list(tagger.tag_many([], threads=2)) == []


def test_tag_many_yields_documents_before_a_bad_one(tagger):
    it = tagger.tag_many(["JAXA", "NASA", 42, "Tokyo"], threads=2)
    assert [m.text for m in next(it)] == ["JAXA"]
    assert [m.text for m in next(it)] == ["NASA"]
    with pytest.raises(TypeError, match="str or bytes"):
        next(it)


def test_tag_many_can_be_abandoned(tagger):
    it = tagger.tag_many(("JAXA %d" % i for i in range(10000)), threads=3)
    assert next(it)[0].text == "JAXA"
    del it  # stops and joins its threads


def test_threads_share_one_tagger(tagger, corpus_docs):
    texts = [t for _, t in corpus_docs] * 20
    expected = [tagger.tag(t) for t in texts]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(tagger.tag, texts)) == expected


def test_mentions_and_taggers_pickle(tagger):
    ms = tagger.tag("JAXA and Tokyo")
    assert pickle.loads(pickle.dumps(ms)) == ms
    t2 = pickle.loads(pickle.dumps(tagger))
    assert t2.tag("JAXA and Tokyo") == ms
    assert pickle.loads(pickle.dumps(tagger)) is t2  # rebuilt once per process


def _tag_in_worker(args):
    t, text = args
    return t.tag(text)


def test_tagger_is_rebuilt_in_another_process(tmp_path):
    d = tmp_path / "mine.tsv"
    d.write_text("name\ttype\nFlurbington Station\tFAC\n")
    t = gaztag.Tagger(dictionaries=[d], entries=[("Widget Corp", "ORG", "x:w")])
    text = "Widget Corp at Flurbington Station near JAXA."
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        remote = pool.map(_tag_in_worker, [(t, text)])[0]
    assert remote == t.tag(text)
    assert [m.type for m in remote] == ["ORG", "FAC", "ORG"]



def _first_tick(fn):
    """Run fn() while another Python thread waits to note the time; return
    fn's duration and how long after fn started the other thread first ran.
    A call that holds the GIL throughout keeps it waiting to the end."""
    import threading
    import time
    stop = threading.Event()
    start = [None]
    first = [None]

    def ticker():
        while not stop.is_set():
            if start[0] is not None and first[0] is None:
                first[0] = time.perf_counter()

    th = threading.Thread(target=ticker)
    th.start()
    time.sleep(0.01)
    start[0] = time.perf_counter()
    try:
        fn()
    finally:
        took = time.perf_counter() - start[0]
        stop.set()
        th.join()
    return took, (first[0] if first[0] is not None else float("inf")) - start[0]


def test_tagging_releases_the_gil(tagger, corpus_docs):
    # One call on about 5 MB and one tag_many: another thread runs early in
    # each (held throughout, the GIL would keep it waiting to the end).
    big = "\n\n".join(t for _, t in corpus_docs) * 150
    took, first = _first_tick(lambda: tagger.tag(big))
    assert took > 0.1 and first < took / 2, (took, first)
    docs = [t for _, t in corpus_docs] * 300
    took, first = _first_tick(lambda: list(tagger.tag_many(docs, threads=2)))
    assert first < took / 2, (took, first)


def test_image_tags_as_the_dictionaries_it_was_compiled_from(tmp_path, gaztag_bin):
    d = tmp_path / "places.tsv"
    d.write_text("name\ttype\tid\taliases\nTokyo\tPLACE\tt:tokyo\tTōkyō\nJAXA\tORG\tt:jaxa\t\n",
                 encoding="utf-8")
    img = tmp_path / "places.gzi"
    subprocess.run([gaztag_bin, "compile", "--no-default-dicts", "-d", str(d),
                    "-o", str(img)], check=True)
    text = "JAXA flew from Tōkyō; Tokyo's JAXA."
    from_image = gaztag.Tagger(image=img, bundled=False).tag(text)
    from_tsv = gaztag.Tagger(dictionaries=[d], bundled=False).tag(text)
    assert [(m.start, m.end, m.id) for m in from_image] == \
        [(m.start, m.end, m.id) for m in from_tsv]
    assert [m.id for m in from_image] == ["t:jaxa", "t:tokyo", "t:tokyo", "t:jaxa"]
    with pytest.raises(gaztag.Error):
        gaztag.Tagger(image=tmp_path / "missing.gzi")
