"""How a mean score is shown: two decimals, rounded half up (ranking itself uses exact fractions)."""

from __future__ import annotations

from fractions import Fraction


def fmt(value: Fraction) -> str:
    """Two decimals, rounded half up, for display (ranking uses the exact value)."""
    scaled = value * 100
    whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    return f"{sign}{whole // 100}.{whole % 100:02d}"
