#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hang guard: gaztag over adversarial inputs must finish and tag them whole.

For each input of tests/stress/inputs.py (SIZE bytes, default 1 MB) the
same command is first run on the same amount of ordinary text (the Brown
corpus from ../shared, else the sample corpus repeated); the adversarial run
then gets a timeout of FACTOR (default 20) times that time, with a floor of
FLOOR seconds so that a busy machine does not fail a case that is merely
slow.  A case passes when gaztag exits 0 within the timeout with nothing on
stderr: a document tagged only in part (a rule that hit its limit) is a
failure here, since ordinary text of any shape must be tagged whole.

This is a guard against hangs and blow-ups, not a benchmark: the throughput
of each input against ordinary text is printed by `make bench`.

Usage: run.py --gaztag PATH [--size BYTES] [--factor N] [--floor S] [NAME...]
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ordinary_text(size):
    brown = os.path.join(os.path.dirname(ROOT), "shared", "data", "bench", "brown", "brown.txt")
    if os.path.exists(brown):
        return inputs.ordinary(brown, size)
    parts = []
    for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt"))):
        with open(p, "rb") as f:
            parts.append(f.read())
    return inputs.repeat_to(b"\n\n".join(parts), size)


def run(binary, args, path, timeout):
    env = dict(os.environ, GAZTAG_DATA=os.path.join(ROOT, "dictionaries"), LC_ALL="C.UTF-8")
    t0 = time.monotonic()
    try:
        r = subprocess.run([binary, "tag"] + args + [path], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, time.monotonic() - t0
    return r.returncode, r.stderr, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaztag", required=True)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--factor", type=float, default=20.0)
    ap.add_argument("--floor", type=float, default=10.0)
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    binary = os.path.abspath(args.gaztag)
    names = args.names or list(inputs.INPUTS)
    failed, passed = [], 0
    with tempfile.TemporaryDirectory(prefix="gaztag-stress-") as tmp:
        plain = os.path.join(tmp, "ordinary.txt")
        with open(plain, "wb") as f:
            f.write(ordinary_text(args.size).replace(b"\n", b" ") + b"\n")
        base = {}
        for name in names:
            gen, extra = inputs.INPUTS[name]
            key = tuple(a for a in extra if not a.startswith("--input"))
            if key not in base:
                rc, err, t = run(binary, list(key), plain, None)
                base[key] = t
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(gen(args.size))
            limit = max(args.factor * base[key], args.floor)
            rc, err, t = run(binary, extra, path, limit)
            if rc is None:
                failed.append(f"{name}: no result after {t:.1f} s (ordinary text: {base[key]:.2f} s)")
            elif rc != 0 or err:
                failed.append(f"{name}: exit {rc}, stderr: {err.decode('utf-8', 'replace')[:500]}")
            else:
                passed += 1
            os.unlink(path)
    for f in failed:
        print("FAIL " + f, file=sys.stderr)
    print(f"stress: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
