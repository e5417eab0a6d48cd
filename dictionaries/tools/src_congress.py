# SPDX-License-Identifier: MIT
"""unitedstates/congress-legislators (CC0-1.0): former members of Congress
since 1789 (legislators-historical.csv) and the committees of both houses."""

import os
import re

from srclib import Entry, read_csv

ROLE = {"sen": "senator", "rep": "representative"}


def people(src, sink):
    out = sink.file("people-us-congress-historical.tsv", ["role", "party", "state", "born"],
                    ["Former members of the US Congress since 1789, type PERSON, class LEGISLATOR.",
                     "Source: unitedstates/congress-legislators legislators-historical.csv (CC0-1.0).",
                     "Prominence: 40, senators 50; one-word and all-ordinary-word names in exact case."])
    path = os.path.join(src, "congress-legislators", "legislators-historical.csv")
    for r in read_csv(path):
        first, last = r["first_name"].strip(), r["last_name"].strip()
        if not first or not last:
            continue
        name = r["full_name"].strip() or "%s %s" % (first, last)
        al = ["%s %s" % (first, last)]
        if r["middle_name"]:
            al.append("%s %s %s" % (first, r["middle_name"], last))
        if r["nickname"]:
            al.append("%s %s" % (r["nickname"], last))
        if r["suffix"]:
            al.append("%s %s %s" % (first, last, r["suffix"]))
        prom = 50 if r["type"] == "sen" else 40
        sink.add(out, Entry(name, "PERSON", "bioguide:" + r["bioguide_id"], al, prom,
                            country="iso3166:US", person=True, scope="person",
                            **{"class": "LEGISLATOR", "role": ROLE.get(r["type"], r["type"]),
                               "party": r["party"], "state":
                               ("iso3166-2:US-" + r["state"]) if r["state"] else "",
                               "born": r["birthday"][:4]}))
    return out


def committees(src, sink):
    out = sink.file("orgs-us-congress-committees.tsv", ["chamber"],
                    ["Committees of the US House and Senate, current and former, type ORG,",
                     "class LEGISLATURE.  Source: unitedstates/congress-legislators",
                     "committees-current.yaml and committees-historical.yaml (CC0-1.0)."])
    for fn, prom in (("committees-current.yaml", 60), ("committees-historical.yaml", 30)):
        ctype, cid = "", ""
        with open(os.path.join(src, "congress-legislators", fn), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^- type: (\w+)", line)
                if m:
                    ctype = m.group(1)
                    continue
                m = re.match(r"^  (name|thomas_id): (.+)$", line)
                if not m:
                    continue
                if m.group(1) == "thomas_id":
                    cid = m.group(2).strip().strip("'\"")
                    continue
                name = m.group(2).strip().strip("'\"")
                if "(" in name:
                    continue  # "(Select)", "(Ad Hoc)": historical variants
                al = []
                m2 = re.match(r"^(House|Senate) Committee on (?:the )?([A-Z][\w ]+)$", name)
                if m2 and "," not in m2.group(2) and " and " not in m2.group(2):
                    al.append("%s %s Committee" % (m2.group(1), m2.group(2)))
                out_id = "congress:" + re.sub(r"\W+", "-", name.lower()).strip("-")
                sink.add(out, Entry(name, "ORG", out_id, al, prom, country="iso3166:US",
                                    **{"class": "LEGISLATURE", "chamber": ctype}))
    return out


def build(src, sink):
    return [people(src, sink), committees(src, sink)]
