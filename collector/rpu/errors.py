"""Errors of the .rpu package and of keys; each is one Chinese line for the user."""

from __future__ import annotations

from ..common.errors import CollectorError


class PackageError(CollectorError):
    """A package that cannot be trusted or read: damaged, tampered, not for us, too big …"""


class NotForThisKey(PackageError):
    """The package has no stanza for this installation's key. ``recipients`` are the package's
    recipient fingerprints; whoever knows who they are (``keyring.name_recipients``) names them."""

    def __init__(self, own: str, recipients: list[str], file: str = "",
                 names: dict[str, str | None] | None = None):
        from ..common.fingerprint import short

        self.own, self.recipients, self.file, self.names = own, recipients, file, names or {}
        listed = "、".join(short(f) + (f"（{self.names[f]}）" if self.names.get(f) else
                                      "（本机不认识的密钥）" if names is not None else "")
                          for f in recipients)
        super().__init__(f"{file}：" * bool(file) + f"本文件不是发给本机密钥（{short(own)}）的，"
                         f"无法解密；接收方为 {listed}")

    def named(self, names: dict[str, str | None]) -> "NotForThisKey":
        return NotForThisKey(self.own, self.recipients, self.file, names)

    def in_file(self, file: str) -> "NotForThisKey":
        return NotForThisKey(self.own, self.recipients, file, self.names or None)


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

