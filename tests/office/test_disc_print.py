"""The office's disc carries the report as PDF and DOCX, and says what printing noticed
(issue 12, 15): the default report leaves out 公示/脱密 until the clerk ticks them."""

from __future__ import annotations

from collector.office import decisions as dec
from collector.office.export import make_disc
from tests.conftest import make_record

from .conftest import TODAY


def test_disc_print_folder_has_both_reports_and_the_publicity_warning(make_installation,
                                                                      tmp_path):
    office = make_installation("office", role="盟市/厅局", unit="包头市人社局", channel="包头市")
    cid = office.store.save(make_record(1, channel={"kind": "盟市", "name": "包头市"}))
    dec.decide(office.store, cid, "推荐")
    result = make_disc(office.store, tmp_path / "disc", identity=office.identity, today=TODAY)
    names = {p.name for p in (result.folder / "PRINT").iterdir()}
    assert {"推荐报告.pdf", "推荐报告.docx"} <= names
    said = [w.message for w in result.warnings if w.rule == "PRINT"]
    assert any("公示" in m for m in said) and any("脱密" in m for m in said)
    assert len(said) == len(set(said))  # the PDF's and the DOCX's warnings said once
