"""The console the command line prints to: a Chinese Windows console, a redirect or a pipe is
often code page 936 (GBK), which lacks ✔/✘ and rare name characters such as 䶮.

``setup()`` runs once at start and gives stdout/stderr an error handler that writes a close
GBK character (√ × ·) or ``?`` for what the console cannot show, instead of crashing half-way.
Machine-readable output (JSON) must not lose characters: ``json_ascii()`` says when to escape.
"""

from __future__ import annotations

import codecs
import sys
from typing import TextIO

HANDLER = "collector-console"
# Stand-ins that GBK (and most Chinese code pages) can show.
_FALLBACK = {"✔": "√", "✓": "√", "✘": "×", "✗": "×", "•": "·", "\u00a0": " "}


def _replace(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    out = []
    for char in err.object[err.start:err.end]:
        stand_in = _FALLBACK.get(char, "?")
        try:
            stand_in.encode(err.encoding)
        except (UnicodeError, LookupError):
            stand_in = "?"
        out.append(stand_in)
    return "".join(out), err.end


codecs.register_error(HANDLER, _replace)


def setup(streams: tuple[TextIO | None, ...] | None = None) -> None:
    """Keep each stream's encoding (what the console or PowerShell expects) but never fail on
    a character it cannot encode. Streams without ``reconfigure`` (tests' StringIO) are left."""
    for stream in streams or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=HANDLER)
        except (ValueError, OSError):  # a closed or detached stream
            pass


def is_utf8(stream: TextIO | None = None) -> bool:
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def json_ascii(stream: TextIO | None = None) -> bool:
    """JSON to a non-UTF-8 stream is written with ``\\uXXXX`` escapes: whole and lossless in
    any code page, and read back unchanged by every JSON reader."""
    return not is_utf8(stream)
