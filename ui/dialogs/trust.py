"""密钥登记与年度配置包: the root of trust in the GUI (``collector.office.register`` and
``collector.office.year_config``). Two tabs: import the region's 年度配置包 after typing the
fingerprint the notice printed (the region makes it here); print this unit's 密钥登记表 and
register the keys of the levels below by scanning theirs (a scanner types the QR, then Enter)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSizePolicy, QTableWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from collector.common.errors import CollectorError
from collector.common.fingerprint import short
from collector.rpu.keys import grouped
from collector.office import register, year_config
from collector.office.profile import REGION, load_profile

from ..file_dialogs import start_dir, suggested
from ..office.common import BAD_COLOR, OK_COLOR, item
from ..session import identity_loader

COLUMNS = ("单位", "级别", "推荐渠道", "密钥指纹", "来源", "登记时间")
SCAN_HELP = ("用扫码枪扫描下级单位盖章的《报送密钥登记表》右下角二维码（扫码后自动回车），"
             "或输入登记表上的完整指纹；二维码不含中文单位名称，请照登记表填写。")
CONFIG_HELP = ("年度配置包由自治区签发，包含自治区公钥、各盟市/厅局的登记密钥和年度规则。"
               "首次导入时，请输入通知或函件中印发的自治区密钥指纹（至少前 5 组）核对。")


class TrustDialog(QDialog):
    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("密钥登记与年度配置包")
        self.setObjectName("trustDialog")
        self.resize(900, 540)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._config_tab(), "年度配置包")
        self.tabs.addTab(self._register_tab(), "密钥登记")
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.refresh()

    # -- 年度配置包 -----------------------------------------------------------------------
    def _config_tab(self) -> QWidget:
        page = QWidget()
        help_ = self._label()
        help_.setText(CONFIG_HELP)
        self.current = self._label("configCurrent", wrap=False)
        self.config_file = QLineEdit()
        self.config_file.setPlaceholderText("年度配置包文件（.tcy）")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self._choose_config)
        row = QHBoxLayout()
        row.addWidget(self.config_file, 1)
        row.addWidget(browse)
        self.region_fp = QLineEdit()
        self.region_fp.setObjectName("regionFingerprint")
        self.region_fp.setPlaceholderText("通知中印发的自治区密钥指纹，例如 3F2A-91C0-…")
        take = QPushButton("核对并导入")
        take.setObjectName("importConfig")
        take.clicked.connect(self.import_config)
        self.make = QPushButton("生成年度配置包…（自治区）")
        self.make.clicked.connect(self.make_config)
        self.config_result = self._label("configResult", wrap=False)
        form = QFormLayout()
        form.addRow("配置包：", row)
        form.addRow("自治区密钥指纹：", self.region_fp)
        layout = QVBoxLayout(page)
        layout.addWidget(help_)
        layout.addWidget(self.current)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(take)
        buttons.addWidget(self.make)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.config_result)
        layout.addStretch(1)
        return page

    def _choose_config(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择年度配置包", start_dir(),
                                              f"年度配置包 (*{year_config.SUFFIX});;所有文件 (*)")
        if path:
            self.config_file.setText(path)

    def import_config(self) -> bool:
        try:
            config = year_config.import_config(self.store, Path(self.config_file.text().strip()),
                                               self.region_fp.text())
        except (CollectorError, OSError) as err:
            self._say(self.config_result, f"未导入：{err}", BAD_COLOR)
            return False
        notes = "".join(f"\n提示：{n}" for n in config.notes)
        self._say(self.config_result, f"已导入：{self._config_lines(config)}{notes}", OK_COLOR)
        self.refresh()
        return True

    def make_config(self, out: str | None = None, passphrase: str | None = None) -> bool:
        if out is None:
            out, _ = QFileDialog.getSaveFileName(
                self, "保存年度配置包", suggested(f"年度配置包{year_config.SUFFIX}"),
                f"年度配置包 (*{year_config.SUFFIX})")
            if not out:
                return False
        unlock = identity_loader(self, self.store, "签发年度配置包", passphrase)
        if unlock is None:
            return False
        try:
            config = year_config.make_config(self.store, unlock(), Path(out))
        except CollectorError as err:
            self._say(self.config_result, f"未生成：{err}", BAD_COLOR)
            return False
        self._say(self.config_result, f"已生成 {Path(out).name}：{self._config_lines(config)}\n"
                  "请在通知或函件中印发上面的自治区密钥指纹", OK_COLOR)
        return True

    # -- 密钥登记 ---------------------------------------------------------------------------
    def _register_tab(self) -> QWidget:
        page = QWidget()
        help_ = self._label()
        help_.setText(SCAN_HELP)
        self.scan = QLineEdit()
        self.scan.setObjectName("registerScan")
        self.scan.setPlaceholderText("扫描登记表二维码，或输入完整指纹")
        self.scan.returnPressed.connect(self._after_scan)
        self.unit = QLineEdit()
        self.unit.setObjectName("registerUnit")
        self.unit.setPlaceholderText("登记表上的单位名称")
        self.unit.returnPressed.connect(self.register)
        add = QPushButton("登记")
        add.clicked.connect(self.register)
        form_button = QPushButton("打印本单位的密钥登记表…")
        form_button.clicked.connect(self.print_form)
        self.register_result = self._label("registerResult")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        form = QFormLayout()
        form.addRow("二维码 / 指纹：", self.scan)
        form.addRow("单位名称：", self.unit)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(form_button)
        layout = QVBoxLayout(page)
        layout.addWidget(help_)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.register_result)
        layout.addWidget(self.table, 1)
        return page

    def _after_scan(self) -> None:
        """The scanner's Enter: register at once when the unit is known, else ask for it."""
        if self.unit.text().strip():
            self.register()
        else:
            self.unit.setFocus()
            self._say(self.register_result, "请照登记表填写单位名称，然后按回车登记", None)

    def register(self) -> bool:
        try:
            entry = register.register_key(self.store, self.scan.text(), unit=self.unit.text())
        except CollectorError as err:
            self._say(self.register_result, f"未登记：{err}", BAD_COLOR)
            return False
        self._say(self.register_result, f"已登记：{entry.label()}", OK_COLOR)
        self.scan.clear()
        self.unit.clear()
        self.scan.setFocus()
        self.refresh()
        return True

    def print_form(self, out: str | None = None) -> bool:
        if out is None:
            out, _ = QFileDialog.getSaveFileName(self, "保存密钥登记表", suggested("报送密钥登记表.pdf"),
                                                 "PDF (*.pdf)")
            if not out:
                return False
        try:
            result = register.print_own_form(self.store, Path(out))
        except CollectorError as err:
            self._say(self.register_result, f"未生成：{err}", BAD_COLOR)
            return False
        self._say(self.register_result, f"已生成 {result.path.name}：请核对指纹、加盖公章后交上级登记",
                  OK_COLOR)
        return True

    # -- both -------------------------------------------------------------------------------
    def refresh(self) -> None:
        config = year_config.current_config(self.store)
        self.current.setText("本机正在使用：" + (self._config_lines(config) if config else
                                              "尚未导入年度配置包"))
        self.make.setVisible(load_profile(self.store).role == REGION)
        rows = register.entries(self.store)
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            cells = (e.unit, e.level, e.channel.get("name", ""), short(e.fingerprint),
                     e.via, e.at[:19].replace("T", " "))
            for c, text in enumerate(cells):
                self.table.setItem(r, c, item(text, None, e.fingerprint if c == 3 else ""))

    @staticmethod
    def _label(name: str = "", wrap: bool = True) -> QLabel:
        """A label that takes the height its lines need. Results are given in short lines and
        not wrapped: a 64-digit fingerprint cannot wrap, and a wrapping label in a tab is
        given the height of the text it had when the tab was laid out."""
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(wrap)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        return label

    @staticmethod
    def _config_lines(config) -> str:
        return (f"{config.year} 年度配置包第 {config.serial} 版，"
                f"{config.created[:16].replace('T', ' ')} 签发，登记的盟市/厅局 {len(config.offices)} 个\n"
                f"自治区密钥指纹：{grouped(config.fingerprint)}")

    @staticmethod
    def _say(label: QLabel, text: str, color: str | None) -> None:
        label.setText(text)
        label.setStyleSheet(f"background: {color}; padding: 4px" if color else "")
