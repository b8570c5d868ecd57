"""The ``collector`` command line (DESIGN §7). Each module in COMMAND_MODULES adds its commands.

Exit codes: 0 success, 1 findings or a failed check or bad data, 2 usage error.

Every command builds the whole parser, so a command module's top may import only light
things (argparse, the standard library, ``..errors``, ``.common``); each ``cmd_*`` handler
imports the core modules it needs (the store, rules, printing, crypto, ISO …) when it runs.
That keeps ``collector --help`` and ``collector list`` fast (DESIGN §10);
tests/core/test_cli_light.py fails when a module's top pulls in a heavy library.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..common.errors import CollectorError, os_reason
from . import argparse_zh

# Each module has ``register(subparsers)`` adding its sub-commands with ``set_defaults(func=...)``.
COMMAND_MODULES = ("core", "attach", "schema", "admin", "printing", "review", "rpu", "office",
                   "duplicates", "disc", "chain", "trust")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    argparse_zh.install()
    parser = argparse.ArgumentParser(
        prog="collector",
        description="人才信息采集（百千万人才工程国家级人选）命令行工具",
    )
    parser.add_argument("--db", metavar="PATH",
                        help="数据库文件（默认：环境变量 COLLECTOR_DB 或用户数据文件夹）")
    parser.add_argument("--version", action="version", version=f"collector {__version__}",
                        help="显示版本号并退出")
    from .admin import SelftestAction

    parser.add_argument("--selftest", action=SelftestAction,
                        help="在临时文件夹中无界面运行演示全流程并检查结果，然后退出")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    _accept_db_after_command(sub)
    return parser


def _accept_db_after_command(sub: argparse._SubParsersAction) -> None:
    """Let ``--db`` also follow the command (``collector list --db X``), at every level."""
    for parser in set(sub.choices.values()):
        if "--db" not in parser._option_string_actions:
            parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                                help=argparse.SUPPRESS)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _accept_db_after_command(action)


def main(argv: list[str] | None = None) -> int:
    from ..common.console import setup

    setup()  # a GBK console must not end a command half-way on ✔ or a rare character
    try:  # --selftest runs while parsing: inside the one error handler too
        args = build_parser().parse_args(argv)  # exits 2 with a usage line on bad arguments
        return int(args.func(args) or 0)
    except CollectorError as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:
        where = f"{err.filename}：" if err.filename else ""
        print(f"错误：{where}{os_reason(err)}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: one line for the user, the traceback in a log file
        if os.environ.get("COLLECTOR_DEBUG"):
            raise
        from ..common.crashlog import write_crash

        log = write_crash(err, getattr(args, "db", None))
        where = f"详细信息已写入 {log}，请把该文件发给技术支持" if log else "请联系技术支持"
        print(f"错误：程序内部错误（{type(err).__name__}: {err}），{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
