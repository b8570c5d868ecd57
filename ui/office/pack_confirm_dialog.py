"""确认报送: before a package or disc is made, each chosen candidate of another channel or with
a 不一致 paper check needs a written reason (``collector.office.pack_confirm``); this dialog
asks for them, one line each, and stores them (audited)."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QScrollArea, QVBoxLayout, QWidget)

from collector.common.errors import CollectorError
from collector.office import pack_confirm as pc
from ui.errors import show_error


class PackConfirmDialog(QDialog):
    def __init__(self, store, found: list[pc.Concern], parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.found = found
        self.setWindowTitle("确认报送")
        self.setObjectName("packConfirmDialog")
        intro = QLabel("以下人选须写明理由才能报送（理由记入审计并随记录保存）。"
                       "如有疑问，请取消，先核实后再报送。")
        intro.setWordWrap(True)
        body = QWidget()
        form = QFormLayout(body)
        self.reasons: list[QLineEdit] = []
        for c in found:
            label = QLabel(f"{pc.KIND_LABELS[c.kind]}：{c.message}")
            label.setWordWrap(True)
            edit = QLineEdit()
            edit.setPlaceholderText("确认报送的理由（必填）")
            edit.textChanged.connect(self._update)
            form.addRow(label)
            form.addRow("理由：", edit)
            self.reasons.append(edit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("确认并继续", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(640, min(520, 200 + 70 * len(found)))
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(all(len(e.text().strip()) >= 2 for e in self.reasons))

    def accept(self) -> None:
        try:
            for concern, edit in zip(self.found, self.reasons):
                pc.confirm(self.store, concern, edit.text())
        except CollectorError as err:
            show_error(self, "确认报送", err)
            return
        super().accept()


def confirm_before_packing(parent: QWidget, store, ids: list[str]) -> bool:
    """True when nothing is left to confirm (asking for the reasons first if needed)."""
    open_ = [c for c in pc.concerns(store, ids) if not c.confirmed]
    if not open_:
        return True
    dialog = PackConfirmDialog(store, open_, parent)
    parent.confirm_dialog = dialog  # type: ignore[attr-defined]  # tests fill it in
    return dialog.exec() == QDialog.DialogCode.Accepted
