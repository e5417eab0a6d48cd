#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Inline output on a terminal: coloured by default, plain with NO_COLOR,
TERM=dumb or --color=never, and never carrying the input's escape sequences.
Standard output is a pseudo-terminal from Python's pty module."""
import os
import pty
import sys

ROOT = os.environ["ROOT"]
DATA = os.path.join(ROOT, "tests", "cli", "cases", "format-data", "dict.tsv")
DOC = os.path.join(os.environ["TMP"], "doc.txt")


def on_tty(env_extra, args):
    pid, fd = pty.fork()
    if pid == 0:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
        env["TERM"] = "xterm"
        env.update(env_extra)
        os.execve(os.environ["GAZTAG"], [os.environ["GAZTAG"], "tag", "--no-default-dicts",
                                         "--no-default-rules", "-d", DATA, "-f", "inline"]
                  + args + [DOC], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    return out


def main():
    with open(DOC, "wb") as f:
        f.write(b"JAXA \x1b[2J\x1b]0;title\x07 Tokyo\n")
    cases = [({}, [], True), ({"NO_COLOR": "1"}, [], False), ({"NO_COLOR": ""}, [], True),
             ({"TERM": "dumb"}, [], False), ({}, ["--color=never"], False),
             ({"NO_COLOR": "1"}, ["--color=always"], True)]
    bad = []
    for env, args, coloured in cases:
        out = on_tty(env, args)
        if (b"\x1b[1;34m[JAXA](ORG)\x1b[0m" in out) != coloured:
            bad.append(f"{env} {args}: coloured should be {coloured}: {out!r}")
        if b"\x1b[2J" in out or b"\x1b]0" in out or b"\x07" in out:
            bad.append(f"{env} {args}: raw escape sequence from the input: {out!r}")
    for b in bad:
        print(b, file=sys.stderr)
    print("ok" if not bad else "failed")
    return 1 if bad else 0


sys.exit(main())
