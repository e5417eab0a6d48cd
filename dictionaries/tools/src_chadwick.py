# SPDX-License-Identifier: MIT
"""Chadwick Baseball Bureau Persons Register (ODC-BY 1.0): people who played,
managed or umpired in the major leagues, or who have a Wikidata id or a
Sports Reference id for the NFL, NBA or NHL."""

import os

from srclib import Entry, read_csv


def span(a, b):
    try:
        return max(0, int(b) - int(a) + 1)
    except ValueError:
        return 0


def build(src, sink):
    out = sink.file("people-baseball.tsv", ["sport", "years", "wikidata"],
                    ["Professional athletes, mostly baseball, type PERSON, class ATHLETE.",
                     "Source: Chadwick Baseball Bureau Persons Register,",
                     "https://github.com/chadwickbureau/register, made available under the",
                     "Open Data Commons Attribution License (ODC-BY 1.0,",
                     "http://opendatacommons.org/licenses/by/1.0/).",
                     "Prominence: 15 + 2 per major-league season played or managed (at most",
                     "35) + 10 for a Wikidata id, so that a former senator (50) outranks all",
                     "but the longest careers."])
    for r in read_csv(os.path.join(src, "chadwick-register", "mlb-and-major-league-people.csv")):
        first, last = r["name_first"].strip(), r["name_last"].strip()
        if not first or not last:
            continue
        name = "%s %s" % (first, last)
        al = []
        if r["name_suffix"]:
            al.append("%s %s" % (name, r["name_suffix"]))
        if r["name_given"] and r["name_given"] != first:
            al.append("%s %s" % (r["name_given"], last))
        for nick in (r["name_nick"] or "").split(","):
            nick = nick.strip()
            if nick and len(nick) > 2:
                al.append("%s %s" % (nick, last))
        seasons = span(r["mlb_played_first"], r["mlb_played_last"]) + \
            span(r["mlb_managed_first"], r["mlb_managed_last"])
        qid = r["key_wikidata"].strip()
        prom = 15 + min(35, 2 * seasons) + (10 if qid else 0)
        sport = "baseball"
        for k, s in (("key_sr_nfl", "american football"), ("key_sr_nba", "basketball"),
                     ("key_sr_nhl", "ice hockey")):
            if r[k] and not r["mlb_played_first"]:
                sport = s
        years = "%s-%s" % (r["mlb_played_first"], r["mlb_played_last"]) if r["mlb_played_first"] else ""
        sink.add(out, Entry(name, "PERSON", ("wikidata:" + qid) if qid else "chadwick:" + r["key_person"],
                            al, prom, wikidata=qid, person=True, scope="person",
                            **{"class": "ATHLETE", "sport": sport, "years": years}))
    return [out]
