#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check that the man page, every command's --help and the bash completion
agree.

usage: compare.py GAZTAG MANPAGE COMPLETION

- the commands listed by `gaztag --help` are the .SS entries under COMMANDS;
- each option of `gaztag CMD --help` (short and long) is documented in that
  command's .SS section or under COMMON OPTIONS, and each option documented
  in a command's section is in its --help;
- COMMON OPTIONS lists only options of `gaztag --help`;
- the completion offers exactly the commands, and for each command exactly
  the long options, of --help;
- every format under OUTPUT FORMATS is accepted by `tag --format`, and the
  completion offers exactly those formats.
Prints one line per disagreement and exits 1 if there is any.
"""
import re
import subprocess
import sys

OPT = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


def help_text(gaztag, *cmd):
    r = run([gaztag, *cmd, "--help"])
    if r.returncode != 0:
        sys.exit(f"'{' '.join(['gaztag', *cmd, '--help'])}' exited {r.returncode}")
    return r.stdout


def help_options(text):
    """The options named in the option column of a --help text."""
    opts = set()
    for line in text.splitlines():
        m = re.match(r"\s+(-.*)", line)
        if not m:
            continue
        spec = re.split(r"\s{2,}", m.group(1))[0]
        opts.update(OPT.findall(spec))
    return opts


def help_commands(text):
    cmds, inside = [], False
    for line in text.splitlines():
        if line.startswith("Commands:"):
            inside = True
        elif inside and not line.strip():
            break
        elif inside:
            m = re.match(r"\s+([a-z][\w-]*)(\s{2,}|$)", line)
            if m:
                cmds.append(m.group(1))
    return set(cmds)


def roff_plain(line):
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)
    return line.replace("\\-", "-").replace('"', " ")


def man_sections(path):
    """{(SH, SS): [lines]} of the man page, SS '' for text before any .SS."""
    sections, sh, ss = {}, "", ""
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line.startswith(".SH "):
                sh, ss = roff_plain(line[4:]).strip(), ""
                continue
            if line.startswith(".SS "):
                ss = roff_plain(line[4:]).strip()
                sections.setdefault((sh, ss), [])
                continue
            sections.setdefault((sh, ss), []).append(line)
    return sections


def tagged_options(lines):
    """Options named in the tag line of each .TP item."""
    opts = set()
    for prev, line in zip(lines, lines[1:]):
        if prev.strip() == ".TP":
            opts.update(OPT.findall(roff_plain(line)))
    return opts


def complete(completion, gaztag, *words):
    script = ('source "$1"; shift; COMP_WORDS=("$@"); '
              'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _gaztag; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    r = run(["bash", "-c", script, "complete", completion, gaztag, *words])
    return {w for w in r.stdout.splitlines() if w}


def main():
    gaztag, manpage, completion = sys.argv[1:4]
    problems = []
    sections = man_sections(manpage)

    main_help = help_text(gaztag)
    commands = help_commands(main_help)
    man_commands = {ss for (sh, ss) in sections if sh == "COMMANDS" and ss}
    for c in sorted(commands - man_commands):
        problems.append(f"command '{c}' is in --help but not in the man page")
    for c in sorted(man_commands - commands):
        problems.append(f"command '{c}' is in the man page but not in --help")

    common = tagged_options(sections.get(("COMMON OPTIONS", ""), []))
    for o in sorted(common - help_options(main_help)):
        problems.append(f"common option '{o}' is in the man page but not in 'gaztag --help'")

    got = complete(completion, gaztag, "")
    if got != commands:
        problems.append(f"completion offers commands {sorted(got)}, --help lists {sorted(commands)}")

    for c in sorted(commands & man_commands):
        in_help = help_options(help_text(gaztag, c))
        in_man = tagged_options(sections[("COMMANDS", c)])
        for o in sorted(in_help - in_man - common):
            problems.append(f"'{o}' is in 'gaztag {c} --help' but not in the man page")
        for o in sorted(in_man - in_help):
            problems.append(f"'{o}' is in the man page under {c} but not in 'gaztag {c} --help'")
        longs = {o for o in in_help if o.startswith("--")}
        got = {w.rstrip("=") for w in complete(completion, gaztag, c, "--")}
        if got != longs:
            problems.append(f"completion of 'gaztag {c} --' offers {sorted(got)}, "
                            f"--help lists {sorted(longs)}")

    formats = {ss for (sh, ss) in sections if sh == "OUTPUT FORMATS" and ss}
    tag_opts = help_options(help_text(gaztag, "tag")) if "tag" in commands else set()
    if "--format" in tag_opts:
        for fmt in sorted(formats):
            r = run([gaztag, "tag", "--no-default-dicts", "--no-default-rules",
                     "--format", fmt], input="")
            if r.returncode != 0:
                problems.append(f"format '{fmt}' is in the man page but 'tag --format {fmt}' "
                                f"exits {r.returncode}: {r.stderr.strip()}")
        got = complete(completion, gaztag, "tag", "--format", "")
        if got != formats:
            problems.append(f"completion of '--format' offers {sorted(got)}, "
                            f"the man page documents {sorted(formats)}")
    elif formats != {"tsv"}:
        problems.append(f"the man page documents formats {sorted(formats)} "
                        "but 'tag' has no --format option")

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
