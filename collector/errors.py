"""The project's own exception types; the CLI and the UI turn them into one Chinese line."""

from __future__ import annotations


class CollectorError(Exception):
    """Base of every error a user may see. ``str(err)`` is the message to show."""

    exit_code = 1


class InputError(CollectorError):
    """Bad input data (JSON, a field's type or value). Names the field when there is one."""

    def __init__(self, message: str, field: str | None = None, source: str | None = None):
        self.field = field
        self.source = source
        self.message = message
        parts = []
        if source:
            parts.append(source)
        if field:
            parts.append(f"字段 {field}")
        prefix = "：".join(parts)
        super().__init__(f"{prefix}：{message}" if prefix else message)


class StoreError(CollectorError):
    """The database cannot be opened, is of an unknown version, or is locked."""


class RulesError(CollectorError):
    """The program year's rules file is missing or malformed."""


class NotFoundError(CollectorError):
    """A candidate, key or file that was asked for does not exist."""


class UsageError(CollectorError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class FileInUseError(CollectorError):
    """A file cannot be replaced: another program (Excel, WPS, Acrobat, antivirus) holds it."""
