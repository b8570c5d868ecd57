"""生成报送, third page: the passphrase that unseals this installation's key (or creates it),
unless the key is already unlocked in this session (``ui.session``), and the file name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWizardPage)

from collector.common.fingerprint import short

from ..errors import message_for
from ..session import session
from ..worker import Op, run_op

if TYPE_CHECKING:
    from collector.rpu.keys import Identity

    from .pack_wizard import PackWizard


def _label(text: str, parent) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PassphrasePage(QWizardPage):
    """The passphrase that unseals this installation's key (or creates it), and the file name."""

    def __init__(self, wizard: "PackWizard"):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("第三步：口令与文件")
        self.setSubTitle("输入本机密钥的口令（用于签名），并选择报送文件的保存位置。")
        self.info = _label("", self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setObjectName("passphrase")
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.out = QLineEdit(self)
        self.out.setObjectName("outPath")
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self.browse)
        self.error = _label("", self)
        self.error.setStyleSheet("color: #b71c1c;")
        form = QFormLayout()
        form.addRow("口令", self.passphrase)
        self.confirm_label = QLabel("再输入一次", self)
        form.addRow(self.confirm_label, self.confirm)
        row = QHBoxLayout()
        row.addWidget(self.out, 1)
        row.addWidget(browse)
        form.addRow("保存为", row)
        lay = QVBoxLayout(self)
        lay.addWidget(self.info)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addStretch(1)
        for edit in (self.passphrase, self.confirm, self.out):
            edit.textChanged.connect(lambda _t: self.completeChanged.emit())
        self._suggested = ""
        self.unlocked: Identity | None = None  # the session's key, already unlocked
        self._loaded: Identity | None = None  # the identity unsealed by this page's last unlock
        self._op: Op | None = None  # the unlock running in the worker
        self.passphrase.textChanged.connect(lambda _t: self._forget_loaded())

    def initializePage(self) -> None:

        from collector.exchange import keyring
        self.new_identity = not keyring.has_identity(self.w.store)
        self._loaded = None
        self.unlocked = None if self.new_identity else session().cached(self.w.store)
        if self.new_identity:
            self.info.setText("本机还没有密钥。请设置一个口令（至少 6 个字符）来保护将要生成的私钥，"
                              "以后生成报送时要输入它（程序打开期间只需输入一次），请牢记。")
        elif self.unlocked is not None:
            self.info.setText(f"本机密钥已在本次使用中解锁（指纹 {short(self.unlocked.fingerprint)}），"
                              "无需再输入口令。需要时可在“文件 → 锁定”中立即锁定。")
        else:
            pub = keyring.stored_public(self.w.store)
            self.info.setText(f"请输入本机私钥的口令，用于签名。本机密钥指纹：{short(pub.fingerprint)}")
        self.passphrase.setEnabled(self.unlocked is None)
        self.passphrase.setPlaceholderText("已解锁，无需输入" if self.unlocked is not None else "")
        self.confirm.setVisible(self.new_identity)
        self.confirm_label.setVisible(self.new_identity)
        # The default name follows the candidates chosen on page 1, until the user picks a file.
        if not self.out.text() or self.out.text() == self._suggested:
            self._suggested = str(self.w.default_out_path())
            self.out.setText(self._suggested)
        self.error.setText("")

    def _unlock(self) -> None:
        from collector.exchange import keyring
        from collector.exchange.keyring import load_identity

        store, passphrase, new = self.w.store, self.passphrase.text(), self.new_identity
        unit = self.w.profile.get("unit", "")

        def work(job):
            if new:
                return keyring.generate_identity(store, passphrase, unit=unit)
            return load_identity(store, passphrase)

        def done(identity) -> None:
            self._op = None
            session().remember(store, identity)
            self._loaded, self.new_identity = identity, False
            self.w.next()

        def failed(err: BaseException) -> None:
            self._op = None
            self.error.setText(message_for(err))

        self.error.setText("")
        self._op = run_op(self, "解锁本机密钥" if not new else "生成本机密钥", work,
                          on_done=done, on_error=failed, cancellable=False)

    def _forget_loaded(self) -> None:
        self._loaded = None

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存报送文件", self.out.text(), "报送文件 (*.rpu)")
        if path:
            self.out.setText(path if path.endswith(".rpu") else path + ".rpu")

    def isComplete(self) -> bool:
        if not self.out.text().strip():
            return False
        if self.unlocked is not None:
            return True
        if not self.passphrase.text():
            return False
        return not self.new_identity or len(self.passphrase.text()) >= 6

    def validatePage(self) -> bool:
        """Next: the key is unsealed (or created) first, off the GUI thread through the worker
        (scrypt takes about a second); when that is done the page moves on by itself."""
        if self._op is not None:
            return False  # still unlocking
        if self.unlocked is not None:
            self.w.identity = self.unlocked
        elif self._loaded is not None:
            self.w.identity = self._loaded
        else:
            if self.new_identity and self.confirm.text() != self.passphrase.text():
                self.error.setText("两次输入的口令不一致。")
                return False
            self._unlock()
            return False
        self.w.out_path = Path(self.out.text().strip())
        try:
            self.w.out_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self.error.setText(message_for(err))
            return False
        return True
