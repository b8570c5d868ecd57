#!/usr/bin/env python3
"""One entry point for a fresh machine: set up ``.venv`` (once), then launch the app or the tests.

    python3 run.py            set up, then start the desktop app (人才信息采集)
    python3 run.py test       set up, then run the whole test suite
    python3 run.py cli ARGS   set up, then run the ``collector`` command line

Only Python 3.11+ is needed; everything else comes from ``pyproject.toml``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_setup() -> Path:
    if sys.version_info < (3, 11):
        sys.exit("需要 Python 3.11 或更高版本 / Python 3.11+ is required")
    if not venv_python().exists():
        print("创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("安装依赖（首次需要几分钟）…", flush=True)
        py = str(venv_python())
        subprocess.check_call([py, "-m", "pip", "install", "-q", "--upgrade", "pip"])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"])
        STAMP.write_text(wanted)
    return venv_python()


def main(argv: list[str]) -> int:
    py = str(ensure_setup())
    what = argv[0] if argv else "app"
    if what == "test":
        return subprocess.call([py, "-m", "pytest", *argv[1:]], cwd=ROOT)
    if what == "cli":
        return subprocess.call([py, "-m", "collector", *argv[1:]], cwd=ROOT)
    if what == "app":
        return subprocess.call([py, "-m", "ui", *argv[1:]], cwd=ROOT)
    sys.exit(f"用法：python3 run.py [app|test|cli ...]（未知命令 {what}）")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
