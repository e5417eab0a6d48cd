# SPDX-License-Identifier: MIT
"""datasets/language-codes (ODC-PDDL-1.0): languages by their English names
(ISO 639-2), type MISC, class LANGUAGE."""

import os
import re

from srclib import Entry, read_csv, key


def build(src, sink):
    out = sink.file("misc-languages.tsv", ["iso639"],
                    ["Languages and language families by their English names, type MISC, class",
                     "LANGUAGE.  Source: datasets/language-codes language-codes-full.csv",
                     "(ISO 639-2, ODC-PDDL-1.0).  Names that are also nationality words (French,",
                     "Japanese) stay NORP; ISO qualifiers (\"Greek, Modern (1453-)\") are removed.",
                     "Prominence: 60 for a language with an ISO 639-1 code, 30 otherwise."])
    for r in read_csv(os.path.join(src, "misc-languages-countrycodes",
                                   "language-language-codes-full.csv")):
        names = []
        for n in r["English"].split(";"):
            n = re.sub(r"\s*\([^)]*\)", "", n).strip()
            m = re.match(r"^([^,]+), (.+)$", n)   # "Greek, Modern" -> "Modern Greek"
            if m:
                n = "%s %s" % (m.group(2), m.group(1))
            if n and not re.search(r"\b(languages|dialects|Sign|Undetermined|linguistic|"
                                   r"Multiple|Uncoded|Reserved)\b", n):
                names.append(n)
        places = sink.claimed.get("PLACE", set())
        names = [n for n in names if " " in n or key(n) not in places]  # Pangasinan
        if not names:
            continue
        code = r["alpha3-b"]
        sink.add(out, Entry(names[0], "MISC", "iso639:" + code, names[1:], 60 if r["alpha2"] else 30,
                            scope="language", **{"class": "LANGUAGE", "iso639": code}))
    return [out]
