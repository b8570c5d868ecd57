"""A long candidate list opens without reading every row (issue 28: 10,000 candidates took
1.9 s to open while the header sized three columns by asking ``data()`` of each row), and the
fixed columns still show every value whole."""

from __future__ import annotations

from tests.conftest import make_record

ROWS = 1500


def test_opening_a_long_list_asks_only_for_the_rows_on_screen(store, qtbot, monkeypatch):
    from ui.candidate_list import CandidateModel
    from ui.main_window import MainWindow

    store.save_many([(make_record(i), None) for i in range(ROWS)])
    calls = 0
    data = CandidateModel.data

    def counted(self, index, role=0):
        nonlocal calls
        calls += 1
        return data(self, index, role)

    monkeypatch.setattr(CandidateModel, "data", counted)
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.model.rowCount() == ROWS
    shown = win.view.rowAt(win.view.viewport().height() - 1) + 1 or ROWS
    # a few roles of each visible cell, painted a few times; sizing to contents made it ~100,000
    assert calls < 40 * 5 * shown, f"{calls} data() calls for {shown} rows on screen"
    win.editor.save_now()


def test_fixed_columns_show_id_number_status_and_time_whole(store, qtbot):
    from ui.main_window import MainWindow

    ids = store.save_many([(make_record(i), None) for i in range(3)])
    store.set_status(ids[1], "packed")
    store.set_status(ids[2], "imported")
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    header = win.view.horizontalHeader()
    for col in (1, 3, 4):  # 公民身份号码, 状态, 更新时间
        assert header.sectionSize(col) >= win.view.sizeHintForColumn(col), col
        assert header.sectionSize(col) >= header.sectionSizeHint(col), col
    win.editor.save_now()
