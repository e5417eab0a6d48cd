# SPDX-License-Identifier: MIT
"""supraverden (confirmordeny, CC BY-SA 4.0): international and
intergovernmental organisations with abbreviations and Wikidata ids.
Kept in a file of its own under the same licence."""

import os
import re

from srclib import Entry


def records(path):
    """The top-level mappings of general_list.yaml as dicts of scalars."""
    cur = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if re.match(r"^\S.*:\s*$", line):
                if cur:
                    yield cur
                cur = {}
                continue
            m = re.match(r"^  ([A-Za-z_0-9]+):\s*(.*)$", line)
            if m and cur is not None:
                v = m.group(2).strip()
                if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                    v = v[1:-1]
                cur[m.group(1)] = v
    if cur:
        yield cur


def build(src, sink):
    out = sink.file("orgs-international-sa.tsv", ["family", "headquarters", "since", "wikidata"],
                    ["International and intergovernmental organisations, type ORG, class IGO.",
                     "This file is a derivative of supraverden general_list.yaml, Copyright (c)",
                     "Confirmordeny 2025-2026, licensed under the Creative Commons Attribution",
                     "Share Alike 4.0 International licence (CC BY-SA 4.0,",
                     "https://creativecommons.org/licenses/by-sa/4.0/); this file as a whole",
                     "is available under the same licence.  Changes: names and abbreviations",
                     "selected and reformatted as a gaztag dictionary.",
                     "Prominence: 60, +10 for a Wikidata id."])
    for r in records(os.path.join(src, "supraverden-intl-orgs", "general_list.yaml")):
        name = r.get("Name_en", "")
        if not name:
            continue
        al = [r[k] for k in ("Name_other_en", "Name_other_2_en", "Name_other_3_en", "Abbreviation_en")
              if r.get(k) and not r[k].startswith("[")]
        qid = r.get("Wikidata_code", "")
        qid = qid if re.fullmatch(r"Q\d+", qid) else ""
        sink.add(out, Entry(name, "ORG", ("wikidata:" + qid) if qid else "supraverden:" + r.get("SPRVD_id", ""),
                            al, 70 if qid else 60, wikidata=qid, acronyms=True,
                            **{"class": "IGO", "family": r.get("Org_family", ""),
                               "headquarters": r.get("Headquarters", ""),
                               "since": r.get("Year_established", "")}))
    return [out]
