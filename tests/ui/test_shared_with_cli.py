"""The desktop program and the command line share one lock and one settings model (issue 14)."""

from __future__ import annotations

import pytest

from collector.common.errors import InputError
from collector.office.profile import load_profile
from ui import profile as profiles
from ui.app import open_store


def test_the_app_and_a_cli_command_exclude_each_other(cli, db_path):
    store = open_store(db_path)
    try:
        r = cli("list")
        assert r.code == 1 and "正被另一个程序" in r.err
    finally:
        store.close()
    assert cli("list").code == 0


def test_the_gui_profile_refuses_a_channel_the_cli_refuses(store):
    with pytest.raises(InputError, match="不在2017年度"):
        profiles.save(store, {"role": "office", "unit": "某局",
                              "channel": {"kind": "盟市", "name": "火星市"}})
    assert profiles.load(store) is None  # nothing saved


def test_what_the_gui_saves_the_cli_reads_and_back(store, cli, db_path):
    profiles.save(store, {"role": "office", "unit": "包头市人社局",
                          "channel": {"kind": "", "name": "包头市"}, "year": 2017})
    p = load_profile(store)
    assert (p.role, p.unit, p.channel) == ("office", "包头市人社局",
                                           {"kind": "盟市", "name": "包头市"})
    assert profiles.load(store)["year"] == 2017
    profiles.save(store, {**profiles.load(store), "role": "applicant",
                          "channel": {"kind": "", "name": ""}})
    assert load_profile(store).channel == {"kind": "", "name": ""}
