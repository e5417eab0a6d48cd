#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Whole-word multi-string search with pyahocorasick, the baseline a Python
user would write: build an automaton from WORDS (one string a line), scan
TEXT leftmost-longest, keep the matches not preceded or followed by a word
character (letter, digit or underscore, as grep -w), and print one line per
match ("start<TAB>end<TAB>string", character offsets).

Usage: ac.py WORDS TEXT
"""
import sys

import ahocorasick


def is_word(ch):
    return ch.isalnum() or ch == "_"


def main():
    words, path = sys.argv[1], sys.argv[2]
    auto = ahocorasick.Automaton()
    with open(words, encoding="utf-8") as f:
        for line in f:
            s = line.rstrip("\n")
            if s:
                auto.add_word(s, len(s))
    auto.make_automaton()
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    n = len(text)
    out = sys.stdout
    write = out.write
    for end, length in auto.iter_long(text):
        start = end - length + 1
        if start > 0 and is_word(text[start - 1]):
            continue
        if end + 1 < n and is_word(text[end + 1]):
            continue
        write("%d\t%d\t%s\n" % (start, end + 1, text[start:end + 1]))
    out.flush()


if __name__ == "__main__":
    main()
