"""密钥登记与年度配置包 in the GUI (ui/dialogs/trust.py): the scanner registers a unit's key,
a new installation imports the region's configuration after typing its fingerprint."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from collector.office import register, year_config  # noqa: E402
from collector.storage.store import Store  # noqa: E402
from tests.office.conftest import PASS  # noqa: E402


@pytest.fixture(autouse=True)
def _non_blocking():
    from ui.errors import set_non_blocking

    set_non_blocking(True)


def test_a_scanned_key_form_is_registered_and_listed(qtbot, make_installation):
    from ui.dialogs.trust import TrustDialog

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    stranger = make_installation("stranger-unit")  # an applicant-role install: not auto-registered
    qr = register.qr_text(stranger.identity.fingerprint, "单位", "包头市")
    dialog = TrustDialog(office.store)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    before = dialog.table.rowCount()
    qtbot.keyClicks(dialog.scan, qr)
    qtbot.keyClick(dialog.scan, Qt.Key_Return)  # the scanner's Enter: the unit name is asked
    assert dialog.unit.hasFocus() or "单位名称" in dialog.register_result.text()
    dialog.unit.insert("包头某研究所")  # typed by the clerk (QTest types ASCII keys only)
    qtbot.keyClick(dialog.unit, Qt.Key_Return)
    assert dialog.register_result.text().startswith("已登记")
    assert dialog.table.rowCount() == before + 1
    entry = register.lookup(office.store, stranger.identity.fingerprint)
    assert (entry.unit, entry.level, entry.channel["name"]) == ("包头某研究所", "单位", "包头市")
    assert dialog.scan.text() == "" and dialog.unit.text() == ""  # ready for the next form


def test_a_new_installation_imports_the_configuration_only_with_the_right_fingerprint(
        qtbot, province_walk, tmp_path):
    from ui.dialogs.trust import TrustDialog

    p = province_walk.province
    with Store(tmp_path / "new.db") as store:
        dialog = TrustDialog(store)
        qtbot.addWidget(dialog)
        assert "尚未导入" in dialog.current.text()
        dialog.config_file.setText(str(p.config))
        dialog.region_fp.setText("0000-1111-2222-3333-4444")
        assert not dialog.import_config() and "不符" in dialog.config_result.text()
        dialog.region_fp.setText(p.region_fingerprint[:20])
        assert dialog.import_config(), dialog.config_result.text()
        assert year_config.current_config(store).fingerprint == p.region_fingerprint
        assert "第 1 版" in dialog.current.text()
        dialog.close()


def test_the_region_makes_the_configuration_from_the_dialog(qtbot, make_installation, tmp_path):
    from ui.dialogs.trust import TrustDialog

    region = make_installation("region", "自治区", "自治区人社厅")
    dialog = TrustDialog(region.store)
    qtbot.addWidget(dialog)
    assert not dialog.make.isHidden()
    assert dialog.make_config(str(tmp_path / "c.tcy"), passphrase=PASS)
    config, _ = year_config.read_config(tmp_path / "c.tcy")
    assert config.fingerprint == region.identity.fingerprint
