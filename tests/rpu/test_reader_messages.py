"""The reader's refusals read in full: a file that cannot be opened, a package for other keys
(every recipient named), a bad signature, a manifest that disagrees with the header, and a
low-level failure; a verified package names its recipients."""

from __future__ import annotations

import struct

import pytest

from collector import rpu
from collector.common.errors import os_reason
from collector.rpu import reader
from collector.rpu.errors import PackageError
from collector.rpu.keys import short
from collector.exchange import keyring
from collector.exchange.packing import pack

from .conftest import PASS, TODAY, add_candidates


def test_a_file_that_cannot_be_opened_is_named_with_the_reason(office, tmp_path, monkeypatch):
    missing = tmp_path / "没有这个文件.rpu"
    with pytest.raises(PackageError) as err:
        rpu.open_package(missing, office.identity)
    assert str(err.value) == f"没有这个文件.rpu：文件 {missing} 不存在"
    with pytest.raises(PackageError) as err:
        rpu.open_package(tmp_path, office.identity)
    assert str(err.value) == f"{tmp_path.name}：{tmp_path} 是文件夹，不是报送文件"

    denied = PermissionError(13, "Permission denied")

    def refuse(*_args, **_kw):
        raise denied

    monkeypatch.setattr(reader, "open", refuse, raising=False)  # as an unreadable file would
    locked = tmp_path / "锁定.rpu"
    with pytest.raises(PackageError) as err:
        rpu.open_package(locked, office.identity)
    assert str(err.value) == f"锁定.rpu：无法打开 {locked}：{os_reason(denied)}"
    assert os_reason(denied) != "Permission denied"
    with pytest.raises(PackageError) as err:  # Windows refuses a folder so too: still a folder
        rpu.open_package(tmp_path, office.identity)
    assert str(err.value) == f"{tmp_path.name}：{tmp_path} 是文件夹，不是报送文件"


def test_a_package_for_other_keys_names_every_recipient(applicant, office, stranger, tmp_path):
    add_candidates(applicant.store, 1, tmp_path, with_files=False)
    out = tmp_path / "p.rpu"
    pack(applicant.store, [], out, identity=applicant.identity,
         recipients=[office.identity.public], today=TODAY)
    with pytest.raises(PackageError) as err:
        rpu.open_package(out, stranger.identity)
    names = "、".join(short(f) for f in (applicant.identity.fingerprint,
                                          office.identity.fingerprint))
    assert str(err.value) == (f"p.rpu：本文件不是发给本机密钥（{short(stranger.identity.fingerprint)}）"
                              f"的，无法解密；接收方为 {names}")
    pkg = rpu.open_package(out, office.identity)
    assert sorted(pkg.recipients) == sorted([applicant.identity.fingerprint,
                                             office.identity.fingerprint])


def test_a_low_level_failure_reads_as_one_line_naming_the_file(office, tmp_path, monkeypatch):
    def broken(*_):
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(reader, "_open_package", broken)
    with pytest.raises(PackageError) as err:
        rpu.open_package(tmp_path / "x.rpu", office.identity)
    assert str(err.value) == "x.rpu：文件已损坏"


def test_a_package_for_other_keys_names_each_recipient_this_machine_knows(
        package, applicant, stranger, office, cli, monkeypatch):
    """``verify`` by an installation the package is not for: a recipient whose key was imported
    here is named by its unit and name, the sender's key it never saw is said to be unknown."""
    keyring.import_recipient(stranger.store, keyring.public_key_block(office.store))
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    names = {office.identity.fingerprint: "（受理方单位 受理方）",
             applicant.identity.fingerprint: "（本机不认识的密钥）"}
    listed = "、".join(short(f) + names[f] for f in rpu.inspect(package)["recipients"])
    r = cli("verify", package, db=stranger.path)
    assert r.code == 1, r.err
    assert (f"本文件不是发给本机密钥（{short(stranger.identity.fingerprint)}）的，无法解密；"
            f"接收方为 {listed}") in r.err
