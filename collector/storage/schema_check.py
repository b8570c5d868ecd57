"""Does a database file hold exactly this project's schema for its version?

A restored backup becomes the live database, so a hostile or foreign one must not bring a
trigger (it would run on our own writes), a view, an extra table or a changed column. The
expected schema of version N is built by running the first N migrations on an empty database,
and compared by structure (objects, their columns and index columns), not by SQL text, which
differs between sqlite-utils releases.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

import sqlite_utils

from .migrations import MIGRATIONS

KIND = {"table": "表", "index": "索引", "view": "视图", "trigger": "触发器"}
Schema = dict[tuple[str, str], tuple]


def describe(conn: sqlite3.Connection) -> Schema:
    """(type, name) -> structure of every object that is not SQLite's own (``sqlite_*``)."""
    out: Schema = {}
    rows = conn.execute("SELECT type, name, tbl_name FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
    for kind, name, table in rows:
        if kind == "table":
            cols = conn.execute("SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                                "FROM pragma_table_xinfo(?)", [name]).fetchall()
            out[(kind, name)] = tuple(cols)
        elif kind == "index":
            cols = conn.execute("SELECT name FROM pragma_index_xinfo(?) WHERE key",
                                [name]).fetchall()
            out[(kind, name)] = (table, tuple(cols))
        else:  # views and triggers: the project has none, any one is foreign
            out[(kind, name)] = (table,)
    return out


@lru_cache(maxsize=None)
def expected(version: int) -> Schema:
    conn = sqlite3.connect(":memory:")
    try:
        db = sqlite_utils.Database(conn)
        for step in MIGRATIONS[:version]:
            step(db)
        return describe(conn)
    finally:
        conn.close()


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """Human-readable differences from the project's schema of ``version`` (empty: identical)."""
    have, want = describe(conn), expected(version)
    notes = [f"多出的{KIND.get(k, k)} {n}" for k, n in sorted(set(have) - set(want))]
    notes += [f"缺少{KIND.get(k, k)} {n}" for k, n in sorted(set(want) - set(have))]
    notes += [f"{KIND.get(k, k)} {n} 的结构不同" for k, n in sorted(set(have) & set(want))
              if have[(k, n)] != want[(k, n)]]
    return notes
