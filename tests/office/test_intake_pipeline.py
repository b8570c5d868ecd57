"""The intake pipeline (``exchange.intake``): open and verify → read the chain → classify
provenance → decide → keep, each stage once per file with a typed result the next takes; the
inbox, ``import-rpu``, the GUI inbox and the demo all come in through ``intake.receive``.
Run on a whole province: the region receives 盟市 packages that carry two units each."""

from __future__ import annotations

from collections import Counter
from dataclasses import FrozenInstanceError

import pytest

from collector.exchange import intake, untrusted
from collector.exchange.keyring import load_identity
from collector.office import inbox
from collector.storage.store import Store
from tests.office.conftest import PASS

STAGES = ("open_verified", "read_levels", "classify", "decide", "keep")


@pytest.fixture
def counted(monkeypatch):
    """Every stage and every read of the untrusted list, counted as the pipeline calls them."""
    calls: Counter = Counter()

    def wrap(module, name):
        real = getattr(module, name)

        def counting(*a, **k):
            calls[name] += 1
            return real(*a, **k)
        monkeypatch.setattr(module, name, counting)

    for name in STAGES:
        wrap(intake, name)
    wrap(intake, "list_untrusted")
    wrap(untrusted, "list_untrusted")
    wrap(intake, "read_tree")
    return calls


@pytest.fixture
def region(province_walk, tmp_path):
    db = province_walk.fresh_region(tmp_path / "region")
    with Store(db) as store:
        yield store, load_identity(store, PASS)


def test_each_stage_runs_once_per_file_and_the_untrusted_list_is_read_once(
        province_walk, region, counted):
    store, identity = region
    p = province_walk.province
    files = [p.sent["呼和浩特市"], p.sent["自治区农牧业厅"]]
    result = inbox.import_many(store, files, identity)
    assert [e.status for e in result.entries] == [inbox.IMPORTED, inbox.IMPORTED]
    for name in STAGES:
        assert counted[name] == len(files), (name, counted)
    assert counted["read_tree"] == len(files)
    # Once per file for every level of its chain (a 盟市 package holds 2 units and 4 applicants).
    assert counted["list_untrusted"] == len(files), counted


def test_the_stages_hand_on_typed_results(province_walk, region):
    store, identity = region
    path = province_walk.province.sent["呼和浩特市"]
    with intake.staged(store) as staging:
        opened = intake.open_verified(store, path, identity, staging)
        levels = intake.read_levels(store, opened, identity)
        classified = intake.classify(levels)
        decision = intake.decide(store, classified)
        assert isinstance(opened, intake.Opened) and opened.sha256
        assert isinstance(levels, intake.Levels) and levels.chain.provenance == {}
        assert isinstance(classified, intake.Classified)
        assert len(classified.provenance) == 4 == len(classified.by_part)
        assert decision.verdict == intake.ADMIT and decision.opened is opened
        kept = intake.keep(store, decision)
    assert isinstance(kept, intake.Kept) and len(kept.report.imported) == 4
    with pytest.raises(FrozenInstanceError):
        opened.sha256 = "0" * 64  # type: ignore[misc]


def test_the_same_file_again_is_a_skip_decision(province_walk, region):
    store, identity = region
    path = province_walk.province.sent["自治区农牧业厅"]
    first = intake.receive(store, path, identity)
    assert isinstance(first, intake.Kept)
    inbox.record(store, inbox.InboxEntry(str(path), path.name, inbox.IMPORTED,
                                         sha256=first.decision.opened.sha256))
    again = intake.receive(store, path, identity)
    assert isinstance(again, intake.Decision) and again.verdict == intake.SKIP
    assert again.previous is not None


def test_an_untrusted_unit_inside_a_league_package_is_refused_with_what_was_opened(
        province_walk, region):
    store, identity = region
    p = province_walk.province
    unit = next(u for u in p.units.values() if u.key.startswith("unit-呼和浩特市"))
    with Store(unit.db) as s:
        fingerprint = load_identity(s, PASS).fingerprint
    untrusted.mark_untrusted(store, fingerprint, "测试")
    with pytest.raises(intake.Refused) as err:
        intake.receive(store, p.sent["呼和浩特市"], identity)
    assert str(err.value).startswith("内层报送包") and "不可信" in str(err.value)
    assert err.value.opened is not None and err.value.opened.package.signer_fingerprint
    assert store.count() == 0


@pytest.mark.parametrize("how", ["inbox", "import-rpu"])
def test_the_command_line_comes_in_through_receive(province_walk, cli, monkeypatch, tmp_path,
                                                   how):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    seen = []
    real = intake.receive
    monkeypatch.setattr(intake, "receive", lambda *a, **k: seen.append(a[1]) or real(*a, **k))
    db = province_walk.fresh_region(tmp_path / "region")
    path = province_walk.province.sent["自治区农牧业厅"]
    assert cli(how, path, db=db).code == 0
    assert seen == [path]


def test_a_package_the_importer_refuses_is_refused_naming_its_sender(make_installation, tmp_path):
    """Verified, its chain checked, and still not storable (a record names an attachment the
    package does not hold): the refusal says why, and the inbox still names who sent it."""
    from collector.common.fingerprint import canonical_json
    from collector.exchange.packing import candidate_part_name
    from collector.rpu.writer import Part, write_package
    from tests.conftest import make_record

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    sha = "ab" * 32
    record = make_record(2, attachments=[{"file": "证书.pdf", "title": "证书", "sha256": sha,
                                          "size": 10}])
    out = tmp_path / "缺附件.rpu"
    write_package(out, [Part.from_bytes(candidate_part_name("y" * 32), "candidate",
                                        canonical_json(record))],
                  identity=unit.identity, recipients=[office.public], program_year=2017,
                  role="单位", unit="包头稀土研究院")
    with pytest.raises(intake.Refused) as err:
        intake.receive(office.store, out, office.identity)
    assert str(err.value) == f"缺附件.rpu：缺少附件 {sha[:12]}…，报送文件不完整"
    assert err.value.opened.package.signer_fingerprint == unit.identity.fingerprint
    assert office.store.count() == 0
    [entry] = inbox.import_many(office.store, [out], office.identity).entries
    assert entry.status == inbox.REFUSED and "缺少附件" in entry.reason
    assert entry.signer == unit.identity.fingerprint
