#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check the structure of gaztag's HTML page with Python's html.parser.

The page for two corpus articles and a hostile document must be one
well-nested, self-contained page: no script, no external resource, one
section per document with its heading, every mention a <mark> with the type,
canonical name and id in its title, a legend of the types and a table of the
most frequent entities; the hostile document's markup must arrive as text.
"""
import os
import subprocess
import sys
from html.parser import HTMLParser

ROOT = os.environ["ROOT"]
TMP = os.environ["TMP"]
DATA = os.path.join(ROOT, "tests", "cli", "cases", "format-data")
VOID = {"meta", "br", "img", "link", "input", "hr"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems = [], []
        self.sections, self.h2, self.marks, self.rows, self.legend = 0, [], [], 0, []
        self.text_in = {}
        self.current_mark = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" or "src" in a or (tag == "link") or \
                any(v and ("http:" in v or "https:" in v or "//" in v) for v in a.values()):
            self.problems.append(f"external or active content: <{tag} {attrs}>")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"event handler on <{tag}>")
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "section":
            self.sections += 1
        if tag == "mark":
            self.current_mark = [a.get("title", ""), a.get("class", ""), ""]
        if tag == "tr" and "tbody" in self.stack:
            self.rows += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "mark" and self.current_mark:
            if "ul" in self.stack:
                self.legend.append(self.current_mark[2])
            elif "section" in self.stack:
                self.marks.append(tuple(self.current_mark))
            self.current_mark = None

    def handle_data(self, data):
        if self.current_mark is not None:
            self.current_mark[2] += data
        if self.stack and self.stack[-1] == "h2" and "section" in self.stack:
            self.h2.append(data)
        if "section" in self.stack:
            self.text_in.setdefault("section", []).append(data)


def main():
    hostile = os.path.join(TMP, "hostile.txt")
    with open(hostile, "wb") as f:
        f.write(b"<script>alert(1)</script> JAXA & <b>Tokyo</b> \"q\" 'a' \x01\xff "
                b"<img src=x onerror=alert(2)>\n")
    r = subprocess.run([os.environ["GAZTAG"], "tag", "--no-default-dicts", "--no-default-rules",
                        "-d", os.path.join(DATA, "dict.tsv"), "-f", "html",
                        "corpus/cyber-attack-space-agency.txt", "corpus/japanese-news.txt",
                        hostile], cwd=ROOT, stdout=subprocess.PIPE, check=True)
    html = r.stdout.decode("utf-8")  # strict: the page is valid UTF-8
    assert html.startswith("<!DOCTYPE html>\n"), html[:40]
    p = Page()
    p.feed(html)
    p.close()
    problems = p.problems[:]
    if p.stack:
        problems.append(f"unclosed: {p.stack}")
    if p.sections != 3:
        problems.append(f"{p.sections} sections, expected 3")
    if p.h2 != ["corpus/cyber-attack-space-agency.txt", "corpus/japanese-news.txt", hostile]:
        problems.append(f"headings {p.h2}")
    text = "".join(p.text_in.get("section", []))
    if "<script>alert(1)</script>" not in text or "<img src=x onerror=alert(2)>" not in text:
        problems.append("the hostile markup is not shown as text")
    for title, cls, surface in p.marks:
        parts = title.split(" \u00b7 ")
        if len(parts) != 3 or not cls.startswith("c") or not surface:
            problems.append(f"mark without type, name and id: {title!r} {cls!r} {surface!r}")
    if ("ORG \u00b7 Japan Aerospace Exploration Agency \u00b7 gaztag:jaxa", "c1", "JAXA") \
            not in p.marks:
        problems.append("no JAXA mark")
    if sorted(p.legend) != ["ORG", "PERSON", "PLACE"] and sorted(p.legend) != \
            ["KEYWORD", "ORG", "PERSON", "PLACE"]:
        problems.append(f"legend {p.legend}")
    if p.rows < 5:
        problems.append(f"{p.rows} rows in the frequency table")
    if len(p.marks) < 40:
        problems.append(f"only {len(p.marks)} marks")
    for q in problems:
        print(q, file=sys.stderr)
    print("ok" if not problems else "failed")
    return 1 if problems else 0


sys.exit(main())
