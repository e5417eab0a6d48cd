# SPDX-License-Identifier: MIT
"""Party Facts (hdigital/partyfactsdata, MIT): political parties worldwide
with short names, native and English names and Wikidata ids."""

import os
import re

from srclib import Entry, read_csv, iso3_to_2, PLACEHOLDER

EXTRA_CC = {"NIR": "GB", "XKX": "XK"}


def names_of(field):
    """'Fianna Fail – The Republican Party / Soldiers of Destiny' -> names."""
    out = []
    for part in re.split(r"\s*[|/]\s*", field or ""):
        part = re.sub(r"^[A-Z][a-z]+:\s*", "", part.strip())  # "Pashto: ..."
        part = re.sub(r"\s*\([^)]*\)", "", part).strip(" ,;-")
        if part and not PLACEHOLDER.search(part):
            out.append(part)
    return out


def share_of(r):
    try:
        return float(r["share"] or 0)
    except ValueError:
        return 0.0


def build(src, sink):
    base = os.path.join(src, "partyfacts")
    cc = iso3_to_2(src)
    cc.update(EXTRA_CC)
    qids, labels = {}, {}
    for r in read_csv(os.path.join(base, "partyfacts-wikidata.csv")):
        if r["wikidata_id"]:
            qids[r["partyfacts_id"]] = r["wikidata_id"]
            labels[r["partyfacts_id"]] = [r["name"], r["name_native"]]
    out = sink.file("orgs-parties-world.tsv", ["short", "years", "share", "wikidata"],
                    ["Political parties worldwide, type ORG, class PARTY.  Source: Party Facts",
                     "(hdigital/partyfactsdata, MIT licence, Copyright (c) 2022 Party Facts authors;",
                     "Doring and Regel (2019), Party Facts: A Database of Political Parties",
                     "Worldwide, Party Politics 25(2)).  Placeholder rows (independents, others)",
                     "are left out.  Prominence: 30 + the best vote share in per cent (at most",
                     "40) + 10 for a party still active + 10 for a Wikidata id."])
    rows = read_csv(os.path.join(base, "partyfacts-core-parties.csv"))
    # a party with a Wikidata id and a larger vote share claims a shared
    # name first, and its id is the one kept when rows merge
    rows.sort(key=lambda r: (r["partyfacts_id"] not in qids, -share_of(r), int(r["partyfacts_id"])))
    for r in rows:
        if r["technical"]:
            continue
        pid = r["partyfacts_id"]
        native = names_of(r["name"])
        english = names_of(r["name_english"])
        other = names_of(r["name_other"])
        wd = labels.get(pid, [])
        # news writes the native name when it is in Latin script (Fine Gael,
        # Likud), else the English one
        cand = [n for n in native if n.isascii() or n[:1].isupper()]
        first = [n for n in wd[:1] if n] + english
        names = [n for n in cand if all(c.isascii() or c.isalpha() for c in n)] + first + other + wd
        names = [n for n in names if n]
        names += [n for n in re.split(r"\s*[|/]\s*", r["name_short"] or "")
                  if len(n) >= 3 and " " not in n]
        if not names:
            continue
        share = share_of(r)
        qid = qids.get(pid, "")
        prom = 30 + min(40, int(share)) + (10 if not r["year_last"] else 0) + (10 if qid else 0)
        years = "%s-%s" % (r["year_first"], r["year_last"]) if r["year_first"] else ""
        sink.add(out, Entry(names[0], "ORG", ("wikidata:" + qid) if qid else "partyfacts:" + pid,
                            names[1:], prom, wikidata=qid, acronyms=prom >= 60, merge_within=True,
                            country=("iso3166:" + cc[r["country"]]) if r["country"] in cc else "",
                            **{"class": "PARTY", "short": r["name_short"], "years": years,
                               "share": r["share"]}))
    return [out]
