"""Make ``resources/fonts/gbsn00lp-subset.ttf``, the Song (宋体-style) face of the printed
forms, from AR PL SungtiL GB (文鼎ＰＬ简报宋, Debian package fonts-arphic-gbsn00lp):

    pip install fonttools
    python tools/subset_song.py /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf

Kept, so the installer stays small: printable ASCII, the symbols, full-width forms and
punctuation of GB 2312 (rows 1-9), its 3,755 常用 汉字 (level 1, rows 16-55), and every
character of the forms' own wording (the printing code, the field labels, the year's rules: a
民族 or 盟市 name in level 2 such as 仡 or 鄂 prints in Song too). Dropped: hinting (the forms are printed and embedded,
never drawn at screen sizes) and the obsolete ``mort`` table. A character outside the subset is
printed in the bundled sans (``collector.common.fonts``). The Arphic Public License (section 2a) asks
for a notice of the change in the modified file: it is written into the name table."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "gbsn00lp-subset.ttf"


ROOT = Path(__file__).resolve().parent.parent
FORM_TEXT = [*sorted((ROOT / "collector" / "printing").glob("*.py")), ROOT / "collector" / "fields.py",
             *sorted((ROOT / "resources" / "rules").glob("*.toml"))]


def characters() -> set[int]:
    out = set(range(0x20, 0x7F))
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            row = chr(code).encode("gb2312")[0] - 0xA0
        except UnicodeEncodeError:
            continue
        if row <= 9 or 16 <= row <= 55:
            out.add(code)
    for path in FORM_TEXT:
        out.update(ord(ch) for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x7F)
    return out


def main(source: str) -> None:
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["mort", "fpgm", "prep", "cvt ", "gasp"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(source)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(characters()))
    sub.subset(font)
    day = dt.date.today().isoformat()
    note = (f"Modified {day} by Talent Collector (tools/subset_song.py): subset to printable "
            "ASCII, GB 2312 symbols and level-1 characters and the forms' own wording, hinting "
            "removed. Distributed under the ARPHIC "
            "PUBLIC LICENSE (ARPHICPL.TXT).")
    for rec in font["name"].names:
        if rec.nameID == 0:
            rec.string = rec.toUnicode() + " " + note
        elif rec.nameID == 5:
            rec.string = rec.toUnicode() + "; GB 2312 subset " + day
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(font.getBestCmap())} characters")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
