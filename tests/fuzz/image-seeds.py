#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the seed inputs of fuzz_image (tests/fuzz/corpus/image/) with the
gaztag of this build: an image is only opened by the gaztag and image format
that wrote it, so the seeds are written again whenever either changes.

  tests/fuzz/image-seeds.py GAZTAG

seed-small   a dictionary with aliases, attributes, a keyword and a class list
seed-fold    the same, compiled with --fold-diacritics
seed-empty   a dictionary with no rows
seed-truncated  the first 500 bytes of seed-small
oom-attr-count  seed-small whose first entry claims 2^31 - 1 attributes (the
             loader once tried to allocate them all)
"""
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus", "image")
DICT = ("name\ttype\tid\taliases\tcountry\n"
        "Tokyo\tPLACE\tt:tokyo\tTōkyō|東京\tJP\n"
        "Japan Aerospace Exploration Agency\tORG\tt:jaxa\tJAXA|宇宙航空研究開発機構\tJP\n"
        "Katsunobu Kato\tPERSON\tt:kato\t\tJP\n"
        "cyber-attack\tKEYWORD\tt:cyber\t\t\n"
        "Agency\t_org_suffix\t\t\t\n"
        "Łódź\tPLACE\tt:lodz\tLodz\tPL\n")
ENTRIES, HEADER, SECTION = 3, 80, 24


def compile_image(gaztag, text, out, *extra):
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "places.tsv")
        with open(d, "w", encoding="utf-8") as f:
            f.write(text)
        env = dict(os.environ, GAZTAG_DATA=os.path.join(ROOT, "dictionaries"))
        subprocess.run([gaztag, "compile", "--no-default-dicts", "-d", d, "-o", out, *extra],
                       check=True, env=env)


def main():
    gaztag = os.path.abspath(sys.argv[1])
    small = os.path.join(OUT, "seed-small")
    compile_image(gaztag, DICT, small)
    compile_image(gaztag, DICT, os.path.join(OUT, "seed-fold"), "--fold-diacritics")
    compile_image(gaztag, "name\ttype\n", os.path.join(OUT, "seed-empty"))
    data = bytearray(open(small, "rb").read())
    open(os.path.join(OUT, "seed-truncated"), "wb").write(data[:500])
    # the entries section of the table of contents: kind, rec_size, offset, count
    kind, size, offset, count = struct.unpack_from("=IIQQ", data, HEADER + ENTRIES * SECTION)
    assert kind == ENTRIES and count > 0
    struct.pack_into("=I", data, offset + 16, 0x7FFFFFFF)   # gz_entry.n_attrs
    open(os.path.join(OUT, "oom-attr-count"), "wb").write(data)


if __name__ == "__main__":
    main()
