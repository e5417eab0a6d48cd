# SPDX-License-Identifier: MIT
"""The README's Python session, run as a doctest: what it shows is what the
module prints."""
import doctest
import os
import re

from conftest import ROOT


def readme_blocks():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), re.S)


def test_readme_session_runs_as_shown(monkeypatch):
    (session,) = [b for b in readme_blocks() if b.startswith(">>> import gaztag")]
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(session, {}, "README session", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
    assert runner.tries >= 8
