# SPDX-License-Identifier: MIT
"""The Fjelstul World Cup Database (CC BY-SA 4.0): World Cup players,
managers and referees, national teams, tournaments and awards.  Kept in
files of their own under the same licence."""

import os

from srclib import Entry, read_csv, country_names_to_2

NOTICE = ["This file is a derivative of the Fjelstul World Cup Database,",
          "(c) 2023 Joshua C. Fjelstul, Ph.D., https://github.com/jfjelstul/worldcup,",
          "licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/);",
          "this file as a whole is available under the same licence.  Changes: names",
          "selected and reformatted as a gaztag dictionary."]


def person_name(given, family):
    given = "" if given in ("not applicable", "not available") else given.strip()
    return ("%s %s" % (given, family.strip())).strip()


def build(src, sink):
    base = os.path.join(src, "fjelstul-worldcup")
    cn = country_names_to_2(src)
    people = sink.file("people-worldcup-sa.tsv", ["role", "sport", "tournaments"],
                       ["World Cup players, managers and referees (men's and women's), type",
                        "PERSON, class ATHLETE, MANAGER or REFEREE."] + NOTICE +
                       ["Prominence: 30 + 10 per tournament (at most 70); managers 50."])
    for r in read_csv(os.path.join(base, "players.csv")):
        name = person_name(r["given_name"], r["family_name"])
        n = int(r["count_tournaments"] or 0)
        sink.add(people, Entry(name, "PERSON", "worldcup:" + r["player_id"], [], min(70, 30 + 10 * n),
                               person=True, scope="person",
                               **{"class": "ATHLETE", "role": "player", "sport": "football",
                                  "tournaments": r["list_tournaments"]}))
    for fn, role, pre in (("managers.csv", "manager", "manager_id"), ("referees.csv", "referee", "referee_id")):
        for r in read_csv(os.path.join(base, fn)):
            name = person_name(r["given_name"], r["family_name"])
            cc = cn.get(r["country_name"].lower(), "")
            sink.add(people, Entry(name, "PERSON", "worldcup:" + r[pre], [], 50 if role == "manager" else 30,
                                   country=("iso3166:" + cc) if cc else "", person=True, scope="person",
                                   **{"class": role.upper(), "role": role, "sport": "football",
                                      "tournaments": ""}))
    teams = sink.file("orgs-national-teams-sa.tsv", ["sport", "federation"],
                      ["National football teams and football federations, type ORG, class",
                       "SPORTS_TEAM or SPORTS_BODY."] + NOTICE + ["Prominence: 70."])
    for r in read_csv(os.path.join(base, "teams.csv")):
        cc = cn.get(r["team_name"].lower(), "")
        c = ("iso3166:" + cc) if cc else ""
        for flag, label, suffix in (("mens_team", "national football team", "m"),
                                    ("womens_team", "women's national football team", "w")):
            if r[flag] == "1":
                sink.add(teams, Entry("%s %s" % (r["team_name"], label), "ORG",
                                      "worldcup:%s-%s" % (r["team_id"], suffix), [], 70, country=c,
                                      **{"class": "SPORTS_TEAM", "sport": "football",
                                         "federation": r["federation_name"]}))
        sink.add(teams, Entry(r["federation_name"], "ORG", "worldcup:%s-federation" % r["team_id"], [],
                              60, country=c, **{"class": "SPORTS_BODY", "sport": "football",
                                                "federation": ""}))
    misc = sink.file("misc-worldcup-sa.tsv", ["sport", "year"],
                     ["World Cup tournaments and awards, type MISC, class COMPETITION or AWARD."] +
                     NOTICE + ["Prominence: 70 for tournaments, 50 for awards."])
    for r in read_csv(os.path.join(base, "tournaments.csv")):
        name = r["tournament_name"]
        al = [name.replace("Men's ", "").replace("Women's ", "Women's ")]
        sink.add(misc, Entry(name, "MISC", "worldcup:" + r["tournament_id"], al, 70,
                             **{"class": "COMPETITION", "sport": "football", "year": r["year"]}))
    for r in read_csv(os.path.join(base, "awards.csv")):
        sink.add(misc, Entry(r["award_name"], "MISC", "worldcup:" + r["award_id"], [], 50,
                             **{"class": "AWARD", "sport": "football", "year": r["year_introduced"]}))
    return [people, teams, misc]
