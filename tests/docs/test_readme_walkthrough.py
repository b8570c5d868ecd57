"""The README's command-line walk-through works as written, from a folder outside the clone
(issue 14), and the README and docs never point outside the repository."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START = "<!-- walkthrough:"
END = "<!-- end walkthrough -->"


def walkthrough() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(START):text.index(END)]
    return block.split("```sh\n", 1)[1].rsplit("```", 1)[0]


def _setup_is_current() -> bool:
    stamp = ROOT / ".venv" / ".setup-stamp"
    return stamp.exists() and stamp.read_text() == hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes()).hexdigest()


@pytest.mark.skipif(shutil.which("bash") is None, reason="the walk-through is a bash session")
def test_readme_walkthrough_runs_from_another_folder(tmp_path):
    script = walkthrough()
    assert 'REPO="$PWD"; mkdir -p ../tc-try/scans && cd ../tc-try' in script
    work = tmp_path / "tc-try"
    script = script.replace("../tc-try", shlex.quote(str(work)))
    if not _setup_is_current():
        # run.py would reinstall .venv first (pyproject changed since); a test must not.
        script = script.replace('python3 "$REPO/run.py" cli',
                                f"{shlex.quote(sys.executable)} -m collector")
    env = {k: v for k, v in os.environ.items() if k not in ("COLLECTOR_DB", "COLLECTOR_PASSPHRASE")}
    env["PYTHONIOENCODING"] = "utf-8"  # the walk-through is a UTF-8 shell session (✔ as printed)
    before = set(ROOT.iterdir())
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(ROOT.iterdir()) == before  # nothing written into the clone

    out = done.stdout
    assert "✔ 张三（150102197503120016）：符合条件，信息完整" in out
    assert "候选人 1 名，附件 2 个" in out
    assert re.search(r"^OK  签名者", out, re.M)
    assert (work / "try.db").is_file() and (work / "张三.rpu").is_file()
    exported = json.loads((work / "export" / "candidates.json").read_text(encoding="utf-8"))
    files = sorted(a["file"] for a in exported[0]["attachments"])
    assert len(files) == 2 and all((work / "export" / f).is_file() for f in files)
    [pdf] = [f for f in files if f.endswith("职称证书.pdf")]
    assert (work / "export" / pdf).read_bytes() == (work / "scans/职称证书.pdf").read_bytes()


LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_readme_and_docs_never_point_outside_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    problems = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "../shared" in text:
            problems.append(f"{page.name}: mentions ../shared")
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or an anchor, not a file in a clone
            path = (page.parent / target.split("#")[0]).resolve()
            if ROOT not in path.parents and path != ROOT:
                problems.append(f"{page.name}: {target} leaves the repository")
            elif not path.exists():
                problems.append(f"{page.name}: {target} does not exist")
    assert problems == []
