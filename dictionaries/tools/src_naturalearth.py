# SPDX-License-Identifier: MIT
"""Natural Earth 1:10m physical layers (public domain): seas, mountain
ranges, deserts, islands, lakes, rivers and other natural features."""

import os
import re

from srclib import Entry, read_tsv

LAYERS = [  # file, name column, alternative-name column, class
    ("ne_10m_geography_marine_polys.tsv", "name", "namealt", None),
    ("ne_10m_geography_regions_polys.tsv", "name", "namealt", None),
    ("ne_10m_geography_regions_points.tsv", "name", "name_alt", None),
    ("ne_10m_geography_regions_elevation_points.tsv", "name", "name_alt", "MOUNTAIN"),
    ("ne_10m_lakes.tsv", "name", "name_alt", "LAKE"),
    ("ne_10m_rivers_lake_centerlines.tsv", "name_en", "name_alt", "RIVER"),
    ("ne_10m_rivers_europe.tsv", "name", "name_alt", "RIVER"),
    ("ne_10m_rivers_north_america.tsv", "name_full", "name_alt", "RIVER"),
]
CLASS = {"ocean": "SEA", "sea": "SEA", "gulf": "SEA", "bay": "SEA", "strait": "SEA",
         "channel": "SEA", "sound": "SEA", "fjord": "SEA", "lagoon": "SEA", "inlet": "SEA",
         "river": "RIVER", "range/mtn": "MOUNTAIN_RANGE", "mountain": "MOUNTAIN",
         "island": "ISLAND", "island group": "ISLAND", "desert": "DESERT", "plateau": "PLATEAU",
         "pen/cape": "CAPE", "cape": "CAPE", "peninsula": "PENINSULA", "lake": "LAKE",
         "delta": "DELTA", "valley": "VALLEY", "basin": "BASIN", "plain": "PLAIN"}


def title(s):
    """Natural Earth writes marine names in capitals."""
    if not s.isupper():
        return s
    small = {"of", "and", "the", "de", "du", "la"}
    return " ".join(w.lower() if i and w.lower() in small else w.capitalize()
                    for i, w in enumerate(s.split()))


def scalerank(r):
    try:
        return float(r.get("scalerank") or 10)
    except ValueError:
        return 10.0


def build(src, sink):
    out = sink.file("places-natural.tsv", ["scalerank"],
                    ["Natural features: seas, gulfs, straits, mountain ranges and peaks, deserts,",
                     "islands, peninsulas, lakes and rivers, type PLACE, class as the feature.",
                     "Made with Natural Earth (public domain, naturalearthdata.com), 1:10m",
                     "physical vectors.  One-word names are kept only for features shown at",
                     "scale rank 4 or less, and when they are no ordinary word and, below scale",
                     "rank 3, no personal name (the Andes stay).  Prominence: 90 - 6 * scalerank",
                     "(the map scale from which Natural Earth shows the feature)."])
    base = os.path.join(src, "natural-earth-physical")
    for fn, col, altcol, fixed in LAYERS:
        for r in read_tsv(os.path.join(base, fn)):
            name = title((r.get(col) or r.get("name") or "").strip())
            if not name or not re.match(r"[A-Z]", name) or re.search(r"\d|\?", name):
                continue
            fc = (r.get("featurecla") or "").strip().lower()
            cls = fixed or CLASS.get(fc, "NATURAL_FEATURE")
            if cls == "LAKE" and fc not in ("lake", "alkaline lake", "reservoir"):
                continue
            if fc == "continent":
                continue
            al = [title(a.strip()) for a in (r.get(altcol) or "").split(";") if a.strip()]
            if re.search(r"\bMts?\.", name):  # Klamath Mts. -> Klamath Mountains
                al.insert(0, name)
                name = re.sub(r"\bMts\.", "Mountains", re.sub(r"\bMt\.", "Mount", name))
            if cls == "RIVER" and not name.endswith(("River", "Creek")) and " " not in name:
                al.append(name + " River")
            if cls == "LAKE" and not name.startswith("Lake") and " " not in name:
                al.append("Lake " + name)
            if " " not in name and scalerank(r) > 4:
                continue  # small features with one-word names: Azna, Indigo
            prom = int(max(10, 90 - 6 * scalerank(r)))
            nid = "naturalearth:%s/%s" % (cls.lower(), re.sub(r"\W+", "-", name.lower()).strip("-"))
            sink.add(out, Entry(name, "PLACE", nid, al, prom,
                                **{"class": cls, "scalerank": str(int(scalerank(r)))}))
    return [out]
