"""``collector disc --out DIR [--iso FILE.iso] [--medium cd|dvd]`` and ``disc verify`` (DESIGN §9)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..common.errors import UsageError
from .common import open_store, print_warnings
from .common import unlock, optional_date, recipients_from

# = collector.disc.MEDIA's keys, written out so that building the parser imports no disc code
# (tests/core/test_cli_light.py checks they agree).
MEDIA = ("cd", "dvd")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("disc", help="制作报送光盘：文件夹（RPU/、PRINT/、汇总表、校验清单）和 ISO 映像；"
                                    "disc verify 校验光盘")
    p.add_argument("--out", metavar="DIR", help="光盘文件夹（须为新的或空文件夹）")
    p.add_argument("--iso", metavar="FILE.iso", help="同时制作 ISO 映像")
    p.add_argument("--medium", choices=MEDIA, default="cd",
                   help="光盘介质：cd（700 MB，默认）或 dvd（4.7 GB）")
    p.add_argument("--rpu", action="append", metavar="FILE.rpu",
                   help="放入已生成的报送包（默认：现在生成本级上报包）")
    p.add_argument("--to", action="append", metavar="KEYFILE", help="上级接收方公钥文件")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_disc)
    ds = p.add_subparsers(dest="disc_command", metavar="verify")
    v = ds.add_parser("verify", help="按 MANIFEST.sha256 校验光盘文件夹或 ISO 映像中的每个文件")
    v.add_argument("path", metavar="DIR|FILE.iso")
    v.set_defaults(func=cmd_verify)


def cmd_disc(args: argparse.Namespace) -> int:
    from .. import disc
    from ..office.export import make_disc

    if not args.out:
        raise UsageError("请用 --out 指定光盘文件夹（或用 disc verify 校验光盘）")
    disc.check_target(Path(args.out))
    with open_store(args, create=False) as store:
        identity = unlock(store)
        result = make_disc(store, Path(args.out), identity=identity, iso=args.iso,
                           medium=args.medium, rpu_files=args.rpu or (),
                           recipients=recipients_from(args.to), today=optional_date(args.today))
    print_warnings(result.warnings)
    print(f"光盘文件夹：{result.folder}（{result.files} 个文件，已校验）")
    if result.iso:
        print(f"光盘映像：{result.iso}（{result.iso_size / 1_000_000:.1f} MB，已校验）")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .. import disc

    if not Path(args.path).exists():
        raise UsageError(f"文件 {args.path} 不存在")  # the same line and exit code everywhere
    report = disc.verify(Path(args.path))
    print(report.message())
    return 0 if report.ok else 1
