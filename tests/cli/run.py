#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run gaztag's CLI golden cases.

Each case is a folder under tests/cli/cases/ holding:
  cmd              a shell command (sh -c), run from the repository root, with
                   $GAZTAG (the binary), $ROOT, $SHARED (../shared) and $TMP
                   (an empty scratch folder) set, and GAZTAG_DATA pointing at
                   the repository's dictionaries/
  stdin            optional: fed to standard input (else /dev/null)
  expected.stdout  optional: compared byte for byte
  expected.stderr  optional: compared byte for byte
  expected.status  the expected exit code (default 0)
  skip-if          optional: a shell command; the case is skipped when it exits 0
  slow             optional marker: left out of --quick runs

Under --valgrind, --quick runs the cases listed in tests/cli/valgrind-quick.txt.

GAZTAG_UPDATE=1 rewrites the expected files from the actual results; review
the rewrite as a diff before committing it.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "tests", "cli", "cases")


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaztag", default=os.path.join(ROOT, "gaztag"))
    ap.add_argument("--valgrind", action="store_true",
                    help="run the binary under valgrind (errors fail the case)")
    ap.add_argument("--quick", action="store_true", help="skip cases marked slow")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("names", nargs="*", help="run only these cases")
    args = ap.parse_args()

    binary = os.path.abspath(args.gaztag)
    update = os.environ.get("GAZTAG_UPDATE") == "1"
    names = args.names or sorted(os.listdir(CASES))
    if args.quick and args.valgrind and not args.names:
        # under valgrind, --quick means the representative list
        with open(os.path.join(ROOT, "tests", "cli", "valgrind-quick.txt")) as f:
            names = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    scratch = tempfile.mkdtemp(prefix="gaztag-cli-")
    wrapper = binary
    if args.valgrind:
        wrapper = os.path.join(scratch, "gaztag-valgrind")
        with open(wrapper, "w") as f:
            supp = os.path.join(ROOT, "tests", "valgrind.supp")
            f.write("#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full "
                    "--errors-for-leak-kinds=definite --show-leak-kinds=definite "
                    f"--suppressions='{supp}' '{binary}' \"$@\"\n")
        os.chmod(wrapper, 0o755)
    failed, skipped, passed = [], [], 0
    for name in names:
        case = os.path.join(CASES, name)
        if not os.path.isfile(os.path.join(case, "cmd")):
            continue
        if args.quick and os.path.exists(os.path.join(case, "slow")):
            skipped.append(name)
            continue
        tmp = os.path.join(scratch, name)
        os.makedirs(tmp, exist_ok=True)
        env = dict(os.environ)
        env.update(GAZTAG=wrapper, ROOT=ROOT, SHARED=os.path.join(os.path.dirname(ROOT), "shared"),
                   TMP=tmp, GAZTAG_DATA=os.path.join(ROOT, "dictionaries"), LC_ALL="C.UTF-8",
                   CASE=case)
        env.pop("NO_COLOR", None)
        skip = os.path.join(case, "skip-if")
        if os.path.exists(skip):
            r = subprocess.run(["sh", os.path.abspath(skip)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                skipped.append(name)
                continue
        stdin = read(os.path.join(case, "stdin"))
        cmd = read(os.path.join(case, "cmd")).decode()
        try:
            r = subprocess.run(["sh", "-c", cmd], cwd=ROOT, env=env, input=stdin,
                               stdin=None if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=args.timeout)
            out, err, status = r.stdout, r.stderr, r.returncode
        except subprocess.TimeoutExpired:
            failed.append((name, "timed out"))
            continue
        problems = []
        if args.valgrind and status == 99:
            problems.append("valgrind reported errors:\n" + err.decode("utf-8", "replace"))
        exp_status = int((read(os.path.join(case, "expected.status"), b"0").decode() or "0").strip())
        for what, actual in (("stdout", out), ("stderr", err)):
            path = os.path.join(case, "expected." + what)
            expected = read(path)
            if update and (expected is not None or actual):
                if expected != actual:
                    with open(path, "wb") as f:
                        f.write(actual)
                continue
            if expected is not None and expected != actual and not (args.valgrind and what == "stderr"):
                problems.append(f"{what} differs:\n--- expected\n"
                                + expected.decode("utf-8", "replace")[:3000]
                                + "\n--- actual\n" + actual.decode("utf-8", "replace")[:3000])
        if update:
            if status != exp_status:
                with open(os.path.join(case, "expected.status"), "w") as f:
                    f.write(f"{status}\n")
        elif status != exp_status:
            problems.append(f"exit status {status}, expected {exp_status}\nstderr: "
                            + err.decode("utf-8", "replace")[:2000])
        if problems:
            failed.append((name, "\n".join(problems)))
        else:
            passed += 1
    shutil.rmtree(scratch, ignore_errors=True)
    for name, why in failed:
        print(f"FAIL {name}\n{why}\n", file=sys.stderr)
    print(f"cli: {passed} passed, {len(failed)} failed, {len(skipped)} skipped"
          + (f" ({', '.join(skipped)})" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
