# SPDX-License-Identifier: MIT
"""cisagov/dotgov-data (CC0-1.0): US federal agencies and bureaus, state
agencies, counties, cities and tribal governments that hold a .gov domain."""

import os
import re

from srclib import Entry, read_csv

KIND = {"Federal - Executive": ("GOVERNMENT", 55), "Federal - Legislative": ("LEGISLATURE", 55),
        "Federal - Judicial": ("COURT", 55), "State or territory": ("GOVERNMENT", 40),
        "Tribal": ("GOVERNMENT", 35), "County": ("LOCAL_GOVERNMENT", 25),
        "City": ("LOCAL_GOVERNMENT", 25), "Independent intrastate": ("GOVERNMENT", 25),
        "Interstate": ("GOVERNMENT", 35), "Special district": ("GOVERNMENT", 20),
        "School district": ("GOVERNMENT", 15)}


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def build(src, sink):
    out = sink.file("orgs-us-government.tsv", ["level", "state"],
                    ["US federal, state, county, city and tribal bodies holding a .gov domain,",
                     "type ORG.  Source: cisagov/dotgov-data current-full.csv and",
                     "agencies-and-subs.csv (CC0-1.0).  Election offices and names without a",
                     "capitalised word other than the first are left out.  Prominence: 55",
                     "federal, 40 state, 35 tribal and interstate, 25 county and city, less for",
                     "special and school districts."])
    seen = set()
    for r in read_csv(os.path.join(src, "us-dotgov-orgs", "current-full.csv")):
        kind = KIND.get(r["Domain type"])
        if not kind:
            continue
        for name, level in ((r["Organization name"], 0), (r["Suborganization name"], 1)):
            name = re.sub(r"\s+", " ", name or "").strip(" \".,")
            name = re.sub(r",\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?$", "", name)  # "City of Edmond, Kansas"
            if not name or name.lower() in seen or re.search(r"[()@/]|\d", name):
                continue
            seen.add(name.lower())
            cls, prom = kind
            st = r["State"].strip().upper()
            sink.add(out, Entry(name, "ORG", "dotgov:" + slug(name), [], prom - 5 * level,
                                country="iso3166:US",
                                **{"class": cls, "level": r["Domain type"],
                                   "state": ("iso3166-2:US-" + st) if len(st) == 2 else ""}))
    for r in read_csv(os.path.join(src, "us-dotgov-orgs", "agencies-and-subs.csv")):
        for name in (r["Agency"], r["Bureau"]):
            name = (name or "").strip()
            if not name or name.lower() in seen:
                continue
            seen.add(name.lower())
            sink.add(out, Entry(name, "ORG", "dotgov:" + slug(name), [], 55, country="iso3166:US",
                                **{"class": "GOVERNMENT", "level": "Federal", "state": ""}))
    return [out]
