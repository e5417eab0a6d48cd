#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Render gaztag's HTML page in headless Chromium and check the screenshot.

The page must paint: dark text, and the highlight colours of the ORG and
PLACE mentions over a fair number of pixels.  A blank or unstyled page
fails.  The PNG is decoded with zlib alone.
"""
import os
import struct
import subprocess
import sys
import zlib

ROOT, TMP = os.environ["ROOT"], os.environ["TMP"]
DATA = os.path.join(ROOT, "tests", "cli", "cases", "format-data")


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ft, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    page = os.path.join(TMP, "page.html")
    with open(page, "wb") as f:
        subprocess.run([os.environ["GAZTAG"], "tag", "--no-default-dicts", "--no-default-rules",
                        "-d", os.path.join(DATA, "dict.tsv"), "-f", "html",
                        "corpus/cyber-attack-space-agency.txt"], cwd=ROOT, stdout=f, check=True)
    shot = os.path.join(TMP, "shot.png")
    subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--hide-scrollbars",
                    "--user-data-dir=" + os.path.join(TMP, "profile"),
                    "--window-size=1200,1000", "--screenshot=" + shot, "file://" + page],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=True)
    w, h, bpp, rows = read_png(shot)
    wanted = {"ORG": (0xbc, 0xd7, 0xf5), "PLACE": (0xc4, 0xec, 0xc4)}
    counts = {k: 0 for k in wanted}
    dark = 0
    for line in rows:
        for x in range(0, w * bpp, bpp):
            px = (line[x], line[x + 1], line[x + 2])
            if sum(px) < 200:
                dark += 1
            for k, c in wanted.items():
                if all(abs(px[j] - c[j]) <= 6 for j in range(3)):
                    counts[k] += 1
    problems = []
    if dark < 2000:
        problems.append(f"only {dark} dark pixels: no text painted")
    for k, n in counts.items():
        if n < 500:
            problems.append(f"only {n} pixels of the {k} highlight")
    for q in problems:
        print(q, file=sys.stderr)
    print("ok" if not problems else "failed")
    return 1 if problems else 0


sys.exit(main())
