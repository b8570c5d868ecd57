"""``disc`` and ``disc verify`` count the same files, and a warning is printed once (issue 14)."""

from __future__ import annotations

import json
import re

from tests.conftest import make_record


def test_disc_and_disc_verify_agree_on_the_count_and_warnings_print_once(cli, monkeypatch,
                                                                        tmp_path):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "disc output passphrase")
    assert cli("role", "--set", "单位", "--unit", "包头稀土研究院", "--channel", "包头市").code == 0
    assert cli("keys", "generate").code == 0
    rec = make_record(1, channel={"kind": "盟市", "name": "包头市"})
    src = tmp_path / "r.json"
    src.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    assert cli("decide", rec["id_number"], "推荐").code == 0

    r = cli("disc", "--out", tmp_path / "disc", "--today", "2017-05-02")  # after the deadline
    assert r.code == 0, r.err
    assert r.err.count("DEADLINE") == 1, repr(r.err)
    made = int(re.search(r"（(\d+) 个文件", r.out)[1])

    v = cli("disc", "verify", tmp_path / "disc")
    assert v.code == 0, v.out + v.err
    checked = int(re.search(r"(\d+) 个文件", v.out)[1])
    assert made == checked
    listed = (tmp_path / "disc" / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    assert made == len(listed)
