#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interactive behaviour of 'gaztag tag' that golden files cannot show.

- With --input=lines from a pipe that stays open, each line's rows come
  out before the next line is awaited (the output is flushed when the
  input would block).
- SIGINT and SIGTERM stop a run at a record boundary: the rows already
  rendered are written, the output never ends inside a row, and the exit
  status is 130 or 143.

No test measures time: the only timeout is a generous hang guard.
"""
import argparse
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUARD = 60.0  # seconds: a hang guard, not a measurement
HEADER = b"doc\tstart\tend\ttext\ttype\tid\tname\tsource\talternatives\n"


class Failure(Exception):
    pass


def start(gaztag, dict_path, *args):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    return subprocess.Popen(
        [gaztag, "tag", "--no-default-dicts", "--no-default-rules", "-d", dict_path, *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def read_until(p, got, needle):
    """Read p's stdout into got until needle appears (or fail after GUARD)."""
    fd = p.stdout.fileno()
    while needle not in got:
        r, _, _ = select.select([fd], [], [], GUARD)
        if not r:
            raise Failure(f"no {needle!r} on stdout within {GUARD} s; "
                          f"{len(got)} bytes, ending {bytes(got[-120:])!r}")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise Failure(f"stdout ended before {needle!r}; {len(got)} bytes, "
                          f"ending {bytes(got[-120:])!r}")
        got += chunk


def finish(p, got):
    """Read the rest of stdout and stderr; return (status, stdout, stderr).
    Standard input is left as it is (open or closed) until the run ends."""
    stdin, p.stdin = p.stdin, None
    try:
        out, err = p.communicate(timeout=GUARD)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise Failure("the run did not end")
    finally:
        stdin.close()
    return p.returncode, bytes(got) + out, err


def rows_whole(out):
    if not out.endswith(b"\n"):
        raise Failure(f"output ends inside a row: {out[-80:]!r}")
    for line in out.split(b"\n")[:-1]:
        if line.count(b"\t") != 8:
            raise Failure(f"a cut row: {line!r}")


def test_lines_flushed_per_line(gaztag, d):
    p = start(gaztag, d, "--input", "lines")
    got = bytearray()
    for i, place in enumerate([b"Tokyo", b"Japan", b"Tokyo"]):
        p.stdin.write(b"n%d\tIn %s.\n" % (i, place))
        p.stdin.flush()
        read_until(p, got, b"n%d\t3\t8\t%s" % (i, place))
    p.stdin.close()
    status, out, err = finish(p, got)
    if status != 0 or err:
        raise Failure(f"status {status}, stderr {err!r}")
    rows_whole(out)


def test_signal_stops_lines(gaztag, d, sig, code):
    p = start(gaztag, d, "--input", "lines")
    got = bytearray()
    data = b"".join(b"n%d\tTokyo and Japan\n" % i for i in range(20000))
    feeder = threading.Thread(target=lambda: (p.stdin.write(data), p.stdin.flush()))
    feeder.start()   # the output is read meanwhile: neither pipe fills up
    read_until(p, got, b"n19999\t")
    feeder.join()
    p.send_signal(sig)
    status, out, err = finish(p, got)
    if status != code:
        raise Failure(f"status {status}, expected {code}; stderr {err!r}")
    rows_whole(out)
    lines = out.count(b"\n")
    if lines != 40001 or err:
        raise Failure(f"{lines} lines (expected 40001), stderr {err!r}")


def test_signal_stops_text_from_stdin(gaztag, d, sig, code):
    p = start(gaztag, d)
    got = bytearray()
    p.stdin.write(b"Tokyo ")
    p.stdin.flush()
    read_until(p, got, HEADER)
    p.send_signal(sig)
    status, out, err = finish(p, got)
    if status != code or out != HEADER or err:
        raise Failure(f"status {status} (expected {code}), stdout {out!r}, stderr {err!r}")


def test_signal_stops_busy_run(gaztag, d, tmp, sig, code):
    # a folder of files, and a pipe that never ends: the run cannot finish
    # before the signal, whatever the machine's speed
    folder = os.path.join(tmp, "many")
    os.makedirs(folder, exist_ok=True)
    for i in range(200):
        with open(os.path.join(folder, "%03d.txt" % i), "w") as f:
            f.write("Tokyo and Japan. " * 2000)
    p = start(gaztag, d, "-j", "2", folder, "-")
    got = bytearray()
    read_until(p, got, b"many/000.txt\t")
    p.send_signal(sig)
    status, out, err = finish(p, got)
    if status != code or err:
        raise Failure(f"status {status} (expected {code}), stderr {err!r}")
    rows_whole(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaztag", default=os.path.join(ROOT, "gaztag"))
    args = ap.parse_args()
    gaztag = os.path.abspath(args.gaztag)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="gaztag-signals-") as tmp:
        d = os.path.join(tmp, "dict.tsv")
        with open(d, "w") as f:
            f.write("name\ttype\nTokyo\tPLACE\nJapan\tPLACE\n")
        tests = [
            ("lines_flushed_per_line", lambda: test_lines_flushed_per_line(gaztag, d)),
            ("sigint_stops_lines", lambda: test_signal_stops_lines(gaztag, d, signal.SIGINT, 130)),
            ("sigterm_stops_lines", lambda: test_signal_stops_lines(gaztag, d, signal.SIGTERM, 143)),
            ("sigint_stops_text_from_stdin",
             lambda: test_signal_stops_text_from_stdin(gaztag, d, signal.SIGINT, 130)),
            ("sigterm_stops_busy_run",
             lambda: test_signal_stops_busy_run(gaztag, d, tmp, signal.SIGTERM, 143)),
        ]
        for name, fn in tests:
            try:
                fn()
            except Failure as e:
                failed += 1
                print(f"FAIL {name}: {e}", file=sys.stderr)
    print(f"signals: {len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
