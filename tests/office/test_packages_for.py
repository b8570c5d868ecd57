"""Which received packages an office nests upward (inbox.packages_for): every imported one that
carries a chosen candidate, each once, whatever was refused before it; and an open duplicate
is a warning on the ID number before packing."""

from __future__ import annotations

from collector.office import duplicates as dup, inbox
from collector.rules.findings import WARNING
from tests.office.conftest import applicant_package
from tests.office.test_duplicates import clash  # noqa: F401


def test_a_refused_file_before_them_does_not_hide_the_packages_after(make_installation,
                                                                     tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    junk = tmp_path / "0-坏文件.rpu"
    junk.write_bytes(b"not a package")
    first = applicant_package(make_installation("a"), tmp_path / "1-甲.rpu", [office.public], 1)
    second = applicant_package(make_installation("b"), tmp_path / "2-乙.rpu", [office.public], 2)
    result = inbox.import_many(office.store, [junk, first, second], office.identity)
    assert [e.status for e in result.entries] == [inbox.REFUSED, inbox.IMPORTED, inbox.IMPORTED]
    ids = [c["id"] for e in result.entries for c in e.candidates]
    assert [e.file_name for e in inbox.packages_for(office.store, ids)] == ["1-甲.rpu", "2-乙.rpu"]
    assert [e.file_name for e in inbox.packages_for(office.store, ids[1:])] == ["2-乙.rpu"]
    assert inbox.packages_for(office.store, []) == []


def test_open_duplicates_warn_on_the_id_number_before_packing(clash):  # noqa: F811
    office = clash[0]
    [d] = dup.open_duplicates(office.store)
    [w] = dup.preflight_warnings(office.store)
    assert (w.rule, w.severity, w.field, w.message) == ("DUPLICATE", WARNING, "id_number",
                                                        d.finding().message)
