"""Errors of the .rpu package and of keys; each is one Chinese line for the user."""

from __future__ import annotations

from ..errors import CollectorError


class PackageError(CollectorError):
    """A package that cannot be trusted or read: damaged, tampered, not for us, too big …"""


class IdentityError(CollectorError):
    """No identity yet, a malformed public key block, an unknown recipient."""


class PassphraseError(CollectorError):
    """The passphrase does not open this installation's private keys."""


class Cancelled(CollectorError):
    """The user cancelled a pack or import; nothing was written."""


class PackRefused(CollectorError):
    """Candidates with error-severity findings cannot be packed. ``findings``: (label, Finding)."""

    def __init__(self, findings: list):
        self.findings = findings
        names = sorted({label for label, _ in findings})
        super().__init__(f"{len(names)} 名候选人有未改正的错误（{'、'.join(names)}），"
                         "请改正后再生成报送")

