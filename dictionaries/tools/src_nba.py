# SPDX-License-Identifier: MIT
"""swar/nba_api static data (MIT): NBA and WNBA players and teams."""

import os

from srclib import Entry, read_tsv


def build(src, sink):
    base = os.path.join(src, "nba-wnba-players-teams")
    people = sink.file("people-basketball.tsv", ["sport", "league", "active"],
                       ["NBA and WNBA players, type PERSON, class ATHLETE.  Source: swar/nba_api",
                        "static data (MIT licence, Copyright (c) 2018 Swar Patel).",
                        "Prominence: 60 for an active player, 40 otherwise."])
    teams = sink.file("orgs-basketball-teams.tsv", ["sport", "league", "city", "founded"],
                      ["NBA and WNBA teams, type ORG, class SPORTS_TEAM.  Source: swar/nba_api",
                       "static data (MIT licence, Copyright (c) 2018 Swar Patel).  Prominence: 70."])
    for fn, league in (("players.tsv", "NBA"), ("wnba_players.tsv", "WNBA")):
        for r in read_tsv(os.path.join(base, fn)):
            name = r["full_name"].strip()
            active = r["is_active"] == "True"
            sink.add(people, Entry(name, "PERSON", "%s:%s" % (league.lower(), r["id"]), [],
                                   60 if active else 40, person=True, scope="person",
                                   **{"class": "ATHLETE", "sport": "basketball", "league": league,
                                      "active": "yes" if active else "no"}))
    for fn, league in (("teams.tsv", "NBA"), ("wnba_teams.tsv", "WNBA")):
        with open(os.path.join(base, fn), encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) < 6 or not p[0].isdigit():
                    continue
                tid, abbr, nick, founded, city, full = p[:6]
                sink.add(teams, Entry(full, "ORG", "%s-team:%s" % (league.lower(), tid), [nick], 70,
                                      country="iso3166:US",
                                      **{"class": "SPORTS_TEAM", "sport": "basketball",
                                         "league": league, "city": city, "founded": founded}))
    return [people, teams]
