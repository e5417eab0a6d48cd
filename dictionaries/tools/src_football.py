# SPDX-License-Identifier: MIT
"""openfootball clubs and leagues (CC0-1.0): football clubs with their
aliases, national leagues (ORG) and cups and tournaments (MISC)."""

import collections
import glob
import os
import re

from srclib import Entry, read_tsv, country_names_to_2

HOME = {"england": "GB", "scotland": "GB", "wales": "GB", "northern-ireland": "GB",
        "usa": "US", "united-states": "US", "south-korea": "KR", "north-korea": "KP",
        "russia": "RU", "czech-republic": "CZ", "ivory-coast": "CI", "congo-dr": "CD",
        "bosnia": "BA", "iran": "IR", "syria": "SY", "vietnam": "VN", "macedonia": "MK",
        "moldova": "MD", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
        "kosovo": "XK", "turkey": "TR", "laos": "LA", "taiwan": "TW", "cape-verde": "CV"}
# clubs of the strongest football nations win a tie of names
STRONG = {"GB", "ES", "DE", "IT", "FR", "AR", "BR", "NL", "PT"}
COMPETITION = re.compile(r"\b(Cup|Copa|Coupe|Pokal|Coppa|Taça|Trophy|Shield|Supercup|Supercopa|"
                         r"Super Cup|World Cup|Euro|Champions League|Europa League|"
                         r"Conference League|Libertadores|Sudamericana|Gold Cup|Nations League|"
                         r"Championship of|Olympic|Games)\b")


def country_of(path, names):
    parts = [p for p in path.split("/") if p]
    for p in reversed(parts):
        if p in HOME:
            return HOME[p]
        cc = names.get(p.replace("-", " "))
        if cc:
            return cc
    return ""


# "Metropolitan Police FC" is also known as "Metropolitan Police", which is
# the police force first: a short form ending in such a word stays out
NOT_CLUB = {"police", "army", "navy", "university", "bank", "airlines", "railway", "railways",
            "force", "college", "institute", "ministry", "council", "authority", "department",
            "corporation", "company", "service", "services", "guard", "corps", "customs",
            "prisons", "port", "ports", "school", "hospital"}


def tidy_alias(a):
    a = re.sub(r"^[ivx]+\)\s*", "", a)                  # "ii) FC Basel II": reserve sides
    a = re.sub(r"\$\$[^$]*\$\$\s*", "", a)            # sponsor markup
    a = re.sub(r"\s*\[[a-z]{2}\]", "", a)          # language tags
    a = re.sub(r"\s*\([^)]*\)", "", a)              # sponsor and place notes
    return re.sub(r"\s+", " ", a).strip(" ,")


def clubs(src, sink, cnames):
    out = sink.file("orgs-football-clubs.tsv", ["sport", "city", "founded"],
                    ["Football clubs, type ORG, class SPORTS_TEAM, with their aliases.  Source:",
                     "openfootball/clubs (CC0-1.0).  An alias that is another club's name is",
                     "left out.  Prominence: 50 for clubs of Argentina, Brazil, England,",
                     "France, Germany, Italy, the Netherlands, Portugal and Spain, 40 otherwise."])
    rows = read_tsv(os.path.join(src, "openfootball-clubs", "clubs.tsv"))
    mains = collections.Counter(tidy_alias(r["name"]).casefold() for r in rows)
    for r in rows:
        name = tidy_alias(r["name"])
        al = [tidy_alias(a) for a in r["aliases"].split("|")]
        al = [a for a in al if a and a.casefold() not in mains and not re.search(r"\d|\.$", a)
              and a.split()[-1].lower() not in NOT_CLUB]
        cc = country_of(r["country_path"], cnames)
        prom = 50 if cc in STRONG else 40
        cid = "openfootball:%s/%s" % (r["country_path"], re.sub(r"\W+", "-", name.lower()).strip("-"))
        sink.add(out, Entry(name, "ORG", cid, al, prom, country=("iso3166:" + cc) if cc else "",
                            **{"class": "SPORTS_TEAM", "sport": "football",
                               "city": r["city"].split("›")[0].split("(")[0].strip(),
                               "founded": r["founded"]}))
    return out


LINE = re.compile(r"^\s*(\S+)\s+(?:\d{4}(?:/\d{2})?-(?:\d{4}(?:/\d{2})?)?\s+)?(.+?)\s*$")


def leagues(src, sink, cnames):
    orgs = sink.file("orgs-football-leagues.tsv", ["sport"],
                     ["Football leagues, type ORG, class LEAGUE.  Source: openfootball/leagues",
                      "(CC0-1.0).  Prominence: 50, 40 below the top tier."])
    misc = sink.file("misc-football-competitions.tsv", ["sport"],
                     ["Football cups and tournaments, type MISC, class COMPETITION.  Source:",
                      "openfootball/leagues (CC0-1.0).  Prominence: 50."])
    base = os.path.join(src, "openfootball-clubs", "raw-leagues")
    for path in sorted(glob.glob(os.path.join(base, "**", "*.txt"), recursive=True)):
        rel = os.path.relpath(path, base)
        cc = country_of(os.path.dirname(rel), cnames)
        groups, cur = [], None
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#")[0].rstrip()
                if not line.strip() or line.lstrip().startswith("="):
                    continue
                if line.lstrip().startswith("|"):
                    if cur is not None:
                        cur[2].extend(x.strip() for x in line.split("|"))
                    continue
                m = LINE.match(line)
                if not m:
                    continue
                tier, name = m.group(1), m.group(2).split("=>")[-1]
                cur = [tier, name.split("|")[0].strip(), [x.strip() for x in name.split("|")[1:]]]
                groups.append(cur)
        for tier, name, al in groups:
            names = [re.sub(r",\s*[a-z]{2}$", "", tidy_alias(n)) for n in [name] + al]
            names = [n for n in names if n and not re.search(r"^[a-z0-9.]+$|\.[a-z]|^\d", n)]
            if not names:
                continue
            comp = any(COMPETITION.search(n) for n in names)
            out = misc if comp else orgs
            prom = 50 if comp or tier in ("1", "world", "euro") else 40
            lid = "openfootball-league:%s/%s" % (os.path.dirname(rel) or "world",
                                                  re.sub(r"\W+", "-", names[0].lower()).strip("-"))
            sink.add(out, Entry(names[0], "MISC" if comp else "ORG", lid, names[1:], prom,
                                country=("iso3166:" + cc) if cc else "",
                                **{"class": "COMPETITION" if comp else "LEAGUE",
                                   "sport": "football"}))
    return [orgs, misc]


def build(src, sink):
    cnames = {k.replace("-", " "): v for k, v in country_names_to_2(src).items()}
    return [clubs(src, sink, cnames)] + leagues(src, sink, cnames)
