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
import shutil
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
        activate = r".venv\Scripts\activate" if os.name == "nt" else ". .venv/bin/activate"
        print(f"已安装。命令行 collector：在本文件夹中先运行 {activate}，"
              "或把示例中的 collector 写成 python3 run.py cli", flush=True)
    return venv_python()


# Shared libraries Qt needs on Linux that a bare Debian/Ubuntu may lack, and their packages.
QT_SYSTEM_LIBS = {
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1", "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0", "libfreetype.so.6": "libfreetype6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libxcb-cursor.so.0": "libxcb-cursor0",
}


def ensure_qt_system_libs() -> None:
    """On Linux, install the few system libraries Qt needs (Debian/Ubuntu, as root), or say which."""
    if not sys.platform.startswith("linux"):
        return
    qt = next((VENV / "lib").glob("python3*/site-packages/PySide6/Qt"), None)
    if qt is None:
        return
    targets = [qt / "lib" / "libQt6Gui.so.6", qt / "plugins" / "platforms" / "libqoffscreen.so"]
    missing: set[str] = set()
    for target in targets:
        if not target.exists():
            continue
        try:
            out = subprocess.run(["ldd", str(target)], capture_output=True, text=True).stdout
        except OSError:
            return
        missing |= {line.split()[0] for line in out.splitlines() if "not found" in line}
    packages = sorted({QT_SYSTEM_LIBS[lib] for lib in missing if lib in QT_SYSTEM_LIBS})
    if not packages:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"安装 Qt 所需的系统库：{' '.join(packages)} …", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.call(["apt-get", "update", "-qq"], env=env)
        subprocess.check_call(["apt-get", "install", "-y", "-qq", *packages], env=env)
    else:
        print(f"缺少 Qt 所需的系统库，请安装：sudo apt-get install {' '.join(packages)}",
              file=sys.stderr)


def main(argv: list[str]) -> int:
    py = str(ensure_setup())
    ensure_qt_system_libs()
    what = argv[0] if argv else "app"
    if what == "test":
        return subprocess.call([py, "-m", "pytest", *argv[1:]], cwd=ROOT)
    # The command line and the app run in the caller's folder, so relative paths
    # (``--db rel.db``, ``validate cand.json``) mean what the user typed.
    if what == "cli":
        return subprocess.call([py, "-m", "collector", *argv[1:]])
    if what == "app":
        return subprocess.call([py, "-m", "ui", *argv[1:]])
    sys.exit(f"用法：python3 run.py [app|test|cli ...]（未知命令 {what}）")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
