# SPDX-License-Identifier: MIT
"""RohanAlexander/AustralianPoliticians (MIT): members of the Australian
federal parliament 1901-2019, each with a Wikidata id."""

import os

from srclib import Entry, read_csv


def build(src, sink):
    out = sink.file("people-au-parliament.tsv", ["role", "wikidata", "born"],
                    ["Members of the Australian federal parliament 1901-2019, type PERSON,",
                     "class LEGISLATOR.  Source: RohanAlexander/AustralianPoliticians all.csv",
                     "(MIT licence, Copyright (c) 2019 Rohan Alexander).",
                     "Prominence: 50, a senator 55, a prime minister 90; +10 for a Wikidata id."])
    for r in read_csv(os.path.join(src, "au-politicians", "all.csv")):
        sur = r["surname"].strip()
        first = (r["commonName"] or r["firstName"]).strip()
        if not sur or not first:
            continue
        name = "%s %s" % (first, sur)
        al = ["%s %s" % (r["firstName"].strip(), sur)]
        if r["allOtherNames"]:
            al.append("%s %s" % (r["allOtherNames"].strip(), sur))
        for other in (r["earlierOrLaterNames"] or "").split(";"):
            other = other.strip().strip("()")
            if other and " " in other:
                al.append(other)
        qid = r["wikidataID"].strip()
        pm = r["wasPrimeMinister"] == "1"
        prom = 90 if pm else (55 if r["senator"] == "1" else 50)
        prom += 10 if qid and not pm else 0
        role = "prime minister" if pm else ("senator" if r["senator"] == "1" else "member")
        sink.add(out, Entry(name, "PERSON", ("wikidata:" + qid) if qid else "auparl:" + r["uniqueID"],
                            al, prom, wikidata=qid, country="iso3166:AU", person=True,
                            scope="person",
                            **{"class": "LEGISLATOR", "role": role,
                               "born": (r["birthDate"] or r["birthYear"])[:4]}))
    return [out]
