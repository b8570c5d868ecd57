"""生成报送, second step: who can open the file. An applicant's file goes to the unit's HR
first, so the built-in region key alone is not enough: the page asks for the unit's public key
(a .pub file or the pasted block) and shows whose key it is and its fingerprint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWizardPage)

from ..errors import message_for
from .. import style

NEED_UNIT = ("您的报送文件先交给所在单位的人事部门。请导入单位人事部门的公钥：选择单位发给您的"
             " .pub 文件，或把公钥文本（BEGIN … END）粘贴进来。没有单位的公钥，单位打不开您的文件。")


def who(key) -> str:
    return " ".join(x for x in (key.unit, key.name) if x) or key.source or "（未署名）"


class PasteKeyDialog(QDialog):
    """Paste a public key block (from an e-mail or a chat message)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("粘贴公钥")
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("-----BEGIN …-----\nFingerprint: …\n…\n-----END …-----")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("把单位人事部门发来的公钥文本整段粘贴到下面：", self))
        lay.addWidget(self.text, 1)
        lay.addWidget(buttons)
        self.resize(560, 300)


class RecipientsPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("第二步：选择接收方")
        self.setSubTitle("报送文件会加密，只有勾选的接收方（和您本人）能打开。")
        self.list = QListWidget(self)
        self.list.itemChanged.connect(lambda _i: self._changed())
        self.need = QLabel(NEED_UNIT, self)
        self.need.setWordWrap(True)
        style.tone(self.need, "hint")
        self.imported = QLabel("", self)
        self.imported.setWordWrap(True)
        self.imported.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Three lines (who, fingerprint, what to do); a wrapped label would otherwise be clipped.
        self.imported.setMinimumHeight(self.imported.fontMetrics().lineSpacing() * 3 + 6)
        add = QPushButton("导入公钥文件…", self)
        add.clicked.connect(self.import_file)
        paste = QPushButton("粘贴公钥…", self)
        paste.clicked.connect(self.ask_paste)
        lay = QVBoxLayout(self)
        lay.addWidget(self.need)
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(paste)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.imported)

    @property
    def needs_unit_key(self) -> bool:
        """The applicant's level above is a unit: its key must be among the recipients."""
        from collector.office.profile import APPLICANT

        return self.w.profile.get("role", APPLICANT) == APPLICANT

    def initializePage(self) -> None:
        from collector.exchange import keyring
        from collector.rpu import keys

        self.list.blockSignals(True)
        self.list.clear()
        from collector.office.year_config import recipients_for

        # With a 年度配置包: the region and every registered office above in the channel.
        chosen = recipients_for(self.w.store, [c.data for c in self.w.store.all()])
        defaults = {k.fingerprint for k in chosen}
        seen = set()
        for key in chosen + keyring.list_recipients(self.w.store):
            if key.fingerprint in seen:
                continue
            seen.add(key.fingerprint)
            shipped = "［内置］" if keys.is_shipped(key.fingerprint) else ""
            item = QListWidgetItem(f"{shipped}{who(key)}（指纹 {key.short}）")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key.fingerprint in defaults
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._changed()

    def chosen(self) -> list:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def has_unit_key(self) -> bool:
        from collector.rpu import keys

        return any(not keys.is_shipped(k.fingerprint) for k in self.chosen())

    def _changed(self) -> None:
        self.need.setVisible(self.needs_unit_key and not self.has_unit_key())
        self.completeChanged.emit()

    # -- adding a key ----------------------------------------------------------------------------
    def import_key(self, text_or_path) -> object | None:
        """Import a key (a file path or a pasted block), tick it and say whose it is."""
        from collector.exchange import keyring
        from collector.rpu import keys

        try:
            key = keyring.import_recipient(self.w.store, text_or_path)
        except Exception as err:
            self.imported.setText(f"未能导入公钥：{message_for(err)}")
            return None
        self.initializePage()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole).fingerprint == key.fingerprint:
                item.setCheckState(Qt.CheckState.Checked)
        self.imported.setText(f"已导入：{who(key)}\n指纹：{keys.grouped(key.fingerprint)}\n"
                              "请与对方核对指纹（电话或纸面），一致后再报送。")
        return key

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入单位人事部门的公钥", str(Path.home()),
                                              "公钥 (*.pub *.txt);;所有文件 (*)")
        if path:
            self.import_key(Path(path))

    def ask_paste(self) -> None:
        dialog = PasteKeyDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text.toPlainText().strip():
            self.import_key(dialog.text.toPlainText())

    def isComplete(self) -> bool:
        return bool(self.chosen()) and (not self.needs_unit_key or self.has_unit_key())
