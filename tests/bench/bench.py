#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""gaztag's benchmark: gaztag side by side with the tools people use instead.

Every gaztag run is paired, in the same invocation, with the same strings
(names and aliases) given to GNU grep (-oFwf, C.UTF-8 locale), ripgrep
(-oFf) and pyahocorasick (tests/bench/ac.py), on the same text.  The machine
is shared and noisy, so read the ratios rather than the absolute figures.

Workloads are built reproducibly under tests/bench/work/ from ../shared/data
(the Brown corpus, the GeoNames cities gazetteer); without that folder the
benchmark says so and stops.  Text: the Brown corpus repeated to 100 MB, and
its first 10 MB.  Dictionaries: the bundled set, GeoNames cities1000, its
1,000 most populous cities, and synthetic multi-word names (1,000 and
1,000,000, from one generator with a fixed seed).

Also measured: dictionary load time and peak memory, start-up with the
bundled data, compiled images (start-up with the bundled image and without,
loading and tagging with synthetic names compiled once), -j 1 against -j 2
on a corpus of many files (when gaztag has -j), memory when streaming
standard input, where the time goes (callgrind instruction counts by module,
perf samples by function), adversarial inputs against Brown, and the Python
module: Tagger.tag_many on 2,000 small documents against the command on the
same documents, threads=2 against threads=1 (this section needs no shared
data; --section python runs it alone in a few seconds).

Usage: bench.py --gaztag PATH [--python-module DIR] [--section python] [--only images]
                [--out RESULTS.md]
  --only images   just the compiled-image section (tests/bench/work/RESULTS-images.md)
  --only components  just the instruction profile by component of the default
                  configuration on 2 MB of Brown (tests/bench/work/RESULTS-components.md)
  --only adversarial  just the adversarial inputs against Brown
                  (tests/bench/work/RESULTS-adversarial.md)
Environment:
  BENCH_QUICK=1   a short run (10 MB text, one run each, 100,000 synthetic
                  names, no profile); writes tests/bench/work/RESULTS-quick.md
  BENCH_RUNS=N    runs per measurement (median), default 3
  BENCH_IMAGE_NAMES=N,...  synthetic name counts for the image section
                  (default 10000000; 100000 when quick), e.g. 1000000,10000000
  BENCH_BASELINE=PATH  another gaztag binary (an older build) profiled beside
                  this one in the component profile: before and after
  GAZTAG_SHARED   the shared folder (default: ../shared beside the repository)
"""
import argparse
import datetime
import glob
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "bench")
WORK = os.path.join(HERE, "work")
PY = "/usr/bin/python3"
MB = 1e6
SLOW = 8.0           # a run slower than this is not repeated
SEMANTICS = (
    "Counts differ by design: gaztag matches whole tokens with Unicode word "
    "boundaries, leftmost-longest, applies each entry's case policy (a "
    "Title-case name also matches ALL CAPS, not lower case), strips "
    "possessives and folds curly quotes; grep -w and ac.py match exact bytes "
    "and count every non-overlapping hit with ASCII/locale word boundaries; "
    "rg without -w also matches inside words.")

TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
QUICK = os.environ.get("BENCH_QUICK") == "1"
RUNS = 1 if QUICK else int(os.environ.get("BENCH_RUNS", "3"))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- running and measuring ----

class Result:
    def __init__(self, wall, cpu, rss_kb, count, rc, runs):
        self.wall, self.cpu, self.rss_kb = wall, cpu, rss_kb
        self.count, self.rc, self.runs = count, rc, runs


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                return n
            n += b.count(b"\n")


def run_once(cmd, out_path, env=None, stdin_file=None, timeout=None):
    """Run cmd with stdout to out_path; return (wall, cpu, maxrss_kb, rc).
    With stdin_file, the file is streamed to the command through a pipe by
    cat, as a user's pipeline would."""
    tfile = os.path.join(WORK, "time.txt")
    full_env = dict(os.environ)
    full_env.update(env or {})
    feeder = None
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        if stdin_file:
            feeder = subprocess.Popen(["cat", stdin_file], stdout=subprocess.PIPE)
            stdin = feeder.stdout
        else:
            stdin = subprocess.DEVNULL
        timed = cmd
        if TIME:
            # The peak RSS of a child forked from this (large) Python process
            # would count the parent's pages; time(1) forks from a small one.
            timed = [TIME, "-f", "%M %U %S", "-o", tfile, "--"] + cmd
        p = subprocess.Popen(timed, stdin=stdin, stdout=out, stderr=subprocess.PIPE,
                             env=full_env)
        if feeder:
            feeder.stdout.close()
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                p.returncode = -9
                if feeder:
                    feeder.kill()
                    feeder.wait()
                p.stderr.close()
                return None
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        err = p.stderr.read()
        p.stderr.close()
        if feeder:
            feeder.wait()
    rc = os.waitstatus_to_exitcode(status)
    cpu, rss = ru.ru_utime + ru.ru_stime, ru.ru_maxrss
    if TIME:
        with open(tfile) as f:
            last = f.read().strip().splitlines()[-1].split()
        rss, cpu = int(last[0]), float(last[1]) + float(last[2])
    if rc not in (0, 1):  # grep and rg exit 1 when nothing matched
        log("  command failed (%d): %s\n%s" % (rc, " ".join(cmd), err.decode(errors="replace")))
    return wall, cpu, rss, rc


def measure(cmd, runs=None, env=None, stdin_file=None, header=0, timeout=None, out=None):
    """Median wall time of several runs (one when a run is slower than SLOW),
    the largest peak RSS, and the match count (output lines less header)."""
    runs = runs or RUNS
    out = out or os.path.join(WORK, "out.txt")
    walls, cpus, rss, rc = [], [], 0, 0
    for i in range(runs):
        r = run_once(cmd, out, env=env, stdin_file=stdin_file, timeout=timeout)
        if r is None:
            return None
        walls.append(r[0])
        cpus.append(r[1])
        rss = max(rss, r[2])
        rc = r[3]
        if r[0] > SLOW:
            break
    count = max(count_lines(out) - header, 0)
    walls.sort()
    cpus.sort()
    return Result(walls[len(walls) // 2], cpus[len(cpus) // 2], rss, count, rc, len(walls))


def adversarial(rep, g, brown, env):
    """Throughput on each adversarial input of tests/stress/inputs.py against
    the same amount of ordinary Brown text, default configuration, in the
    same run.  Returns the worst slowdown (adversarial time / ordinary)."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "stress"))
    import inputs
    size = 1_000_000 if QUICK else 4_000_000
    plain = os.path.join(WORK, "adv-ordinary.txt")
    with open(plain, "wb") as f:
        f.write(inputs.ordinary(brown, size))
    base = {}
    rows, worst = [], 0.0
    for name, (gen, extra) in inputs.INPUTS.items():
        log("== adversarial %s" % name)
        key = tuple(a for a in extra if not a.startswith("--input"))
        if key not in base:
            base[key] = measure([g, "tag", *GZ_SINGLE, *key, plain], env=env, header=1)
        path = os.path.join(WORK, "adv-%s.txt" % name)
        with open(path, "wb") as f:
            f.write(gen(size))
        b = base[key]
        r = measure([g, "tag", *GZ_SINGLE, *extra, path], env=env, header=1,
                    timeout=max(60.0, 100 * b.wall))
        if r is None:
            rows.append((name, "-", "%.1f" % (size / MB / b.wall), "> 100x", "NOT met (stopped)"))
            worst = float("inf")
            continue
        ratio = r.wall / b.wall
        worst = max(worst, ratio)
        rows.append((name, "%.1f" % (size / MB / r.wall), "%.1f" % (size / MB / b.wall),
                     "%.2fx" % ratio, ("met" if ratio <= 10 else "NOT met")
                     + ("" if r.rc == 0 else " (exit %d)" % r.rc)))
        os.unlink(path)
    rep.add("## Adversarial inputs")
    rep.add()
    rep.add("Default configuration (bundled dictionaries, rules and passes), %.0f MB of each "
            "input of tests/stress/inputs.py against the same amount of Brown text, run "
            "side by side; the time ratio must stay within 10x." % (size / MB))
    rep.add()
    rep.table(("input", "MB/s", "Brown MB/s", "time / Brown", "within 10x"), rows)
    return worst


# ---- workloads ----

def build_text(brown, path, size):
    """brown repeated and cut at the last line break before size bytes."""
    if os.path.exists(path) and os.path.getsize(path) <= size and \
            os.path.getsize(path) > size - 1_000_000:
        return path
    with open(brown, "rb") as f:
        data = f.read()
    tmp = path + ".tmp"
    written = 0
    with open(tmp, "wb") as out:
        while written < size:
            chunk = data[:size - written]
            if written + len(data) > size:
                cut = chunk.rfind(b"\n")
                chunk = chunk[:cut + 1] if cut >= 0 else b""
                out.write(chunk)
                written += len(chunk)
                break
            out.write(chunk)
            written += len(chunk)
    os.replace(tmp, path)
    return path


def tsv_strings(path):
    """Every name and alias of a dictionary TSV, in file order."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        header = None
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                ni = header.index("name")
                ai = header.index("aliases") if "aliases" in header else -1
                continue
            if len(cols) != len(header):
                continue
            out.append(cols[ni].strip())
            if ai >= 0 and cols[ai]:
                out.extend(a.strip() for a in cols[ai].split("|"))
    return out


def write_words(paths, dest):
    """The deduplicated strings of the dictionaries, one a line, for the
    other tools.  Returns their number."""
    seen, words = set(), []
    for p in paths:
        for s in tsv_strings(p):
            if s and s not in seen:
                seen.add(s)
                words.append(s)
    with open(dest, "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in words))
    return len(words)


def head_rows(src, dest, n):
    with open(src, encoding="utf-8") as f, open(dest, "w", encoding="utf-8") as out:
        out.write(f.readline())
        for i, line in enumerate(f):
            if i >= n:
                break
            out.write(line)


SYLLABLES = ("ka ro mi ta ve lo su an dor bel cor fen gar hul isk jor kel lun mar nor "
             "ost pra quin rov sal tor ulm var wes yar zen bri cha dru fla gro ple "
             "sto tra vin").split()


def build_synthetic(brown, dest, n):
    """n distinct multi-word names: a capitalised word of the Brown corpus
    (so the first token often matches and the tagger has to look further),
    then one or two invented words.  Fixed seed: the same file every time."""
    if os.path.exists(dest):
        with open(dest, "rb") as f:
            if sum(1 for _ in f) == n + 1:
                return
    freq = {}
    with open(brown, encoding="utf-8") as f:
        for line in f:
            for w in line.split():
                if w[:1].isupper() and w[1:].islower() and w.isalpha():
                    freq[w] = freq.get(w, 0) + 1
    vocab = sorted(freq, key=lambda w: (-freq[w], w))[:5000]
    rng = random.Random(7)

    def invented():
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    seen = set()
    with open(dest + ".tmp", "w", encoding="utf-8") as out:
        out.write("name\ttype\tid\n")
        i = 0
        while i < n:
            first = vocab[min(int(rng.paretovariate(1.2)) - 1, len(vocab) - 1)
                          if rng.random() < 0.5 else rng.randrange(len(vocab))]
            words = [first, invented()]
            if rng.random() < 0.4:
                words.append(invented())
            name = " ".join(words)
            if name in seen:
                continue
            seen.add(name)
            out.write("%s\tSYN\tsyn:%d\n" % (name, i))
            i += 1
    os.replace(dest + ".tmp", dest)


# ---- the tools ----

GZ_SINGLE = []   # ["-j", "1"] when gaztag has worker threads: targets are single-threaded


def gaztag_cmd(g, dic, text, extra=()):
    extra = tuple(GZ_SINGLE) + tuple(extra)
    if dic == "bundled":
        return [g, "tag", "--no-default-rules", *extra, text]
    return [g, "tag", "--no-default-dicts", "--no-default-rules", "-d", dic, *extra, text]


def tool_cmds(words, text):
    return [
        ("grep -oFwf (C.UTF-8)", ["grep", "-oFwf", words, text], {"LC_ALL": "C.UTF-8"}),
        ("rg -oFf", ["rg", "-oFf", words, text], {}),
        ("pyahocorasick + whole-word check", [PY, os.path.join(HERE, "ac.py"), words, text], {}),
    ]


def have(tool):
    return shutil.which(tool) is not None


def have_ahocorasick():
    return subprocess.run([PY, "-c", "import ahocorasick"], stderr=subprocess.DEVNULL).returncode == 0


# ---- the Python module ----

def python_docs(n=2000):
    """n small documents: the paragraphs of the sample corpus, in turn."""
    paras = []
    folder = os.path.join(ROOT, "corpus")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                paras += [p for p in f.read().split("\n\n") if p.strip()]
    return [paras[i % len(paras)] for i in range(n)]


def python_section(rep, g, pymod):
    """Tagger.tag_many against `gaztag tag --input=jsonl` on the same small
    documents, and threads=2 against threads=1.  Returns the target rows."""
    rep.add("## Python module")
    rep.add()
    rows = []
    try:
        sys.path.insert(0, pymod)
        import gaztag
    except ImportError as e:
        rep.add("Not measured: the module is not importable from %s (%s); `make python` "
                "builds it." % (pymod, e))
        rep.add()
        return [("Python tag_many >= 80% of the command's throughput", "-", "not measured"),
                ("Python threads=2 >= 1.6x threads=1", "-", "not measured")]
    import json
    import statistics
    docs = python_docs()
    nbytes = sum(len(d.encode()) for d in docs)
    path = os.path.join(WORK, "python-docs.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for i, d in enumerate(docs):
            f.write(json.dumps({"id": "d%04d" % i, "text": d}, ensure_ascii=False) + "\n")
    empty = os.path.join(WORK, "empty.jsonl")
    open(empty, "w").close()
    env = {"GAZTAG_DATA": os.path.join(ROOT, "dictionaries")}
    os.environ.update(env)
    cli = [g, "tag", "--input=jsonl", "--format=jsonl", "--offsets=chars", *GZ_SINGLE]
    t0 = time.perf_counter()
    tagger = gaztag.Tagger()
    build = time.perf_counter() - t0

    import resource

    def py(threads):
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t = time.perf_counter()
        n = sum(len(ms) for ms in tagger.tag_many(docs, threads=threads))
        wall = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        return wall, n, cpu

    # interleaved, so that a busy moment of the shared machine hits all alike
    runs = max(RUNS, 3) if QUICK else max(RUNS, 9)
    cli2 = [x for x in cli if x not in GZ_SINGLE] + (["-j", "2"] if GZ_SINGLE else [])
    cw, cw2, ew, p1, p2, c1, c2 = [], [], [], [], [], [], []
    for _ in range(runs):
        cw.append(measure(cli + [path], runs=1, env=env).wall)
        if GZ_SINGLE:
            cw2.append(measure(cli2 + [path], runs=1, env=env).wall)
        ew.append(measure(cli + [empty], runs=1, env=env).wall)
        t1, n1, u1 = py(1)
        t2, n2, u2 = py(2)
        p1.append(t1)
        p2.append(t2)
        c1.append(u1 / t1)
        c2.append(u2 / t2)
    cli_count = measure(cli + [path], runs=1, env=env).count
    c, e, w1, w2 = (statistics.median(x) for x in (cw, ew, p1, p2))
    cli_net = c - e
    share = cli_net / w1 if w1 > 0 else 0
    scale = w1 / w2 if w2 > 0 else 0
    c2net = statistics.median(cw2) - e if cw2 else 0
    rep.add("%d documents (the paragraphs of corpus/, %.0f bytes on average, %.2f MB); "
            "medians of %d interleaved runs.  The command reads them as JSON Lines and "
            "writes JSON Lines with code point offsets (`%s`); its time less its time on "
            "an empty input (start-up: loading the bundled data) is compared with "
            "`list(tagger.tag_many(docs, threads=N))` on a Tagger built beforehand "
            "(%.3f s) in /usr/bin/python3." % (
                len(docs), nbytes / len(docs), nbytes / MB, runs,
                " ".join(["gaztag"] + cli[1:]), build))
    rep.add()
    rep.table(("run", "wall s", "docs/s", "mentions"), [
        ("gaztag tag -j 1 (whole run)", fmt_s(c), "%.0f" % (len(docs) / c), cli_count),
        ("gaztag tag -j 1 (less start-up %s s)" % fmt_s(e), fmt_s(cli_net),
         "%.0f" % (len(docs) / cli_net) if cli_net > 0 else "-", cli_count),
        ("tag_many(threads=1)", fmt_s(w1), "%.0f" % (len(docs) / w1), n1),
        ("tag_many(threads=2)", fmt_s(w2), "%.0f" % (len(docs) / w2), n2)] + ([
        ("gaztag tag -j 2 (less start-up), for comparison", fmt_s(c2net),
         "%.0f" % (len(docs) / c2net), cli_count)] if c2net > 0 else []))
    rep.add("tag_many(threads=1) throughput / the command's after start-up: %.2f; "
            "threads=1 time / threads=2 time: %.2fx.  CPU time / wall time of the "
            "Python process: %.2f with threads=1, %.2f with threads=2 (below 1 and 2, "
            "other work on the machine held the cores); the command's own -j 1 / -j 2 "
            "in the same runs: %s." % (
                share, scale, statistics.median(c1), statistics.median(c2),
                "%.2fx" % (cli_net / c2net) if c2net > 0 else "not measured"))
    rep.add()
    rows.append(("Python tag_many >= 80%% of the command's throughput (%d docs)" % len(docs),
                 "%.0f%%" % (share * 100), "met" if share >= 0.8 else "NOT met"))
    rows.append(("Python threads=2 >= 1.6x threads=1", "%.2fx" % scale,
                 "met" if scale >= 1.6 else "NOT met"))
    return rows


# ---- report ----

class Report:
    def __init__(self):
        self.lines = []

    def add(self, s=""):
        self.lines.append(s)
        print(s, flush=True)

    def table(self, head, rows):
        self.add("| " + " | ".join(head) + " |")
        self.add("|" + "|".join("---" for _ in head) + "|")
        for r in rows:
            self.add("| " + " | ".join(str(c) for c in r) + " |")
        self.add()


def fmt_s(x):
    return "%.3f" % x


def fmt_mb(kb):
    return "%.0f" % (kb / 1024.0)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine(g):
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip() or platform.processor()
    mem = sh("free -g | awk '/^Mem:/ {print $2}'")
    distro = sh(". /etc/os-release && echo $PRETTY_NAME")
    rows = [
        ("CPU", "%s, %d cores" % (cpu, os.cpu_count() or 0)),
        ("memory", "%s GiB" % mem),
        ("system", "%s, Linux %s" % (distro, platform.release())),
        ("compiler", sh("cc --version | head -1")),
        ("gaztag", "%s (commit %s)" % (sh("'%s' --version" % g),
                                       sh("git -C '%s' rev-parse --short HEAD" % ROOT))),
        ("grep", sh("grep --version | head -1")),
        ("ripgrep", sh("rg --version | head -1")),
        ("pyahocorasick", sh("dpkg-query -W -f '${Package} ${Version}' python3-ahocorasick")),
        ("Python", sh(PY + " --version")),
    ]
    return rows


def compare(rep, g, label, dic, words, nwords, text, load):
    """Pair gaztag with the other tools on one dictionary and one text."""
    size = os.path.getsize(text)
    log("== %s on %s" % (label, os.path.basename(text)))
    env = {"GAZTAG_DATA": os.path.join(ROOT, "dictionaries")}
    res = [("gaztag", measure(gaztag_cmd(g, dic, text), env=env, header=1))]
    for name, cmd, tenv in tool_cmds(words, text):
        if cmd[0] != PY and not have(cmd[0]):
            continue
        if cmd[0] == PY and not have_ahocorasick():
            continue
        log("   " + name)
        res.append((name, measure(cmd, env=tenv)))
    gz = res[0][1]
    rows = []
    for name, r in res:
        net = r.wall - load.get(name, 0.0)
        rows.append((name, "%s (%d)" % (fmt_s(r.wall), r.runs), "%.1f" % (size / MB / r.wall),
                     "%.1f" % (size / MB / net) if net > 0 else "-",
                     fmt_s(r.cpu), fmt_mb(r.rss_kb), r.count,
                     "1" if r is gz else "%.2fx" % (r.wall / gz.wall)))
    rep.add("### %s: %s strings, %.0f MB text" % (label, "{:,}".format(nwords), size / MB))
    rep.add()
    rep.table(("tool", "wall s (runs)", "MB/s", "MB/s after load", "CPU s", "peak RSS MB",
               "matches", "gaztag speed-up (other s / gaztag s)"), rows)
    return res


def load_times(g, dic, words):
    """Time to get ready with an empty input, per tool."""
    env = {"GAZTAG_DATA": os.path.join(ROOT, "dictionaries")}
    empty = os.path.join(WORK, "empty.txt")
    open(empty, "w").close()
    out = {"gaztag": measure(gaztag_cmd(g, dic, empty), env=env, header=1)}
    for name, cmd, tenv in tool_cmds(words, empty):
        if (cmd[0] == PY and have_ahocorasick()) or (cmd[0] != PY and have(cmd[0])):
            out[name] = measure(cmd, env=tenv)
    return out


def callgrind_profile(rep, g, dic, text):
    """Instruction counts (stable on a noisy machine) of loading and of
    tagging, by module."""
    if not have("valgrind") or not have("callgrind_annotate"):
        rep.add("(valgrind not installed: no instruction profile)\n")
        return
    groups = [
        ("tokenize.c", "tokenising (token boundaries, case flags, ASCII keys)"),
        ("normalize.c", "normalising (gaztag's side of it)"),
        ("utf8proc", "normalising (libutf8proc)"),
        ("gazetteer.c", "hashing and look-ups (prefix filter, hash table), dictionary parsing"),
        ("tagger.c", "matching: candidate extension, case checks, resolution"),
        ("util", "buffers, arena, hash function"),
        ("output.c", "output (rendering, TSV escaping, writing)"),
        ("corpus.c", "reading, chunking"),
        ("patterns.c", "regex rules"),
        ("rules.c", "token-class rules"),
        ("docpass.c", "document-level passes (acronyms, variants, propagation)"),
        ("libc", "libc (memcpy, strlen, qsort, malloc)"),
    ]
    # Worker threads do the tagging, so the second profile is the whole run
    # (loading included); the first isolates loading.
    for phase, fn in (("loading the dictionary alone", "gz_gaz_load"),
                      ("the whole run: loading, then tagging", None)):
        cg = os.path.join(WORK, "callgrind.out")
        toggle = ["--collect-atstart=no", "--toggle-collect=" + fn] if fn else []
        subprocess.run(["valgrind", "--tool=callgrind", *toggle, "--callgrind-out-file=" + cg,
                        *gaztag_cmd(g, dic, text)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        ann = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", cg],
                             capture_output=True, text=True).stdout
        total, by, top = 0, {}, []
        for line in ann.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+([^=\s].*)$", line)
            if not m:
                continue
            n = int(m.group(1).replace(",", ""))
            what = m.group(2)
            if "PROGRAM TOTALS" in what:
                total = n
                continue
            key = "other"
            for k, _ in groups:
                if k in what.split(" [")[0] or (k in ("libc", "utf8proc") and k in what):
                    key = k
                    break
            by[key] = by.get(key, 0) + n
            if len(top) < 8:
                fname = what.split(" [")[0]
                top.append((fname.rsplit("/", 1)[-1], n))
        if not total:
            continue
        rep.add("#### %s: %s instructions (callgrind, %s)" % (
            phase, "{:,}".format(total), os.path.basename(text)))
        rep.add()
        rows = [(k, d, "%.1f%%" % (100.0 * by[k] / total)) for k, d in groups + [("other", "other")]
                if by.get(k)]
        rep.table(("module", "what", "instructions"), rows)
        rep.add("Top functions (self): " + "; ".join(
            "%s %.1f%%" % (f, 100.0 * n / total) for f, n in top))
        rep.add()


def perf_profile(rep, g, dic, text):
    """Where the wall time goes (cache misses included), by function."""
    if not have("perf"):
        rep.add("(perf not installed: no sampled profile)\n")
        return
    data = os.path.join(WORK, "perf.data")
    r = subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "999", "-o", data,
                        *gaztag_cmd(g, dic, text)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        rep.add("(perf record failed: no sampled profile)\n")
        return
    txt = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio",
                          "--sort", "symbol"], capture_output=True, text=True).stdout
    rows = []
    for line in txt.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\[[.k]\]\s+(\S+)", line)
        if m and len(rows) < 12:
            rows.append((m.group(2), m.group(1) + "%"))
    rep.add("#### perf (cpu-clock samples), the whole run on %s" % os.path.basename(text))
    rep.add()
    rep.table(("function", "share of samples"), rows)


def callgrind_refs(cmd, env):
    """Instructions executed by cmd (callgrind's total), or None."""
    if not have("valgrind"):
        return None
    full = dict(os.environ)
    full.update(env)
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, env=full)
    m = re.search(r"Collected\s*:\s*(\d+)", r.stderr) or re.search(r"refs:\s*([\d,]+)", r.stderr)
    return int(m.group(1).replace(",", "")) if m else None


def default_section(rep, g, words, nwords, text, env):
    """The configuration people run (plain `gaztag tag`: bundled dictionaries,
    rules and passes) against grep given every bundled name and alias, and
    against the same run without rules and passes.  Returns target rows."""
    size = os.path.getsize(text)
    stripped_opts = ["--no-default-rules", "--no-acronyms", "--no-variants", "--no-propagation"]
    log("== default configuration on %s" % os.path.basename(text))
    runs = [("gaztag tag (default configuration)", [g, "tag", *GZ_SINGLE, text], env, 1),
            ("gaztag tag " + " ".join(stripped_opts),
             [g, "tag", *GZ_SINGLE, *stripped_opts, text], env, 1)]
    if have("grep"):
        runs.append(("grep -oFwf (C.UTF-8), every bundled name and alias",
                     ["grep", "-oFwf", words, text], {"LC_ALL": "C.UTF-8"}, 0))
    got = []
    for label, cmd, e, header in runs:
        log("   " + label)
        got.append((label, measure(cmd, env=e, header=header)))
    d = got[0][1]
    rep.add("## The default configuration")
    rep.add()
    rep.add("Plain `gaztag tag` (bundled dictionaries, which include the rules' class "
            "lists, bundled rules, document passes) on %.0f MB of text; the stripped run "
            "leaves out the rules and passes; grep is given every bundled name and alias "
            "(%s strings)." % (size / MB, "{:,}".format(nwords)))
    rep.add()
    rep.table(("run", "wall s (runs)", "MB/s", "CPU s", "peak RSS MB", "lines out",
               "time / default"),
              [(label, "%s (%d)" % (fmt_s(r.wall), r.runs), "%.1f" % (size / MB / r.wall),
                fmt_s(r.cpu), fmt_mb(r.rss_kb), r.count, "%.2f" % (r.wall / d.wall))
               for label, r in got])
    trows = []
    st = got[1][1]
    if len(got) > 2:
        gr = got[2][1]
        trows.append(("default configuration >= 1.5x grep -oFwf given every bundled name "
                      "and alias, %.0f MB" % (size / MB),
                      "%.2fx (gaztag %s s, grep %s s)" % (gr.wall / d.wall, fmt_s(d.wall),
                                                          fmt_s(gr.wall)),
                      "met" if gr.wall / d.wall >= 1.5 else "NOT met"))
    else:
        trows.append(("default configuration >= 1.5x grep -oFwf", "grep not installed",
                      "not measured"))
    trows.append(("default configuration <= 1.5x the time of the run without rules and "
                  "passes", "%.2fx (%s s vs %s s)" % (d.wall / st.wall, fmt_s(d.wall),
                                                       fmt_s(st.wall)),
                  "met" if d.wall / st.wall <= 1.5 else "NOT met"))
    return trows


# Where a run of the default configuration spends its instructions, by the
# inclusive cost of the functions that head each component.
COMPONENTS = (
    ("start-up", "loading dictionaries, rules, image (everything outside the worker)"),
    ("tokenising", "gz_tokenize, gz_token_marks"),
    ("dictionary look-ups and the rest of the tagger",
     "gz_tag_chunk less the other components: candidate extension, probes, type features, "
     "resolution"),
    ("regex rules", "gz_patterns_run"),
    ("token rules", "gz_trules_run, build_common"),
    ("passes", "gz_docpass_run"),
    ("output", "gz_render_piece"),
    ("other", "reading, chunking, writing"),
)


def components_of(g, text):
    """Instructions per component (COMPONENTS) of `gaztag tag -j 1 text`,
    with the binary's own data folder; None without valgrind."""
    if not have("valgrind") or not have("callgrind_annotate"):
        return None
    data = os.path.join(os.path.dirname(os.path.abspath(g)), "dictionaries")
    full = dict(os.environ)
    if os.path.isdir(data):
        full["GAZTAG_DATA"] = data
    cg = os.path.join(WORK, "callgrind-components.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg, g, "tag",
                    "-j", "1", text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=full)
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", cg],
                         capture_output=True, text=True).stdout
    incl, total = {}, 0
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        what = m.group(2)
        if "PROGRAM TOTALS" in what:
            total = n
            continue
        fm = re.match(r"\S+:(\w+)( \[|$)", what)
        if fm:
            incl[fm.group(1)] = max(incl.get(fm.group(1), 0), n)
    f = lambda *names: sum(incl.get(x, 0) for x in names)
    worker = f("worker_main")
    tok, rx, tr = f("gz_tokenize", "gz_token_marks"), f("gz_patterns_run"), \
        f("gz_trules_run", "build_common")
    dp, out = f("gz_docpass_run"), f("gz_render_piece")
    chunk = f("gz_tag_chunk")
    return {"total": total, "start-up": total - worker, "tokenising": tok,
            "dictionary look-ups and the rest of the tagger": chunk - tok - rx - tr - dp,
            "regex rules": rx, "token rules": tr, "passes": dp, "output": out,
            "other": worker - chunk - out}


def component_section(rep, g, brown):
    """The instruction profile by component, of this build and, with
    BENCH_BASELINE, of another one (before and after)."""
    text = os.path.join(WORK, "brown-2MB.txt")
    with open(brown, "rb") as f:
        blob = f.read(2_000_000)
    with open(text, "wb") as out:
        out.write(blob)
    size = len(blob)
    builds = []
    base = os.environ.get("BENCH_BASELINE")
    if base:
        # name an older build by its commit when it sits in a git checkout
        rev = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(base)), "log", "-1",
                              "--format=%h"], capture_output=True, text=True).stdout.strip()
        builds.append(("before (%s)" % ("commit " + rev if rev else base), base))
    builds.append(("this build", g))
    rep.add("## Where the time goes, by component")
    rep.add()
    got = []
    for label, b in builds:
        log("== components: %s" % label)
        c = components_of(b, text)
        if c is None:
            rep.add("(valgrind not installed: no instruction profile)")
            rep.add()
            return
        got.append((label, c))
    rep.add("Instructions per byte (callgrind) of `gaztag tag -j 1` (default configuration: "
            "bundled image, rules and passes) on the first 2 MB of Brown (%s bytes); "
            "start-up is divided by the same size.  Reproduce one column with "
            "`valgrind --tool=callgrind gaztag tag -j 1 FILE` and "
            "`callgrind_annotate --inclusive=yes`." % "{:,}".format(size))
    rep.add()
    head = ["component", "functions"] + ["%s: instr/byte" % l for l, _ in got]
    if len(got) == 2:
        head.append("after / before")
    rows = []
    for key, what in COMPONENTS + (("total", "the whole run"),):
        row = [key, what] + ["%.1f" % (c[key] / size) for _, c in got]
        if len(got) == 2:
            b, a = got[0][1][key], got[1][1][key]
            row.append("%.2f" % (a / b) if b > 0 else "-")
        rows.append(row)
    rep.table(head, rows)


def image_section(rep, g, brown, text):
    """Compiled images: start-up with and without the bundled image, and
    synthetic dictionaries compiled once, then loaded and used.  Returns
    the rows of the targets table."""
    rep.add("## Compiled images")
    rep.add()
    data = os.path.join(ROOT, "dictionaries")
    image = os.path.join(data, "bundled.gzi")
    trows = []
    if not os.path.exists(image):
        rep.add("No dictionaries/bundled.gzi (run `make`): not measured.")
        rep.add()
        return trows
    # the same data folder without its image
    bare = os.path.join(WORK, "data-no-image")
    shutil.rmtree(bare, ignore_errors=True)
    os.makedirs(bare)
    for f in glob.glob(os.path.join(data, "*.tsv")):
        shutil.copy2(f, bare)
    shutil.copytree(os.path.join(data, "rules"), os.path.join(bare, "rules"))
    empty = os.path.join(WORK, "empty.txt")
    open(empty, "w").close()
    log("== image: start-up")
    rows = []
    got = {}
    for label, folder in (("bundled *.tsv parsed", bare), ("bundled image", data)):
        env = {"GAZTAG_DATA": folder}
        cmd = [g, "tag", *GZ_SINGLE, empty]
        r = measure(cmd, runs=max(RUNS, 5), env=env, header=1)
        refs = callgrind_refs(cmd, env)
        got[label] = (r, refs)
        rows.append((label, "%s (%d)" % (fmt_s(r.wall), r.runs), fmt_mb(r.rss_kb),
                     "{:,}".format(refs) if refs else "-"))
    rep.add("`gaztag tag` on an empty input with the bundled dictionaries and rules "
            "(instructions: callgrind).")
    rep.add()
    rep.table(("dictionaries from", "wall s (runs)", "peak RSS MB", "instructions"), rows)
    (pw, pr), (iw, ir) = got["bundled *.tsv parsed"], got["bundled image"]
    rep.add("With the image: %.2fx the start-up time%s." % (
        iw.wall / pw.wall, ", %.2fx the instructions" % (ir / pr) if ir and pr else ""))
    rep.add()
    if ir:
        trows.append(("start-up with the bundled image (`gaztag tag` on an empty input) "
                      "<= 100 million instructions (today's bundled set)",
                      "{:,}".format(ir), "met" if ir <= 100_000_000 else "NOT met"))
    else:
        trows.append(("start-up with the bundled image <= 100 million instructions",
                      "valgrind not installed", "not measured"))

    counts = os.environ.get("BENCH_IMAGE_NAMES") or ("100000" if QUICK else "10000000")
    counts = [int(c) for c in counts.split(",") if c.strip()]
    size = os.path.getsize(text)
    rows = []
    base = None
    for n in [1000] + [c for c in counts if c != 1000]:
        syn = os.path.join(WORK, "synthetic-%d.tsv" % n)
        if n == 1000:
            big = os.path.join(WORK, "synthetic-%d.tsv" % max(counts + [1000]))
            build_synthetic(brown, big, max(counts + [1000]))
            head_rows(big, syn, 1000)
        else:
            build_synthetic(brown, syn, n)
        img = os.path.join(WORK, "synthetic-%d.gzi" % n)
        log("== image: %s names" % "{:,}".format(n))
        comp = measure([g, "compile", "--no-default-dicts", "-d", syn, "-o", img], runs=1,
                       out=os.path.join(WORK, "compile.out"))
        run = [g, "tag", *GZ_SINGLE, "--no-default-dicts", "--no-default-rules", "--image", img]
        load = measure(run + [empty], runs=max(RUNS, 5), header=1)
        tsv_load = measure(gaztag_cmd(g, syn, empty), runs=1 if n > 100000 else RUNS, header=1)
        tagged = measure(run + [text], header=1)
        net = size / MB / (tagged.wall - load.wall) if tagged.wall > load.wall else float("inf")
        # CPU time: on a shared machine wall time also counts waiting for a core
        cnet = size / MB / (tagged.cpu - load.cpu) if tagged.cpu > load.cpu else float("inf")
        if base is None:
            base, cbase = net, cnet
        rows.append(("{:,}".format(n), fmt_s(comp.wall), "%.0f" % (os.path.getsize(img) / MB),
                     fmt_s(tsv_load.wall), "%s (%d)" % (fmt_s(load.wall), load.runs),
                     fmt_mb(load.rss_kb), "%.1f (%.2f)" % (net, net / base),
                     "%.1f (%.2f)" % (cnet, cnet / cbase), tagged.count))
        if n != 1000:
            trows.append(("%s names compiled once: loaded < 100 ms" % "{:,}".format(n),
                          "%.0f ms (parsing the TSV: %.0f ms)" % (load.wall * 1000,
                                                                  tsv_load.wall * 1000),
                          "met" if load.wall < 0.100 else "NOT met"))
            trows.append(("%s names from an image: tagging >= 80%% of 1,000-name throughput "
                          "(CPU time)" % "{:,}".format(n),
                          "%.1f vs %.1f MB/s (%.2fx; by wall time %.2fx)" % (
                              cnet, cbase, cnet / cbase, net / base),
                          "met" if cnet >= 0.8 * cbase else "NOT met"))
    rep.add("Synthetic names compiled once with `gaztag compile`, then used with `--image` "
            "(no bundled dictionaries or rules) on %.0f MB of text." % (size / MB))
    rep.add()
    rep.table(("names", "compile s", "image MB", "load from TSV s", "load from image s (runs)",
               "peak RSS MB (load)", "MB/s after load, wall (vs 1,000)",
               "MB/s after load, CPU (vs 1,000)", "matches"), rows)
    return trows


def only_images(g, brown):
    rep = Report()
    rep.add("# gaztag benchmark: compiled images")
    rep.add()
    rep.add("Generated by `bench.py --only images`; %s." %
            datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
    rep.add()
    if QUICK:
        text = build_text(brown, os.path.join(WORK, "brown-10MB.txt"), 10_000_000)
    else:
        text = build_text(brown, os.path.join(WORK, "brown-100MB.txt"), 100_000_000)
    trows = image_section(rep, g, brown, text)
    rep.table(("target", "measured", "verdict"), trows)
    out_md = os.path.join(WORK, "RESULTS-images.md")
    with open(out_md, "w", encoding="utf-8") as f:
        f.write("\n".join(rep.lines) + "\n")
    log("wrote %s" % out_md)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gaztag", required=True)
    ap.add_argument("--out", default=None)
    ap.add_argument("--python-module", default=os.path.join(ROOT, "python"),
                    help="the folder of the built Python module")
    ap.add_argument("--section", choices=("all", "python"), default="all")
    ap.add_argument("--only", choices=("images", "adversarial", "components"), default=None)
    args = ap.parse_args()
    g = os.path.abspath(args.gaztag)
    if args.section == "python":
        os.makedirs(WORK, exist_ok=True)
        helptext = subprocess.run([g, "tag", "--help"], capture_output=True, text=True).stdout
        if re.search(r"(^|\s)-j\b|--jobs", helptext):
            GZ_SINGLE[:] = ["-j", "1"]
        rep = Report()
        rep.add("# gaztag benchmark: the Python module")
        rep.add()
        rep.add("Generated by `tests/bench/bench.py --section python`, %s." %
                datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
        rep.add()
        rows = python_section(rep, g, os.path.abspath(args.python_module))
        rep.table(("target", "measured", "verdict"), rows)
        out_md = args.out or os.path.join(WORK, "RESULTS-python.md")
        with open(out_md, "w", encoding="utf-8") as f:
            f.write("\n".join(rep.lines) + "\n")
        log("wrote %s" % out_md)
        print("\n".join(rep.lines))
        return 0
    shared = os.environ.get("GAZTAG_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
    data = os.path.join(shared, "data")
    brown = os.path.join(data, "bench", "brown", "brown.txt")
    geo = os.path.join(data, "gazetteers", "geonames", "cities1000_gazetteer.tsv")
    if not (os.path.exists(brown) and os.path.exists(geo)):
        print("bench: skipped: the workloads need %s and %s" % (brown, geo))
        return 0
    out_md = args.out or (os.path.join(WORK, "RESULTS-quick.md") if QUICK
                          else os.path.join(HERE, "RESULTS.md"))
    os.makedirs(WORK, exist_ok=True)
    started = time.perf_counter()
    helptext = subprocess.run([g, "tag", "--help"], capture_output=True, text=True).stdout
    has_jobs = re.search(r"(^|\s)-j\b|--jobs", helptext) is not None
    if has_jobs:
        GZ_SINGLE[:] = ["-j", "1"]
    if args.only == "images":
        return only_images(g, brown)
    if args.only == "components":
        rep = Report()
        component_section(rep, g, brown)
        with open(os.path.join(WORK, "RESULTS-components.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(rep.lines) + "\n")
        return 0
    if args.only == "adversarial":
        rep = Report()
        worst = adversarial(rep, g, brown, {"GAZTAG_DATA": os.path.join(ROOT, "dictionaries")})
        rep.add("Worst: %.2fx Brown's time (target: within 10x)." % worst)
        with open(os.path.join(WORK, "RESULTS-adversarial.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(rep.lines) + "\n")
        return 0 if worst <= 10 else 1

    log("building workloads in %s" % WORK)
    t100 = build_text(brown, os.path.join(WORK, "brown-100MB.txt"), 100_000_000)
    t10 = build_text(brown, os.path.join(WORK, "brown-10MB.txt"), 10_000_000)
    big_text = t10 if QUICK else t100
    geo1k = os.path.join(WORK, "geonames-1000.tsv")
    head_rows(geo, geo1k, 1000)
    nsyn = 100_000 if QUICK else 1_000_000
    syn = os.path.join(WORK, "synthetic-%d.tsv" % nsyn)
    build_synthetic(brown, syn, nsyn)
    syn1k = os.path.join(WORK, "synthetic-1000.tsv")
    head_rows(syn, syn1k, 1000)
    bundled = sorted(glob.glob(os.path.join(ROOT, "dictionaries", "*.tsv")))
    words = {}
    for key, paths in (("bundled", bundled), ("geo", [geo]), ("geo1k", [geo1k]),
                       ("syn", [syn]), ("syn1k", [syn1k])):
        w = os.path.join(WORK, "words-%s.txt" % key)
        words[key] = (w, write_words(paths, w))

    rep = Report()
    rep.add("# gaztag benchmark results")
    rep.add()
    rep.add("Generated by `make bench` (tests/bench/bench.py); do not edit by hand. "
            "%s run, %s." % ("Quick" if QUICK else "Full",
                             datetime.datetime.now().strftime("%Y-%m-%d %H:%M")))
    rep.add("The machine is shared and noisy: absolute times vary from run to run, "
            "the ratios between tools measured in the same run hold.  Wall times "
            "are medians of the runs shown in brackets; peak RSS is the largest "
            "of them; \"MB/s after load\" subtracts the tool's time on an empty "
            "input (loading its strings).  gaztag runs with one worker "
            "thread (-j 1) except in the Threads section.")
    rep.add()
    rep.add("## Machine")
    rep.add()
    rep.table(("", ""), machine(g))
    rep.add("Tools (Debian packages): grep, ripgrep, python3-ahocorasick, valgrind, "
            "linux-perf (hyperfine is not needed).")
    rep.add()

    # -- loading --
    rep.add("## Loading")
    rep.add()
    env = {"GAZTAG_DATA": os.path.join(ROOT, "dictionaries")}
    empty = os.path.join(WORK, "empty.txt")
    open(empty, "w").close()
    load_rows, loads = [], {}
    for key, label, dic in (("bundled", "bundled set (%d files)" % len(bundled), "bundled"),
                            ("geo", "GeoNames cities1000", geo),
                            ("geo1k", "GeoNames, 1,000 most populous", geo1k),
                            ("syn1k", "synthetic 1,000", syn1k),
                            ("syn", "synthetic %s" % "{:,}".format(nsyn), syn)):
        log("== load %s" % label)
        runs = max(RUNS, 5) if key in ("bundled", "geo1k", "syn1k") else RUNS
        r = measure(gaztag_cmd(g, dic, empty), runs=runs, env=env, header=1)
        loads[key] = r
        nstr = words[key][1]
        load_rows.append((label, "{:,}".format(nstr), "%s (%d)" % (fmt_s(r.wall), r.runs),
                          fmt_mb(r.rss_kb),
                          "%.2f s, %.0f MB" % (r.wall * 1e6 / nstr, r.rss_kb / 1024.0 * 1e6 / nstr)))
    r = measure([g, "tag", *GZ_SINGLE, empty], runs=max(RUNS, 5), env=env, header=1)
    loads["startup"] = r
    load_rows.append(("start-up: bundled dictionaries and rules", "-", "%s (%d)" % (
        fmt_s(r.wall), r.runs), fmt_mb(r.rss_kb), "-"))
    rep.table(("dictionary", "strings", "wall s (runs)", "peak RSS MB", "per million strings"),
              load_rows)

    # -- side by side --
    rep.add("## Side by side")
    rep.add()
    rep.add(SEMANTICS)
    rep.add()
    tool_load = {}
    results = {}
    for key, label, dic, text in (
            ("geo", "GeoNames cities1000", geo, big_text),
            ("geo10", "GeoNames cities1000", geo, t10),
            ("geo1k", "GeoNames, 1,000 most populous", geo1k, big_text),
            ("bundled", "bundled set", "bundled", big_text),
            ("syn1k", "synthetic 1,000", syn1k, big_text),
            ("syn", "synthetic %s" % "{:,}".format(nsyn), syn, t10)):
        if key == "geo10" and QUICK:
            continue
        wkey = "geo" if key == "geo10" else key
        wpath, nw = words[wkey]
        if wkey not in tool_load:
            lt = load_times(g, "bundled" if wkey == "bundled" else dic, wpath)
            tool_load[wkey] = {k: v.wall for k, v in lt.items()}
        results[key] = compare(rep, g, label, "bundled" if wkey == "bundled" else dic,
                               wpath, nw, text, tool_load[wkey])

    # scaling: gaztag alone on the big text with the big synthetic dictionary
    log("== scaling")
    big = measure(gaztag_cmd(g, syn, big_text), env=env, header=1)
    small = results["syn1k"][0][1]
    size = os.path.getsize(big_text)
    net_small = size / MB / (small.wall - loads["syn1k"].wall)
    net_big = size / MB / (big.wall - loads["syn"].wall)
    rep.add("### Scaling: gaztag, synthetic names, %.0f MB text" % (size / MB))
    rep.add()
    rep.table(("names", "wall s (runs)", "load s", "MB/s after load", "peak RSS MB", "matches"), [
        ("1,000", "%s (%d)" % (fmt_s(small.wall), small.runs), fmt_s(loads["syn1k"].wall),
         "%.1f" % net_small, fmt_mb(small.rss_kb), small.count),
        ("{:,}".format(nsyn), "%s (%d)" % (fmt_s(big.wall), big.runs), fmt_s(loads["syn"].wall),
         "%.1f" % net_big, fmt_mb(big.rss_kb), big.count)])

    # -- streaming --
    log("== stdin")
    stream = measure(gaztag_cmd(g, geo, "-"), env=env, header=1, stdin_file=big_text)
    rep.add("## Streaming standard input")
    rep.add()
    rep.add("`cat %s | gaztag tag -d cities1000 -`: %s s, peak RSS %s MB (the dictionary "
            "alone: %s MB; the same file named on the command line: %s MB)." % (
                os.path.basename(big_text), fmt_s(stream.wall), fmt_mb(stream.rss_kb),
                fmt_mb(loads["geo"].rss_kb), fmt_mb(results["geo"][0][1].rss_kb)))
    rep.add()

    # -- threads --
    rep.add("## Threads")
    rep.add()
    jscale = dscale = None
    if has_jobs:
        log("== threads")
        many = os.path.join(WORK, "many")
        os.makedirs(many, exist_ok=True)
        with open(t10, "rb") as f:
            blob = f.read()
        nfiles = 400
        step = len(blob) // nfiles
        files = []
        for i in range(nfiles):
            p = os.path.join(many, "doc%04d.txt" % i)
            if not os.path.exists(p):
                with open(p, "wb") as out:
                    out.write(blob[i * step:(i + 1) * step])
            files.append(p)
        copies = 1 if QUICK else 5
        j1 = measure([g, "tag", "--no-default-dicts", "--no-default-rules", "-d", geo, "-j", "1",
                      *files * copies], env=env, header=1)
        j2 = measure([g, "tag", "--no-default-dicts", "--no-default-rules", "-d", geo, "-j", "2",
                      *files * copies], env=env, header=1)
        tag1 = j1.wall - loads["geo"].wall
        tag2 = j2.wall - loads["geo"].wall
        jscale = tag1 / tag2 if tag2 > 0 else None
        rep.table(("run", "wall s (runs)", "peak RSS MB", "matches"), [
            ("-j 1, %d files" % (nfiles * copies), "%s (%d)" % (fmt_s(j1.wall), j1.runs),
             fmt_mb(j1.rss_kb), j1.count),
            ("-j 2, %d files" % (nfiles * copies), "%s (%d)" % (fmt_s(j2.wall), j2.runs),
             fmt_mb(j2.rss_kb), j2.count)])
        rep.add("Tagging time (wall less loading) -j 1 / -j 2: %.2fx." % (jscale or 0))
        rep.add()
        d1 = measure([g, "tag", "-j", "1", *files * copies], env=env, header=1)
        d2 = measure([g, "tag", "-j", "2", *files * copies], env=env, header=1)
        dtag1 = d1.wall - loads["startup"].wall
        dtag2 = d2.wall - loads["startup"].wall
        dscale = dtag1 / dtag2 if dtag2 > 0 else None
        rep.add("The default configuration (bundled dictionaries, rules and passes) on the "
                "same files:")
        rep.add()
        rep.table(("run", "wall s (runs)", "CPU s", "peak RSS MB", "lines out"), [
            ("-j 1, %d files" % (nfiles * copies), "%s (%d)" % (fmt_s(d1.wall), d1.runs),
             fmt_s(d1.cpu), fmt_mb(d1.rss_kb), d1.count),
            ("-j 2, %d files" % (nfiles * copies), "%s (%d)" % (fmt_s(d2.wall), d2.runs),
             fmt_s(d2.cpu), fmt_mb(d2.rss_kb), d2.count)])
        rep.add("Tagging time (wall less start-up) -j 1 / -j 2: %.2fx." % (dscale or 0))
        rep.add()
    else:
        rep.add("gaztag has no -j option yet: not measured.")
        rep.add()

    worst_adv = adversarial(rep, g, brown, env)
    default_targets = default_section(rep, g, words["bundled"][0], words["bundled"][1],
                                      big_text, env)
    image_targets = image_section(rep, g, brown, big_text)

    # -- the Python module --
    log("== python")
    py_rows = python_section(rep, g, os.path.abspath(args.python_module))

    # -- targets --
    rep.add("## Targets")
    rep.add()
    gz, gr = results["geo"][0][1], dict(results["geo"]).get("grep -oFwf (C.UTF-8)")
    trows = []
    if gr:
        ratio = gr.wall / gz.wall
        trows.append(("GeoNames cities1000 names and aliases, %.0f MB, one thread: >= 3x "
                      "grep -oFwf" % (os.path.getsize(big_text) / MB),
                      "%.2fx (gaztag %s s, grep %s s)" % (ratio, fmt_s(gz.wall), fmt_s(gr.wall)),
                      "met" if ratio >= 3 else "NOT met"))
    trows += default_targets
    drop = 1 - net_big / net_small
    trows.append(("throughput after load, 1,000 -> %s names: falls <= 20%%" % "{:,}".format(nsyn),
                  "%.1f -> %.1f MB/s (%+.0f%%)" % (net_small, net_big, -drop * 100),
                  "met" if drop <= 0.20 else "NOT met"))
    ls = loads["syn"]
    per_m = 1e6 / nsyn
    trows.append(("load 1,000,000 names < 1 s", "%.2f s%s" % (
        ls.wall * per_m, "" if nsyn == 1_000_000 else " (scaled from %s)" % "{:,}".format(nsyn)),
        "met" if ls.wall * per_m < 1 else "NOT met"))
    trows.append(("load 1,000,000 names < 250 MB peak RSS", "%.0f MB%s" % (
        ls.rss_kb / 1024 * per_m, "" if nsyn == 1_000_000 else " (scaled)"),
        "met" if ls.rss_kb / 1024 * per_m < 250 else "NOT met"))
    lb = loads["bundled"]
    trows.append(("load the bundled set < 150 ms", "%.0f ms" % (lb.wall * 1000),
                  "met" if lb.wall < 0.150 else "NOT met"))
    if jscale is not None:
        trows.append(("-j 2 >= 1.7x -j 1 on many files (GeoNames, no rules)", "%.2fx" % jscale,
                      "met" if jscale >= 1.7 else "NOT met"))
        trows.append(("-j 2 >= 1.8x -j 1, default configuration, many files",
                      "%.2fx" % (dscale or 0), "met" if dscale and dscale >= 1.8 else "NOT met"))
    else:
        trows.append(("-j 2 >= 1.7x -j 1 on many files", "no -j option", "not measured"))
    trows.append(("every adversarial input within 10x of Brown's time", "worst %.2fx" % worst_adv,
                  "met" if worst_adv <= 10 else "NOT met"))
    trows += py_rows
    trows.extend(image_targets)
    rep.table(("target", "measured", "verdict"), trows)

    # -- profile --
    if not QUICK:
        log("== profiles")
        rep.add("## Where the time goes")
        rep.add()
        rep.add("GeoNames cities1000 dictionary.")
        rep.add()
        callgrind_profile(rep, g, geo, t10)
        perf_profile(rep, g, geo, big_text)
        component_section(rep, g, brown)

    rep.add("Benchmark wall time: %.0f s." % (time.perf_counter() - started))
    with open(out_md, "w", encoding="utf-8") as f:
        f.write("\n".join(rep.lines) + "\n")
    log("wrote %s" % out_md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
