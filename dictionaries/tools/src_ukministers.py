# SPDX-License-Identifier: MIT
"""Institute for Government ministers database (MIT): UK government
ministers since 1979, with their peerage titles as aliases, and the
government departments."""

import collections
import os
import re

from srclib import Entry, read_csv

PEER = re.compile(r"^(Lord|Baroness|Lady|Viscount|Earl|Duke|Marquess|Countess)\b")


def build(src, sink):
    base = os.path.join(src, "uk-ifg-ministers")
    out = sink.file("people-uk-ministers.tsv", ["role", "parliament"],
                    ["UK government ministers since 1979, type PERSON, class MINISTER; a peer's",
                     "title (Lord Cameron of Chipping Norton) is an alias of the person.",
                     "Source: Institute for Government, ifg-ministers-database-public",
                     "(MIT licence, Copyright (c) 2024 Institute for Government).",
                     "Prominence: 60, a sitting member of either House 70."])
    people = collections.OrderedDict()
    for r in read_csv(os.path.join(base, "person.csv")):
        people.setdefault(r["id"], []).append(r)
    for pid, rows in people.items():
        names = [r["display_name"].strip() for r in rows if r["display_name"].strip()]
        plain = [n for n in names if not PEER.match(n)]
        # the name in use now (no end date) first, commoner's name preferred
        rows_now = [r for r in rows if not r["end_date"]]
        current = [r["display_name"] for r in rows_now if not PEER.match(r["display_name"])]
        main = (current or plain or names or [""])[0]
        if not main:
            continue
        parl = rows[0]["id_parliament"].split(".")[0]
        prom = 70 if parl else 60
        sink.add(out, Entry(main, "PERSON", "ifg:" + pid, names, prom, country="iso3166:GB",
                            person=True, scope="person",
                            **{"class": "MINISTER", "role": "minister",
                               "parliament": ("ukparliament:" + parl) if parl else ""}))
    orgs = sink.file("orgs-uk-departments.tsv", ["since", "until"],
                     ["UK government departments since 1979, type ORG, class GOVERNMENT.",
                      "Source: Institute for Government, ifg-ministers-database-public",
                      "(MIT licence, Copyright (c) 2024 Institute for Government).",
                      "Prominence: 70 for a department that exists today, 40 otherwise."])
    for r in read_csv(os.path.join(base, "organisation.csv")):
        al = [r["short_name"]] if r["short_name"] else []
        prom = 70 if not r["end_date"] else 40
        sink.add(orgs, Entry(r["name"], "ORG", "ifg:" + r["id"], al, prom, country="iso3166:GB",
                             acronyms=True, **{"class": "GOVERNMENT", "since": r["start_date"][:4],
                                "until": r["end_date"][:4]}))
    return [out, orgs]
