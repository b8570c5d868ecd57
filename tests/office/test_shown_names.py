"""A package's file name is the sender's choice (a bidi override flips 证书‮fdp.rpu into
证书upr.pdf; a newline forges a line): ``decisions`` and ``inbox`` print it escaped."""

from __future__ import annotations

import os

import pytest

from tests.office.conftest import PASS, applicant_package

HOSTILE = "证书\u202efdp\n[已导入] 伪造.rpu"


@pytest.mark.skipif(os.name == "nt", reason="NTFS refuses control characters in file names: the hostile name cannot be put on disk there")
def test_decisions_and_inbox_print_a_hostile_package_name_escaped(make_installation, tmp_path,
                                                                  cli, monkeypatch):
    from collector.office import inbox

    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    package = applicant_package(make_installation("a"), tmp_path / HOSTILE, [unit.public], 3)
    [entry] = inbox.import_many(unit.store, [package], unit.identity).entries
    assert entry.status == inbox.IMPORTED
    db = unit.store.path
    unit.store.close()
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    for command in ("decisions", "inbox"):
        r = cli(command, db=db)
        assert "证书\\u202efdp\\x0a[已导入] 伪造.rpu" in r.out, (command, r.out)
        assert "\u202e" not in r.out and "\n[已导入]" not in r.out
