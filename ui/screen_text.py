"""Core messages as a GUI screen shows them: the core writes one message for every edge, and
some name the command that does the same on the command line; a GUI screen shows neither those
command-line hints nor the findings' rule codes (PRINT, DUPLICATE …), which mean nothing there."""

from __future__ import annotations

import re

# （collector …）, （… 或 collector …）, （命令行 collector …）, "，或 collector …" up to the clause end
_PAREN = re.compile(r"（[^（）]*?collector [^（）]*）")
_OR = re.compile(r"[，,]?\s*(或|或者|也可用|命令行)\s*(用\s*)?collector [^，。；）\n]*")


def for_screen(message: str) -> str:
    """``message`` without command-line hints (and without parentheses they leave empty)."""
    text = _OR.sub("", message)
    text = _PAREN.sub(lambda m: _keep_gui_part(m.group(0)), text)
    return text.replace("（）", "").strip()


def _keep_gui_part(paren: str) -> str:
    """（审核与名额 → 纸质材料核对…，或 collector paper-check） keeps its GUI half."""
    inner = paren[1:-1]
    gui = re.split(r"[，,]?\s*或\s*", inner)[0]
    return "" if "collector " in gui else f"（{gui}）"

