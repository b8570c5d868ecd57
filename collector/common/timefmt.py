"""The one way the program writes "now": local time with its offset, to the second (audit rows,
package headers, backups, decisions)."""

from __future__ import annotations

import datetime as dt


def now_text() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
