"""佐证材料类别 guessed from a file's name (``职称证书.jpg`` → 职称证书) with the year's words
(``[evidence_words]``): the editor files a new attachment by it and asks when unsure; the
checklist names attachments filed elsewhere that may be the missing evidence."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from ..record.year import ProgramYear

OTHER = "其他"


@dataclass(frozen=True)
class Guess:
    category: str   # the category to file it under (OTHER when no word fits)
    sure: bool      # exactly one category's words are in the name: no need to ask


def _words_in(name: str, year: ProgramYear) -> list[str]:
    text = unicodedata.normalize("NFKC", PurePath(name).stem).lower()
    return [cat for cat, words in year.evidence_words.items()
            if any(w.lower() in text for w in words)]


def guess_category(name: str, year: ProgramYear) -> Guess:
    """The category a file's name suggests; ``sure`` only when one category fits alone."""
    hits = _words_in(name, year)
    if len(hits) == 1:
        return Guess(hits[0], True)
    return Guess(hits[0] if hits else OTHER, False)


def may_fit(attachments: list[dict], category: str, year: ProgramYear) -> list[str]:
    """Attachments filed under another category whose file name or title suggests ``category``
    (how a user finds the certificate that was left as 其他)."""
    out = []
    for a in attachments:
        if a.get("category") == category:
            continue
        names = (a.get("file") or "", a.get("title") or "")
        if any(category in _words_in(n, year) for n in names if n):
            out.append(a.get("title") or a.get("file") or "")
    return out
