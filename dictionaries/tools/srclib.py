# SPDX-License-Identifier: MIT
"""Shared machinery of the per-source builders (src_*.py).

Each builder turns one source folder into entries.  Entries go through an
`Entry` object and a `Sink`, which apply the same three decisions to every
source:

* the precision screen (`Screen.case_for`): which names may enter, and with
  which case policy, so that a name cannot fire on ordinary prose;
* prominence: a number from 0 to 100 the builder derives from its source,
  kept as the `prominence` attribute and turned into `priority`;
* merging: an entry with the same Wikidata id as an earlier one, or the same
  name, type and country, is folded into the earlier one (its names become
  aliases there), so the earlier id stays.
"""

import collections
import csv
import math
import os
import re

from build import Out, GEN_NOTE, clean, key, split_aliases, is_latin, strip_marks

# Columns every new file carries, in this order; builders may add more.
BASE_COLUMNS = ["name", "type", "id", "aliases", "case", "priority", "prominence",
                "class", "country"]

INITIALS = re.compile(r"^(?:[A-Z]\.?\s*)+$")
PLACEHOLDER = re.compile(r"\b(other|others|independents?|unknown|n/?a|none|various|"
                         r"not applicable|miscellaneous|test|placeholder)\b", re.I)


def priority_of(prominence):
    """Bundled priorities before the shift of build.py (countries 30, cities
    5-15, subdivisions 3-10): an entry from the open sources ranks from 0 to
    10 by prominence, so it never outranks a country, a hand-written entry or
    a large city of the same name, and among themselves the more prominent
    wins."""
    return str(max(0, min(10, int(prominence) // 10)))


def log_prominence(n, scale=10.0, cap=100):
    """10 points per power of ten: a population of a million is 60."""
    if not n or n <= 0:
        return 0
    return int(min(cap, scale * math.log10(n + 1)))


def read_csv(path, **kw):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, **kw))


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


class Screen:
    """Decides whether a name may enter, and with which case policy."""

    def __init__(self, stop, brown, common_words_path, personal=frozenset(), wordnet=None):
        self.stop, self.brown = stop, brown
        self.personal = personal
        self.org_heads = set()
        with open(os.path.join(os.path.dirname(common_words_path), "rule-classes.tsv"),
                  encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) > 1 and p[1] == "_org_suffix":
                    self.org_heads.add(p[0].lower())
        self.wordnet = wordnet or {}
        self.common = set()
        with open(common_words_path, encoding="utf-8") as f:
            for line in f:
                w = line.strip()
                if w and not w.startswith("#"):
                    self.common.add(w)

    def is_word(self, w):
        """An ordinary lower-case English word (Brown corpus)."""
        lw = w.lower()
        if lw in self.common:
            return True
        return self.brown.ok and self.brown.lc[lw] >= 3 and self.brown.lc[lw] >= self.brown.cap[lw]

    def case_for(self, name, typ, scope="org", person=False, alias=False, acronyms=False,
                 prominence=0):
        """'' (smart), 'exact', or None (left out) for NAME."""
        name = name.strip()
        if not name or not any(c.isalpha() for c in name):
            return None
        if INITIALS.match(name.replace(" ", "")) and "." in name:
            return None  # J. R., A.B.C.
        act = self.stop.action(name, scope)
        if act == "drop":
            return None
        bare = re.sub(r"[\s\-.&]", "", name)
        if bare.isupper() and bare.isalpha() and not person:
            # an acronym however written (PL-A, U.N.)
            if self.stop.action(bare, scope) == "drop":
                return None
            return "" if acronyms and len(bare) >= 3 and not self.is_word(bare.lower()) else None
        words = [w for w in re.split(r"[\s\-]+", name) if w]
        if len(words) == 2 and words[0] == "The" and not person:
            words = words[1:]  # The Express: as the word alone
        letters = sum(c.isalpha() for c in name)
        if letters < 3:
            return None  # SF, H: initials fire everywhere
        if len(words) == 1:
            if act == "keep":
                return ""
            if person:
                return None  # Deco, Henrique: a given name or surname alone
            w = words[0].strip("'.,")
            lw = w.lower()
            if w.isupper():
                # an acronym only where the source is the authority on it
                return "" if acronyms and not self.is_word(lw) else None
            if alias:
                return None  # Galway for a club, Euro for a tournament
            # a one-word name that is written in lower case at all, or is a
            # personal name, or another kind of proper noun (Kant) fires on
            # ordinary prose and names even in exact case
            if self.is_word(w) or (self.brown.ok and self.brown.lc[lw] > 0):
                return None
            if lw in self.personal and not (typ == "PLACE" and prominence >= 75):
                return None  # but the Andes are the Andes
            kind = self.wordnet.get(lw)
            if kind and kind != WN_KIND.get(typ, kind):
                return None
            return ""
        bare = "".join(words).lower()
        if not person and (bare in self.personal or self.is_word(bare)
                           or (self.brown.ok and self.brown.lc[bare] > 0)):
            return None  # "Al Ain" is also found as "Alain"
        kind = self.wordnet.get(name.lower())
        if alias and kind and kind != WN_KIND.get(typ, kind):
            return None  # "New England" for a club is the region first
        if all(self.is_word(w) for w in words if w.lower() not in SMALL_WORDS):
            # "Will Power", "Social Credit": every part an ordinary word; an
            # organisation keeps such a name only when it ends in a word that
            # names a body (National Park Service, Access Board) or when it is
            # well known (Golden State Warriors)
            if alias or (typ == "ORG" and words[-1].lower() not in self.org_heads
                         and prominence < 70):
                return None
            if typ in ("PLACE", "MISC") and prominence < 60:
                return None  # National Park (a town), Blue Ridge is well known
            return "exact"
        return ""


SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "at", "de", "&"}
WN_KIND = {"PERSON": "PERSON", "PLACE": "LOCATION", "ORG": "ORGANIZATION"}


class Entry:
    """One entity before screening: a main name, aliases and attributes."""

    def __init__(self, name, typ, eid, aliases=(), prominence=0, wikidata="", country="",
                 person=False, scope="org", acronyms=False, merge_within=False, **attrs):
        self.name = clean(name)
        self.type = typ
        self.id = eid
        self.aliases = [clean(a) for a in aliases if a and clean(a)]
        self.prominence = int(prominence)
        self.wikidata = wikidata or ""
        self.country = country or ""
        self.person = person
        self.scope = scope
        self.acronyms = acronyms
        self.merge_within = merge_within
        self.attrs = attrs


class Sink:
    """Everything the builders produce in one run: files, the merge index and
    the names of the hand-written dictionaries (which win)."""

    def __init__(self, screen, hand):
        self.screen, self.hand = screen, hand
        self.by_qid = {}
        self.by_ntc = {}
        self.by_id = {}
        self.claimed = {}       # names of the new entries by type
        self.existing = set()   # names of the files built before the open sources
        self.outs = []
        self.stats = collections.OrderedDict()

    def index_existing(self, out):
        """Register the rows of a file built earlier so that new entries for
        the same entity merge into it and its ids stay."""
        for r in out.rows:
            qid = r.get("wikidata", "")
            if qid and qid.startswith("Q"):
                self.by_qid.setdefault(qid, r)
            # rows of a file without a country column merge on name and type
            cc = r.get("country", "") or "*"
            for n in [r["name"]] + split_aliases(r.get("aliases", "")):
                self.by_ntc.setdefault((key(n), r.get("type", ""), cc), r)
                self.existing.add(squash(n))

    def reserve(self, names):
        """Names of hand-written files: a new entry never takes them."""
        self.existing |= {k.replace(" ", "") for k in names}

    def file(self, fname, extra_columns, comments):
        out = Out(fname, BASE_COLUMNS + list(extra_columns), [GEN_NOTE + "."] + comments)
        self.outs.append(out)
        self.stats[fname] = collections.Counter()
        return out

    def add(self, out, e):
        st = self.stats[out.fname]
        st["seen"] += 1
        names = [e.name] + [a for a in e.aliases]
        # same entity already known (same Wikidata id, or same name, type and
        # country): its names become aliases of the earlier row
        target = self.by_id.get(e.id)
        if target is None and e.wikidata:
            target = self.by_qid.get(e.wikidata)
        if target is None and e.country:
            t = self.by_ntc.get((key(e.name), e.type, e.country))
            # a club named like the university it belongs to stays apart, and
            # so do two entries of one source (two senators called John Smith,
            # the counties called Orange County) unless the source lists one
            # entity several times (Party Facts: Sinn Féin in three countries)
            if t is not None and t.get("class", "") in ("", e.attrs.get("class", "")) \
                    and (e.merge_within or t.get("_file") != out.fname):
                target = t
        if target is None and not e.person:
            # a row of a file without a country: only the same kind of thing
            t = self.by_ntc.get((key(e.name), e.type, "*"))
            if t is not None and t.get("class", "") == e.attrs.get("class", ""):
                target = t
        hand = self.hand.get(e.type, set())
        if key(e.name) in hand:
            st["hand-written"] += 1
            return None
        smart, exact = [], []
        seen = set()
        for n in names:
            k = key(n)
            if k in seen or k in hand or not is_latin_or_known(n):
                continue
            if target is None and squash(n) in self.existing:
                # a name the bundled set already gives to another entry stays
                # with it: no new alternatives on today's mentions
                st["name taken"] += 1
                continue
            seen.add(k)
            c = self.screen.case_for(n, e.type, e.scope, e.person, alias=bool(smart or exact),
                                     acronyms=e.acronyms, prominence=e.prominence)
            if c is not None and " " not in n and e.type != "PLACE" and e.prominence < 50 \
                    and self.screen.stop.action(n, e.scope) != "keep":
                c = None  # a one-word name only for a well-known entry (Samsara)
            if c is None:
                st["name screened out"] += 1
                continue
            (exact if c == "exact" else smart).append(n)
        # a diacritic-free spelling of a multi-word name (Mbappe)
        for n in list(smart):
            s = strip_marks(n)
            if s != n and " " in n and key(s) not in seen:
                seen.add(key(s))
                smart.append(s)
        if target is not None:
            known = {key(target["name"])} | {key(a) for a in split_aliases(target.get("aliases", ""))}
            add = [n for n in smart if key(n) not in known and squash(n) not in self.existing]
            if add and target.get("case", "") != "exact":
                target["aliases"] = "|".join(split_aliases(target.get("aliases", "")) + add)
            if e.country:
                for n in smart + exact:
                    self.by_ntc.setdefault((key(n), e.type, e.country), target)
            if e.wikidata and not target.get("wikidata") and "wikidata" in out.columns:
                target["wikidata"] = e.wikidata
            st["merged"] += 1
            return target
        rows = []
        for case, group in (("", smart), ("exact", exact)):
            if not group:
                continue
            row = {"name": group[0], "type": e.type, "id": e.id,
                   "aliases": "|".join(group[1:]), "case": case,
                   "priority": priority_of(e.prominence), "prominence": str(e.prominence),
                   "country": e.country, "wikidata": e.wikidata}
            row.update({k: ("" if v is None else str(v)) for k, v in e.attrs.items()})
            row["_file"] = out.fname
            out.rows.append(row)
            rows.append(row)
        if not rows:
            st["left out"] += 1
            return None
        st["kept"] += 1
        first = rows[0]
        for n in smart + exact:
            self.claimed.setdefault(e.type, set()).add(key(n))
        self.by_id.setdefault(e.id, first)
        if e.wikidata:
            self.by_qid.setdefault(e.wikidata, first)
        if e.country:
            for n in smart + exact:
                self.by_ntc.setdefault((key(n), e.type, e.country), first)
        return first


def squash(n):
    """The key under which the tagger cannot tell names apart: hyphen, space
    or nothing between parts are the same (PL-A, PLA)."""
    return key(n).replace(" ", "")


def wordnet_kinds(src):
    """Lower-cased one-word WordNet proper nouns -> PERSON, LOCATION, ..."""
    kinds = {}
    path = os.path.join(src, "wordnet", "wordnet30_proper_nouns.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < 2:
                continue
            kind = p[1].replace("LOCATION_NATURAL", "LOCATION")
            for n in [p[0]] + (p[3].split("|") if len(p) > 3 and p[3] else []):
                kinds.setdefault(n.lower(), kind)
    return kinds


def is_latin_or_known(n):
    return is_latin(n)


def iso3_to_2(src):
    """ISO 3166 alpha-3 -> alpha-2, from the GeoNames country table."""
    m = {}
    with open(os.path.join(src, "geonames", "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            m[p[1]] = p[0]
    return m


def country_names_to_2(src):
    """English country names (GeoNames) -> alpha-2."""
    m = {}
    with open(os.path.join(src, "geonames", "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            m[key(p[4])] = p[0]
    return m


def cc_id(cc):
    return ("iso3166:" + cc) if cc else ""


def qid_from(s):
    m = re.search(r"(Q\d+)", s or "")
    return m.group(1) if m else ""


def yield_to_places(sink):
    """A name that a new PLACE entry has is taken from the organisations and
    people of the new files (Alameda County the county, not its government;
    Wiener Neustadt the town, not the club): an entry that loses its main
    name takes its first alias, or goes."""
    places = set()
    for out in sink.outs:
        for r in out.rows:
            if r.get("type") == "PLACE":
                places.add(squash(r["name"]))
                places |= {squash(a) for a in split_aliases(r.get("aliases", ""))}
    for out in sink.outs:
        kept = []
        for r in out.rows:
            if r.get("type") == "PLACE":
                kept.append(r)
                continue
            names = [n for n in [r["name"]] + split_aliases(r.get("aliases", ""))
                     if squash(n) not in places]
            if not names:
                sink.stats[out.fname]["yielded to a place"] += 1
                continue
            r["name"], r["aliases"] = names[0], "|".join(names[1:])
            kept.append(r)
        out.rows = kept


def personal_names(src, dict_dir, surname_rank=20000, min_births=1000):
    """Lower-case common personal names: US census surnames up to SURNAME_RANK,
    SSA given names with at least MIN_BIRTHS births, and given-names.tsv.  A
    one-word place name among them (Lincoln, Florence) reads as a person too
    often to enter."""
    names = set()
    with open(os.path.join(src, "us-census-names", "census1990-dist.all.last"), encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 4 and int(p[3]) <= surname_rank:
                names.add(p[0].lower())
    for r in read_tsv(os.path.join(src, "us-ssa-babynames", "ssa-national-1880-2023-aggregated.tsv")):
        if int(r["total_count"]) >= min_births:
            names.add(r["name"].lower())
    with open(os.path.join(dict_dir, "given-names.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                names.add(line.split("\t")[0].lower())
    return names


__all__ = ["Screen", "Entry", "Sink", "priority_of", "log_prominence", "read_csv", "read_tsv",
           "iso3_to_2", "country_names_to_2", "cc_id", "qid_from", "split_aliases", "key",
           "clean", "strip_marks"]
