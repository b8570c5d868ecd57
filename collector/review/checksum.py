"""The score sheet's fixed part and its HMAC (keyed with the round's secret, kept in the store).

An expert cannot recompute the code, so a sheet whose round, expert or candidate list was
changed after export fails the check on import.
"""

from __future__ import annotations

import hashlib
import hmac

from ..common.fingerprint import canonical_json
from .rounds import Round

SHEET_FORMAT = "collector-review-sheet/1"


def fixed_part(rnd: Round, expert: str) -> dict:
    rules = rnd.rules
    return {
        "format": SHEET_FORMAT,
        "round": rnd.id,
        "expert": expert,
        "candidates": [c.id for c in rnd.candidates],
        "criteria": [[c.id, c.weight] for c in rules.criteria],
        "range": [str(rules.score_min), str(rules.score_max), rules.score_decimals],
    }


def sheet_code(rnd: Round, expert: str) -> str:
    """HMAC-SHA256 (hex) of the sheet's fixed part."""
    return hmac.new(bytes.fromhex(rnd.secret), canonical_json(fixed_part(rnd, expert)),
                    hashlib.sha256).hexdigest()


def short_code(code: str) -> str:
    """What paper shows: four blocks of four, e.g. ``3F2A-91C0-77B4-0D1E``."""
    up = code.upper()
    return "-".join(up[i:i + 4] for i in range(0, 16, 4))


def code_matches(rnd: Round, expert: str, claimed: str) -> bool:
    return hmac.compare_digest(sheet_code(rnd, expert), (claimed or "").strip().lower())
