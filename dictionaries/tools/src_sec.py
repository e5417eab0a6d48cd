# SPDX-License-Identifier: MIT
"""SEC EDGAR company_tickers_exchange.json (US government work, public
domain): companies listed in the United States.  EDGAR's conformed names
("AMAZON COM INC", "BANK OF AMERICA CORP /DE/") are rewritten the way news
writes them, and legal suffixes become aliases; funds, trusts and blank-cheque
companies are left out."""

import json
import math
import os
import re

from srclib import Entry

SUFFIX = re.compile(r"(?:,?\s+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|plc|llc|"
                    r"l\.?p|lp|n\.?v|s\.?a|se|ag|sa|nv|ab|asa|oyj|spa|s\.p\.a|holdings?|hldgs|"
                    r"cos|companies|the)\.?)+$", re.I)
STATE_TAG = re.compile(r"\s*/[A-Z ]*/?\s*$|\s*/\s*$")
FUNDLIKE = re.compile(r"\b(fund|funds|trust|etf|etn|portfolio|acquisition|acquisitions|capital corp|"
                      r"income|municipal|shares|proshares|ishares|bdc|spac|royalty|notes|"
                      r"warrants?|units?|preferred|depositary|ishares|blank check)\b", re.I)
LEGAL = {"inc": "Inc.", "corp": "Corp.", "co": "Co.", "ltd": "Ltd", "plc": "plc", "llc": "LLC",
         "lp": "LP", "nv": "N.V.", "sa": "S.A.", "ag": "AG", "se": "SE"}
SMALL = {"of", "and", "the", "for", "in", "on", "at", "to", "de", "&"}


def tidy(name, screen):
    """EDGAR capitals -> news form; names already in mixed case stay."""
    name = STATE_TAG.sub("", name.strip())
    name = re.sub(r"\s+COM\b", ".com", name) if name.isupper() else name
    if name.isupper():
        words = []
        for i, w in enumerate(name.split()):
            lw = w.lower()
            if i > 0 and lw in SMALL:
                words.append(lw)
            elif lw.rstrip(".,") in LEGAL:
                words.append(LEGAL[lw.rstrip(".,")] + w[len(lw.rstrip(".,")):])
            elif re.fullmatch(r"\d+(ST|ND|RD|TH)", w):
                words.append(w.lower())  # 1ST Source -> 1st Source
            elif re.search(r"\d", w):
                words.append(w)  # 3M
            elif len(w) <= 3 and w.isalpha() and not screen.is_word(lw):
                words.append(w)  # IBM, AMD, CVS
            else:
                words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
        name = " ".join(words)
    else:
        # "3i GROUP": a capitalised ordinary word inside a mixed-case name
        name = " ".join(w.capitalize() if w.isupper() and len(w) >= 4 and screen.is_word(w.lower())
                        else w for w in name.split())
    return name


def build(src, sink):
    out = sink.file("orgs-companies-sec.tsv", ["ticker", "exchange", "cik"],
                    ["Companies listed in the United States, type ORG, class COMPANY.  Source:",
                     "SEC EDGAR company_tickers_exchange.json (a work of the US government,",
                     "public domain).  Names rewritten from EDGAR's capitals; legal suffixes",
                     "(Inc, Corp, plc ...) are aliases.  Funds, trusts and blank-cheque companies",
                     "are left out.  Prominence: from the rank in the file, which follows market",
                     "value: 90 - 15 * log10(rank), 10 less over the counter."])
    data = json.load(open(os.path.join(src, "sec-company-tickers", "company_tickers_exchange.json"),
                          encoding="utf-8"))
    seen = set()
    for rank, (cik, raw, ticker, exch) in enumerate(data["data"], 1):
        if cik in seen:
            continue
        seen.add(cik)
        if FUNDLIKE.search(raw):
            continue
        full = tidy(raw, sink.screen)
        full = re.sub(r"\.\.$", ".", re.sub(r",?\s+Inc\.?$", " Inc.", full))
        short = SUFFIX.sub("", full).strip(" ,.&")
        if not short or len(short) < 2:
            continue
        prom = int(max(10, 90 - 15 * math.log10(rank))) - (10 if exch in ("OTC", "", None) else 0)
        sink.add(out, Entry(short, "ORG", "cik:%d" % cik, [full] if full != short else [], max(0, prom),
                            country="",
                            **{"class": "COMPANY", "ticker": ticker or "", "exchange": exch or "",
                               "cik": str(cik)}))
    return [out]
