"""设置: role, unit, recommendation channel, program year, this installation's keys, data folder.

Also the first-run guide (``first_run=True``): the same page with a welcome, shown once when no
profile has been saved yet.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QListWidget, QMessageBox, QPushButton, QVBoxLayout)

from collector.record.year import available_years, load_year
from ui.file_dialogs import start_dir, suggested

from .. import profile as profiles
from .. import roles
from ..errors import show_error
from ..worker import Op, run_op
from .. import style
from ..style import GroupBox

WELCOME = ("欢迎使用人才信息采集。\n如果您是申报人本人，身份选“个人”，填上工作单位，点“保存”就可以开始填表了。"
           "单位人事部门选“单位”；盟市人社局或自治区直属厅局选“盟市/厅局”；自治区人社厅选“自治区”。"
           "这些设置以后可以在“设置”中修改。")


class SettingsDialog(QDialog):
    last_op: Op | None = None  # the running key operation (tests wait on it)

    def __init__(self, store, parent=None, first_run: bool = False):
        super().__init__(parent)
        self.store = store
        self.setObjectName("settingsDialog")
        self.setWindowTitle("首次使用设置" if first_run else "设置")
        self.setMinimumWidth(620)
        p = profiles.with_defaults(profiles.load(store))
        lay = QVBoxLayout(self)
        if first_run:
            welcome = QLabel(WELCOME, self)
            welcome.setWordWrap(True)
            style.tone(welcome, "note")
            lay.addWidget(welcome)

        box = GroupBox("身份与单位", self)
        form = QFormLayout(box)
        self.role = QComboBox(box)
        for key, label in roles.ROLES.items():
            self.role.addItem(label, key)
        self.role.setCurrentIndex(max(self.role.findData(p["role"]), 0))
        form.addRow("身份角色", self.role)
        self.unit = QLineEdit(p["unit"], box)
        self.unit.setPlaceholderText("本人或本单位所在单位的全称")
        form.addRow("单位名称", self.unit)
        self.year = QComboBox(box)
        for y in available_years():
            self.year.addItem(f"{y}年度", y)
        self.year.setCurrentIndex(max(self.year.findData(p["year"]), 0))
        form.addRow("项目年度", self.year)
        self.channel_kind = QComboBox(box)
        self.channel_name = QComboBox(box)
        self.channel_name.setEditable(True)
        self.channel_kind.setMinimumWidth(120)
        self.channel_kind.currentTextChanged.connect(self._fill_channel_names)
        self.channel_kind.addItems([""] + list(load_year(p["year"]).channels))
        self.channel_kind.setCurrentText(p["channel"]["kind"])
        self._fill_channel_names()
        self.channel_name.setCurrentText(p["channel"]["name"])
        row = QHBoxLayout()
        row.addWidget(self.channel_kind)
        row.addWidget(self.channel_name, 1)
        form.addRow("推荐渠道（盟市 / 区直单位）", row)
        lay.addWidget(box)

        if not first_run:  # the first-run guide asks only what an applicant must answer
            lay.addWidget(self._keys_box())
            lay.addWidget(self._data_box())

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再说" if first_run else "取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _data_box(self) -> QGroupBox:
        data = GroupBox("数据", self)
        form = QFormLayout(data)
        path = QLabel(str(Path(self.store.path).resolve()), data)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path.setWordWrap(True)
        form.addRow("数据库文件", path)
        open_folder = QPushButton("打开数据文件夹", data)
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(Path(self.store.path).resolve().parent))))
        hint = QLabel("您填写的所有内容都保存在这个文件里；备份时复制整个数据文件夹即可。", data)
        hint.setWordWrap(True)
        style.tone(hint, "hint")
        form.addRow(open_folder, hint)
        return data

    def _fill_channel_names(self, *_args) -> None:
        current = self.channel_name.currentText()
        self.channel_name.clear()
        names = load_year(self.year.currentData() or 2017).channels.get(
            self.channel_kind.currentText(), ())
        self.channel_name.addItems([""] + list(names))
        self.channel_name.setCurrentText(current)

    # -- keys -------------------------------------------------------------------------------------
    def _keys_box(self) -> QGroupBox:
        box = GroupBox("密钥（生成报送时签名和加密用）", self)
        lay = QVBoxLayout(box)
        self.fingerprint = QLabel(box)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setWordWrap(True)
        lay.addWidget(self.fingerprint)
        row = QHBoxLayout()
        self.generate_button = QPushButton("生成本机密钥…", box)
        self.generate_button.clicked.connect(self.ask_generate)
        self.export_button = QPushButton("导出本机公钥…", box)
        self.export_button.clicked.connect(self.ask_export)
        self.passphrase_button = QPushButton("修改口令…", box)
        self.passphrase_button.clicked.connect(self.ask_change_passphrase)
        self.import_button = QPushButton("导入接收方公钥…", box)
        self.import_button.clicked.connect(self.ask_import)
        for b in (self.generate_button, self.passphrase_button, self.export_button,
                  self.import_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.recipients = QListWidget(box)
        self.recipients.setMaximumHeight(90)
        self.recipients.currentItemChanged.connect(lambda *_: self._recipient_chosen())
        self.remove_button = QPushButton("删除所选接收方", box)
        self.remove_button.clicked.connect(self.ask_remove_recipient)
        head = QHBoxLayout()
        head.addWidget(QLabel("接收方（报送文件只有他们能打开）：", box), 1)
        head.addWidget(self.remove_button)
        lay.addLayout(head)
        lay.addWidget(self.recipients)
        self.refresh_keys()
        return box

    def refresh_keys(self) -> None:
        from collector.exchange import keyring
        from collector.rpu import keys

        if keyring.has_identity(self.store):
            pub = keyring.stored_public(self.store)
            self.fingerprint.setText(f"本机密钥指纹：{keys.grouped(pub.fingerprint)}")
            self.generate_button.setText("重新生成密钥…")
        else:
            self.fingerprint.setText("本机还没有密钥。生成报送前请先生成密钥并牢记口令。")
        self.export_button.setEnabled(keyring.has_identity(self.store))
        self.passphrase_button.setEnabled(keyring.has_identity(self.store))
        self.recipients.clear()
        imported = {k.fingerprint for k in keyring.list_recipients(self.store)}
        seen = set()
        for key in keyring.default_recipients(self.store) + keyring.list_recipients(self.store):
            if key.fingerprint in seen:
                continue
            seen.add(key.fingerprint)
            who = " ".join(x for x in (key.unit, key.name) if x) or key.source
            shipped = key.fingerprint not in imported
            self.recipients.addItem(("［内置，不能删除］" if shipped else "") + f"{who}（指纹 {key.short}）")
            item = self.recipients.item(self.recipients.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, None if shipped else key.fingerprint)
        self._recipient_chosen()

    def _recipient_chosen(self) -> None:
        item = self.recipients.currentItem()
        removable = bool(item and item.data(Qt.ItemDataRole.UserRole))
        self.remove_button.setEnabled(removable)
        self.remove_button.setToolTip("" if removable or not item
                                      else "程序内置的自治区公钥不能删除")

    def change_passphrase(self, old: str, new: str) -> None:
        """Synchronous (scripts, tests); the dialog's button goes through ``ask_change_passphrase``."""
        from collector.exchange import keyring

        keyring.change_passphrase(self.store, old, new)
        self._keys_changed()

    def _keys_changed(self) -> None:
        _lock_session()
        self.refresh_keys()

    def ask_change_passphrase(self) -> Op | None:
        """Old passphrase, checked off the GUI thread (scrypt takes a second); then the new one
        twice, and the change, off the GUI thread too. Returns the running check."""
        from collector.exchange import keyring
        old, ok = QInputDialog.getText(self, "修改口令", "请输入原口令：", QLineEdit.EchoMode.Password)
        if not ok:
            return None

        def checked(_identity) -> None:
            new = self._ask_new_passphrase("修改口令", "新口令")
            if new is None:
                return
            self.last_op = run_op(self, "修改口令", lambda job: keyring.change_passphrase(
                self.store, old, new), on_done=changed, cancellable=False)

        def changed(_result) -> None:
            self._keys_changed()
            QMessageBox.information(self, "修改口令", "口令已修改，本机密钥指纹不变。以后请使用新口令。")

        # a wrong old passphrase is said at once, before the new one is asked
        self.last_op = run_op(self, "核对原口令", lambda job: keyring.load_identity(self.store, old),
                              on_done=checked, cancellable=False)
        return self.last_op

    def _ask_new_passphrase(self, title: str, what: str) -> str | None:
        """A new passphrase typed twice; None (after saying why) when cancelled or unusable."""
        first, ok = QInputDialog.getText(self, title, f"请输入{what}（至少 6 个字符）：",
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return None
        second, ok = QInputDialog.getText(self, title, f"请再输入一次{what}：",
                                          QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if first != second or len(first) < 6:
            QMessageBox.warning(self, title, "两次输入的口令不一致，或少于 6 个字符，口令未设置，"
                                             "请重新操作。")
            return None
        return first

    def remove_recipient(self, fingerprint: str) -> str:

        from collector.exchange import keyring
        key = keyring.remove_recipient(self.store, fingerprint)
        self.refresh_keys()
        return key.name or key.unit or key.source

    def ask_remove_recipient(self) -> None:
        item = self.recipients.currentItem()
        fingerprint = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not fingerprint:
            return
        if QMessageBox.question(self, "删除接收方", f"删除接收方 {item.text()}？以后生成的报送文件"
                                "将不再加密给它（已生成的文件不受影响）。",
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            self.remove_recipient(fingerprint)
        except Exception as err:
            show_error(self, "删除接收方", err)

    def generate_keys(self, passphrase: str, replace: bool = False) -> str:
        """Synchronous (scripts, tests); the dialog's button goes through ``ask_generate``."""
        identity = self._generate(passphrase, replace)
        self._keys_changed()
        return identity.fingerprint

    def _generate(self, passphrase: str, replace: bool):

        from collector.exchange import keyring
        return keyring.generate_identity(self.store, passphrase, unit=self.unit.text().strip(),
                                      replace=replace)

    def ask_generate(self) -> Op | None:

        from collector.exchange import keyring
        replace = keyring.has_identity(self.store)
        if replace and QMessageBox.question(
                self, "重新生成密钥", "重新生成后，发给旧密钥的报送文件将无法再打开，确定继续吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
        first = self._ask_new_passphrase("设置口令", "保护私钥的口令")
        if first is None:
            return None
        # scrypt runs off the GUI thread, through the same worker as every slow action
        self.last_op = run_op(self, "生成密钥", lambda job: self._generate(first, replace),
                              on_done=lambda _identity: self._keys_changed(), cancellable=False)
        return self.last_op

    def export_public(self, path: Path) -> None:
        from collector.exchange import keyring
        from collector.common.atomic import atomic_writer

        with atomic_writer(Path(path)) as fh:
            fh.write(keyring.public_key_block(self.store).encode("utf-8"))

    def ask_export(self) -> None:
        from collector.exchange import keyring
        path, _ = QFileDialog.getSaveFileName(self, "导出本机公钥", suggested("本机公钥.pub"),
                                              "公钥 (*.pub);;所有文件 (*)")
        if not path:
            return
        try:
            self.export_public(Path(path))

            QGuiApplication.clipboard().setText(keyring.public_key_block(self.store))
            QMessageBox.information(self, "导出公钥", f"已保存到 {path}，并已复制到剪贴板。")
        except Exception as err:
            show_error(self, "导出公钥", err)

    def ask_import(self) -> None:
        from collector.exchange import keyring
        path, _ = QFileDialog.getOpenFileName(self, "导入接收方公钥", start_dir(),
                                              "公钥 (*.pub *.txt);;所有文件 (*)")
        if not path:
            return
        try:

            keyring.import_recipient(self.store, Path(path))
            self.refresh_keys()
        except Exception as err:
            show_error(self, "导入公钥", err)

    # -- saving ----------------------------------------------------------------------------------------
    def values(self) -> dict:
        old = profiles.load(self.store) or {}
        return {**old, "role": self.role.currentData(), "unit": self.unit.text().strip(),
                "channel": {"kind": self.channel_kind.currentText(),
                            "name": self.channel_name.currentText().strip()},
                "year": self.year.currentData()}

    def accept(self) -> None:
        try:
            profiles.save(self.store, self.values())
        except Exception as err:
            show_error(self, "保存设置", err)
            return
        super().accept()

    def reject(self) -> None:
        # Skipping the first-run guide still records a profile, so it does not come back every time.
        if profiles.load(self.store) is None:
            profiles.save(self.store, {})
        super().reject()


def _lock_session() -> None:
    """A new passphrase or a new key: the key unlocked earlier in this session is forgotten."""
    from ui.session import session

    session().forget()
