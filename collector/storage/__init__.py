"""The local store: SQLite database, its attachment files, migrations, locking, backup and interchange JSON."""
