# SPDX-License-Identifier: MIT
"""publicbodies.org (datasets/publicbodies, ODC-PDDL-1.0): government
bodies of several countries and of the European Union."""

import glob
import os
import re

from srclib import Entry, read_csv

CC = {"EU": ""}


def build(src, sink):
    out = sink.file("orgs-public-bodies.tsv", ["abbreviation", "parent"],
                    ["Public bodies of Brazil, Switzerland, Germany, the EU, the UK, Greece, Nepal,",
                     "New Zealand, Sweden and the US, type ORG, class GOVERNMENT.  Source:",
                     "datasets/publicbodies (publicbodies.org), ODC-PDDL-1.0.",
                     "A unit named by its path in the hierarchy (Bundesrat - ... - Steuerverwaltung)",
                     "is named by the last step.  Prominence: 40, 30 for a body with a parent body."])
    for path in sorted(glob.glob(os.path.join(src, "publicbodies", "data", "*.csv"))):
        for r in read_csv(path):
            if r.get("dissolution_date"):
                continue
            name = r["name"].strip()
            if " - " in name:
                # "Bundesrat - Finanzdepartement - Steuerverwaltung": the unit
                # is the last step of its path
                name = name.split(" - ")[-1].strip()
            if re.search(r"\d", name):
                continue  # Büro 1, Abteilung 2
            al = [r["abbreviation"]] if r["abbreviation"] else []
            al += [n.strip() for n in (r["other_names"] or "").split("|") if n.strip()]
            j = (r.get("jurisdiction_code") or "").upper()[:2]
            cc = CC.get(j, j)
            prom = 30 if r.get("parent_id") else 40
            sink.add(out, Entry(name, "ORG", "publicbodies:" + r["id"], al, prom,
                                country=("iso3166:" + cc) if cc else "",
                                **{"class": "GOVERNMENT", "abbreviation": r["abbreviation"],
                                   "parent": r.get("parent_id", "")}))
    return [out]
