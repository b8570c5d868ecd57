"""Entry point of the frozen app. One bundle folder holds two executables built from this script:

``TalentCollector`` (the desktop app) and ``collector`` (the command line, same as
``python -m collector``). ``--version`` and ``--selftest`` are answered here, before Qt is
imported, so they work on a machine without a display. ``TalentCollector --cli ARGS`` runs the
command line too (useful where only the GUI executable is on the menu).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _ensure_streams() -> None:
    # A windowed Windows executable has no console: print() would fail on None streams.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
    # Keep the console's code page (936 on a Chinese PC: what cmd, PowerShell 5.1 and pipes
    # expect) and show what it cannot encode as a stand-in, never a crash (collector.common.console).
    from collector.common.console import setup

    setup()


def _is_cli(argv: list[str]) -> bool:
    return Path(sys.executable).stem.lower() == "collector" or argv[:1] == ["--cli"]


def gui_selftest() -> int:
    """Core self-test, then open and close the main window once on an offscreen display."""
    from collector.demo.selftest import run_selftest

    code = run_selftest()
    try:
        import ui.app  # noqa: F401
    except ImportError:
        print("（本版本不含桌面界面，跳过界面自检）")
        return code
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="collector-gui-selftest-") as tmp:
        from ui.app import main as gui_main

        gui_code = gui_main(["--db", str(Path(tmp) / "collector.db"), "--quit-after", "200",
                             "--no-first-run"])
    print(f"{'✔' if gui_code == 0 else '✘'} 桌面界面启动并关闭（退出码 {gui_code}）")
    return code or (1 if gui_code else 0)


def main() -> int:
    # A helper process that prints forms (collector.printing.batch) starts this executable
    # again; freeze_support runs it as that helper and exits instead of opening the app.
    import multiprocessing

    multiprocessing.freeze_support()
    _ensure_streams()
    argv = sys.argv[1:]
    if _is_cli(argv):
        from collector.cli import main as cli_main

        return cli_main(argv[1:] if argv[:1] == ["--cli"] else argv)
    if "--version" in argv:
        from collector import __version__

        print(f"TalentCollector {__version__}")
        return 0
    if "--selftest" in argv:
        return gui_selftest()
    from ui.app import main as gui_main

    return gui_main(argv)


def run() -> int:
    """main() with a last net: an unexpected bug shows one line, the details only on request."""
    try:
        return main()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        if os.environ.get("COLLECTOR_DEBUG"):
            raise
        print(f"错误：程序内部错误（{type(err).__name__}: {err}）。"
              "设置环境变量 COLLECTOR_DEBUG=1 后重试可显示详细信息", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(run())
