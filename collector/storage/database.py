"""``Store.db``: the store's SQLite connection with the three calls code uses on it.

``execute``, ``conn`` and ``table_names`` behave as sqlite_utils.Database's do on the store's
autocommit connection; importing sqlite_utils costs about 0.1 s (click, dateutil, pluggy), so
only the schema migrations, which use its table helpers, load it (``for_migrations``).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Sequence


class Database:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.execute("PRAGMA recursive_triggers=on")  # as sqlite_utils.Database sets it

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None
                ) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]

    def for_migrations(self):
        """A sqlite_utils.Database on the same connection, for the migration steps."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)  # no entry-point scan
