"""密钥登记表: the paper an office stamps and hands to the level above so its key is registered
(DESIGN §6 "Keys are registered, on paper too"). It names the unit, its level and channel, and
the key's full fingerprint; its QR (``office.register.qr_text``) is what the level above scans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from ..rpu.keys import grouped
from .common import SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .tables import BASE_STYLE

TITLE = "报送密钥登记表"
NOTE = ("本表用于向上级登记本单位“人才信息采集”程序的签名密钥。上级凭本表登记后，本单位报送的"
        "电子数据方被认可；未登记密钥签名的报送包将被暂扣。请核对指纹无误后加盖公章，"
        "与书面材料一并报送。密钥更换后须重新登记。")


def key_form_pdf(out_path: Path, *, unit: str, level: str, channel: str, fingerprint: str,
                 qr: str, person: str = "", today: dt.date | None = None) -> PrintResult:
    """One page: who, which key, the QR the level above scans, and room for the stamp."""
    ink = Ink(who=unit)
    day = today or dt.date.today()
    rows = [("单位名称", unit), ("级　　别", level), ("推荐渠道", channel or "—"),
            ("密钥指纹", grouped(fingerprint)), ("经 办 人", person or "＿＿＿＿＿＿＿＿"),
            ("填表日期", f"{day.year}年{day.month}月{day.day}日")]
    table = Table([[paragraph(k, "label"), ink.p(v, "cell", k)] for k, v in rows],
                  colWidths=[32 * mm, 142 * mm], minRowHeights=[10 * mm] * len(rows),
                  style=list(BASE_STYLE) + [("BACKGROUND", (0, 0), (0, -1), SHADE)],
                  hAlign="LEFT")
    story = [paragraph(TITLE, "title"), Spacer(1, 6 * mm), table, Spacer(1, 6 * mm),
             paragraph(ink.markup(NOTE), "body"), Spacer(1, 30 * mm),
             paragraph("（单位公章）　　　　　　　　　　负责人（签字）：＿＿＿＿＿＿＿＿", "text")]
    footer = Footer(fingerprint=fingerprint, caption="密钥指纹", header=f"{TITLE} · {unit}",
                    hint="上级登记：扫描右侧二维码（文件 → 密钥登记与年度配置包 → 密钥登记）", qr=qr)
    pages = build_pdf(Path(out_path), story, footer, title=f"{TITLE} {unit}")
    return PrintResult(Path(out_path), pages, ink.warnings, fingerprint)
