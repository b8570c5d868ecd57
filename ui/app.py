"""Start the desktop app: ``collector-gui`` / ``python -m ui`` / ``python3 run.py``.

Keeps start-up fast: only QtWidgets and the store load before the window shows; the editor's
pages, the wizard and printing load when first used.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

START = time.time()


def parse_args(argv: list[str]) -> argparse.Namespace:
    from collector.cli import argparse_zh

    argparse_zh.install()  # 用法、错误、帮助 in Chinese, as on the command line
    p = argparse.ArgumentParser(prog="collector-gui", description="人才信息采集（桌面程序）")
    p.add_argument("--db", metavar="PATH", help="数据库文件（默认：COLLECTOR_DB 或用户数据文件夹）")
    p.add_argument("--quit-after", metavar="MS", type=int, default=None,
                   help="窗口显示 MS 毫秒后退出（用于脚本和测速）")
    p.add_argument("--screenshot", metavar="PNG", help="退出前把主窗口截图保存为 PNG")
    p.add_argument("--no-first-run", action="store_true",
                   help="不显示首次运行向导（也可设环境变量 COLLECTOR_NO_FIRST_RUN=1）")
    return p.parse_args(argv)


def db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from collector.common.paths import default_db_path

    return default_db_path()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("人才信息采集")
    _set_icon(app)
    app.setOrganizationName("TalentCollector")

    from . import errors, style

    style.apply(app)
    errors.install_excepthook()
    path = db_path(args)
    errors.setup_logging(path.parent)  # the data folder, created private; never the home folder

    from collector.common.errors import CollectorError

    try:
        store = open_store(path)
    except CollectorError as err:
        box = QMessageBox(QMessageBox.Icon.Critical, "无法打开数据库",
                          f"{err}\n\n请检查文件路径，或用 --db 指定另一个数据库文件。",
                          QMessageBox.StandardButton.Ok)
        if args.quit_after is not None:
            QTimer.singleShot(max(args.quit_after, 0), box.accept)
        box.exec()
        print(f"无法打开数据库：{err}", file=sys.stderr)
        return 1

    from .main_window import MainWindow

    window = MainWindow(store)
    window.show()

    if os.environ.get("COLLECTOR_REPORT_START") == "1":
        # For benchmarks/startup.py only, and on stderr: a user's console stays silent.
        def shown() -> None:
            print(f"SHOWN {time.time():.6f} {time.time() - START:.3f}", file=sys.stderr, flush=True)

        QTimer.singleShot(0, shown)
    skip_guide = (args.no_first_run or os.environ.get("COLLECTOR_NO_FIRST_RUN") == "1"
                  or args.quit_after is not None)
    if not skip_guide:
        from . import profile

        if profile.load(store) is None:
            QTimer.singleShot(200, window.open_first_run)
    if args.quit_after is not None:
        def finish() -> None:
            if args.screenshot:
                window.grab().save(args.screenshot)
            window.close()
            app.quit()

        QTimer.singleShot(max(args.quit_after, 0), finish)
    code = app.exec()
    store.close()  # releases the single-instance lock too
    # The process ends next. Python's exit runs full collections over every object, a Qt
    # wrapper and enum member among them (~0.1 s, a seventh of a start, issue 28); frozen
    # objects are skipped. Nothing is lost: the store is closed and logs flush at exit.
    gc.freeze()
    return code


def open_store(path: Path):
    """The store, holding the single-instance lock on ``<db>.lock`` as every CLI command does
    (``collector.storage.lock`` through ``Store(exclusive=True)``)."""
    from collector.storage.store import Store

    return Store(path, exclusive=True)


def _set_icon(app) -> None:
    from PySide6.QtGui import QIcon

    from collector.common.paths import resources_dir

    icon = resources_dir() / "icons" / "app.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


if __name__ == "__main__":
    sys.exit(main())
