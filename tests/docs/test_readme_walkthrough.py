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


def _without_collector_on_path(path: str) -> str:
    """PATH minus any folder holding a ``collector``: the README's own lines must provide it."""
    return os.pathsep.join(d for d in path.split(os.pathsep)
                           if d and not (Path(d) / "collector").exists())


@pytest.mark.skipif(shutil.which("bash") is None, reason="the walk-through is a bash session")
def test_readme_walkthrough_runs_from_another_folder(tmp_path):
    script = walkthrough()
    assert "python3 run.py cli --version" in script and ". .venv/bin/activate" in script
    assert "mkdir -p ../tc-try/scans && cd ../tc-try" in script
    assert script.count("run.py") == 1 and "cli()" not in script  # collector, as printed
    work = tmp_path / "tc-try"
    script = script.replace("../tc-try", shlex.quote(str(work)))
    venv_bin = Path(sys.executable).parent
    if not _setup_is_current():
        # run.py would reinstall .venv first (pyproject changed since); a test must not.
        script = script.replace("python3 run.py cli --version", "true")
    if venv_bin.parent != ROOT / ".venv":  # the suite runs in another environment
        script = script.replace(". .venv/bin/activate",
                                f'export PATH={shlex.quote(str(venv_bin))}:"$PATH"')
    env = {k: v for k, v in os.environ.items() if k not in ("COLLECTOR_DB", "COLLECTOR_PASSPHRASE",
                                                            "VIRTUAL_ENV")}
    env["PATH"] = _without_collector_on_path(env.get("PATH", ""))
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


def _synopsis() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Command line"):text.index("`validate FILE.json` checks")]
    lines = block.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    return [ln.split("  #")[0] for ln in lines if ln.startswith("collector ")]


def _subparsers(parser):
    import argparse

    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def test_every_command_and_option_of_the_readme_synopsis_exists():
    """The README's command list is a synopsis with placeholders (the user guide's examples run
    in tests/docs/test_user_guide_commands.py): its commands and options are the parser's."""
    from collector.cli import build_parser

    root = build_parser()
    commands = _subparsers(root)[0].choices
    lines: list[str] = []
    for line in _synopsis():  # `duplicates | resolve-duplicate …`: two commands on one line
        first, *rest = line.split(" | ")
        lines.append(first)
        for part in rest:
            if part.split()[0] in commands:
                lines.append(f"collector {part}")
            else:
                lines[-1] += f" | {part}"
    problems = []
    for line in lines:
        words = line.split()[1:]
        parser = root
        while words and _subparsers(parser) and words[0] in _subparsers(parser)[0].choices:
            parser = _subparsers(parser)[0].choices[words.pop(0)]
        known = set(root._option_string_actions) | set(parser._option_string_actions)
        for sub in _subparsers(parser):  # `keys generate … | show | import-recipient …`
            for child in sub.choices.values():
                known |= set(child._option_string_actions)
        if parser is root and not line.startswith("collector --"):
            problems.append(f"no such command: {line}")
        options = {o for o in re.findall(r"--[a-z][a-z-]*", line)}
        problems += [f"{line}: {o}" for o in sorted(options - known)]
    assert len(_synopsis()) > 30 and problems == []
