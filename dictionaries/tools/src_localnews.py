# SPDX-License-Identifier: MIT
"""yinleon/LocalNewsDataset (MIT): US local newspapers, magazines and TV
stations.  Call signs (KWHE) are left out: they are not how news names an
outlet."""

import os
import re

from srclib import Entry, read_csv

MEDIUM = {"Newspapers": 40, "Magazines": 35, "College Newspapers": 20, "TV station": 30}


def build(src, sink):
    out = sink.file("orgs-news-local.tsv", ["medium", "state", "url"],
                    ["US local news outlets, type ORG, class NEWS_ORG.  Source:",
                     "yinleon/LocalNewsDataset local_news_dataset_2018.csv (MIT licence,",
                     "Copyright (c) 2018 Leon Yin).  Call signs are left out.",
                     "Prominence: 40 newspapers, 35 magazines, 30 TV stations, 20 college papers."])
    for r in read_csv(os.path.join(src, "news-outlets-local", "local_news_dataset_2018.csv")):
        name = (r["name"] or "").strip()
        if not name or re.fullmatch(r"[KW][A-Z]{2,3}(-[A-Z0-9]+)?", name) or name.isupper():
            continue
        if r["medium"] not in MEDIUM:
            continue
        st = (r["state"] or "").strip().upper()
        nid = "localnews:" + (r["domain"] or re.sub(r"\W+", "-", name.lower())).strip()
        sink.add(out, Entry(name, "ORG", nid, [], MEDIUM[r["medium"]], country="iso3166:US",
                            **{"class": "NEWS_ORG", "medium": r["medium"],
                               "state": ("iso3166-2:US-" + st) if len(st) == 2 else "",
                               "url": r["website"]}))
    return [out]
