"""The main window: the candidate list and the editor, the findings panel, the role's tabs,
and the toolbar (新建, 删除, 导入/导出 JSON, 生成报送, 打印, 设置)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import cast

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
                               QLabel, QLineEdit, QMainWindow, QMessageBox, QSplitter,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from collector.record.model import empty_candidate

from . import profile as profiles
from . import roles, window_state
from .candidate_list import STATUS_LABELS, CandidateFilter, CandidateModel, share_width
from .editor.form_editor import CandidateEditor
from .findings_panel import FindingsPanel
from .session import lock_action, session

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.profile = profiles.with_defaults(profiles.load(store))
        self.setWindowTitle(f"人才信息采集 — {Path(store.path).name}")

        self.model = CandidateModel(store, self)
        self.proxy = CandidateFilter(self)
        self.proxy.setSourceModel(self.model)
        self.editor = CandidateEditor(store, self, year=self.profile["year"])
        self.findings = FindingsPanel(self)
        self.findings.field_clicked.connect(self.editor.focus_path)
        self.editor.findings_changed.connect(
            lambda found: self.findings.show_findings(found, partial=not self.editor.show_all))
        self.editor.saved.connect(self._on_saved)
        self.editor.save_failed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.editor.noted.connect(lambda msg: self.statusBar().showMessage(f"警告：{msg}", 20000))

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("roleTabs")
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(self._build_applicant_tab(), "申报表")
        self.tabs.currentChanged.connect(self._tab_shown)
        self.setCentralWidget(self.tabs)
        self.statusBar().showMessage("就绪")  # created now, so it is part of the first layout
        self._build_actions()
        self._show_role_actions()
        self.editor.set_role(self.profile["role"])
        self.role_pages: list[QWidget] = []
        if self.profile["role"] == roles.APPLICANT:
            # Applicants rarely have extra tabs: import the office/review modules after the
            # window shows, so they never slow the start.
            QTimer.singleShot(0, self.build_role_tabs)
        else:
            self.build_role_tabs()

        self.model.reload()
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._update_count()
        app = cast(QApplication, QApplication.instance())  # stubs: a QCoreApplication
        app.focusChanged.connect(self._focus_changed)
        app.applicationStateChanged.connect(self._app_state)
        if self.model.rowCount():
            self.select(self.model.rows[0]["id"])
        window_state.restore(self, store)

    # -- layout -----------------------------------------------------------------------------------
    def _build_applicant_tab(self) -> QWidget:
        left = QWidget(self)
        self.search = QLineEdit(left)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("搜索姓名、身份证号或工作单位")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.search.textChanged.connect(self._update_count)
        self.status_filter = QComboBox(left)
        self.status_filter.addItem("全部状态", "")
        for key, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, key)
        self.status_filter.currentIndexChanged.connect(self._status_chosen)
        self.view = QTableView(left)
        self.view.setObjectName("candidates")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        share_width(self.view)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = QLabel(left)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        lay = QVBoxLayout(left)
        lay.setContentsMargins(6, 6, 0, 6)
        lay.addLayout(filters)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.count_label)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setObjectName("editorSplitter")
        right.addWidget(self.editor)
        right.addWidget(self.findings)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        right.setSizes([640, 160])
        right.setChildrenCollapsible(False)  # 检查结果 never shrinks out of sight

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("mainSplitter")
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([490, 870])
        self.splitter = split
        return split

    def _build_actions(self) -> None:
        bar = self.addToolBar("主要操作")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = self.menuBar().addMenu("文件(&F)")
        self.named_actions: dict[str, QAction] = {}  # not actions: that is QWidget.actions()

        def add(key, text, slot, shortcut=None, tip=""):
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(tip or text)
            act.setStatusTip(tip or text)
            bar.addAction(act)
            menu.addAction(act)
            self.named_actions[key] = act
            return act

        add("new", "新建", self.new_candidate, QKeySequence.StandardKey.New, "新建一位候选人")
        add("delete", "删除", self.delete_candidate, None, "删除选中的候选人")
        save = QAction("保存", self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setToolTip("立即保存（填写的内容本来就会自动保存）")
        save.triggered.connect(self.save_now)
        menu.addAction(save)
        self.named_actions["save"] = save
        bar.addSeparator()
        menu.addSeparator()
        add("import", "导入 JSON", self.import_json, None, "从 JSON 文件导入候选人")
        add("export", "导出 JSON", self.export_json, None, "把候选人导出为 JSON 文件")
        bar.addSeparator()
        menu.addSeparator()
        add("pack", "生成报送", self.open_pack_wizard, None, "检查、加密并签名，生成 .rpu 报送文件")
        add("print", "打印", self.print_current, QKeySequence.StandardKey.Print,
            "生成选中候选人的登记表 PDF 并打开")
        bar.addSeparator()
        menu.addSeparator()
        add("settings", "设置", self.open_settings, None, "身份角色、单位、年度、密钥和数据文件夹")
        trust = QAction("密钥登记与年度配置包…", self)
        trust.setObjectName("trustAction")
        trust.triggered.connect(self.open_trust)
        menu.addAction(trust)
        self.named_actions["trust"] = trust
        bar.addAction(lock := lock_action(self))
        menu.addAction(lock)
        menu.addSeparator()
        quit_act = QAction("退出", self)
        quit_act.setShortcut(QKeySequence.StandardKey.Quit)
        quit_act.triggered.connect(self.close)
        menu.addAction(quit_act)
        from . import edit_menu

        self.named_actions.update(edit_menu.build(self, self.editor))

    def _show_role_actions(self) -> None:
        """生成报送 packs an applicant's own form; units and offices send upward with 生成上报包
        on their 上报与光盘 tab, so the applicant's wizard is hidden there (toolbar and menu)."""
        self.named_actions["pack"].setVisible(self.profile["role"] == roles.APPLICANT)

    def build_role_tabs(self) -> None:
        """(Re)build the tabs the current role adds (``ui.roles`` registry)."""
        for page in self.role_pages:
            i = self.tabs.indexOf(page)
            if i >= 0:
                self.tabs.removeTab(i)
            page.deleteLater()
        self.role_pages = []
        try:
            pages = roles.pages_for(self.profile["role"])
        except Exception as err:  # a broken role module must not keep the applicant out
            log.exception("role pages failed")
            self.statusBar().showMessage(f"角色页面加载失败：{err}", 10000)
            pages = []
        for spec in pages:
            try:
                widget = spec.factory(self.store, self.tabs)
                if not isinstance(widget, roles.RolePageWidget):
                    raise TypeError(f"{type(widget).__name__} lacks refresh()/close_page()")
                if not isinstance(widget, QWidget):  # could not be a tab
                    raise TypeError(f"{type(widget).__name__} is not a QWidget")
            except Exception as err:
                log.exception("role page %s failed", spec.title)
                self.statusBar().showMessage(f"“{spec.title}”页面打开失败：{err}", 10000)
                continue
            self.tabs.addTab(widget, spec.title)
            self.role_pages.append(widget)
            if spec.title == roles.REVIEW_TAB:
                self.tabs.setCurrentWidget(widget)  # an office opens on its 审核 page

    def _tab_shown(self, index: int) -> None:
        self.editor.save_now()
        widget = self.tabs.widget(index)
        if widget in self.role_pages and isinstance(widget, roles.RolePageWidget):
            widget.refresh()
        elif index == 0:
            self.reload_list()

    # -- list ---------------------------------------------------------------------------------------
    def _status_chosen(self, _index: int) -> None:
        self.proxy.set_status(self.status_filter.currentData())
        self._update_count()

    def _update_count(self, *_args) -> None:
        self.count_label.setText(f"共 {self.model.rowCount()} 人，显示 {self.proxy.rowCount()} 人")

    def reload_list(self, select: str | None = None) -> None:
        keep = select or self.editor.candidate_id
        self.model.reload()
        self._update_count()
        if keep and self.model.row_of(keep) >= 0:
            self.select(keep)

    def select(self, candidate_id: str) -> None:
        row = self.model.row_of(candidate_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden by the filter: clear it so the user sees the row
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    def current_id(self) -> str | None:
        return self.editor.candidate_id

    def _row_changed(self, current, _previous) -> None:
        cid = current.data(CandidateModel.IdRole) if current.isValid() else None
        if cid != self.editor.candidate_id:
            self.editor.load(cid)
        self.named_actions["delete"].setEnabled(cid is not None)

    def _on_saved(self, candidate_id: str) -> None:
        self.model.update_row(candidate_id)
        self.statusBar().showMessage("已自动保存", 2000)

    def _focus_changed(self, old, new) -> None:
        if self.editor.dirty and old is not None and new is not None and old.window() is self:
            # Leaving a field saves it at once; the debounce only matters while typing.
            self.editor.save_now()

    def _app_state(self, state) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.editor.save_now()

    # -- actions ------------------------------------------------------------------------------------
    def new_candidate(self) -> str:
        self.editor.save_now()
        record = empty_candidate(self.profile["year"])
        channel = self.profile.get("channel") or {}
        if channel.get("kind"):
            record["channel"] = dict(channel)
        # An applicant's or a unit's own unit (from the first-run guide) is the 工作单位; an
        # office's is not (it enters candidates of other units).
        if self.profile.get("role") in (roles.APPLICANT, roles.UNIT) and self.profile.get("unit"):
            record["employer"] = self.profile["unit"]
        cid = self.store.save(record)
        self.reload_list(select=cid)
        self.editor.tabs.setCurrentIndex(0)
        self.editor.page_focus_first()
        return cid

    def save_now(self) -> bool:
        """Ctrl+S: saving is automatic, but a user who presses it is told that it is saved."""
        if self.editor.candidate_id is None:
            self.statusBar().showMessage("没有打开的表格，无需保存", 4000)
            return True
        ok = self.editor.save_now()
        if ok:
            self.statusBar().showMessage(f"已保存 {time.strftime('%H:%M:%S')}（修改会自动保存）", 6000)
        return ok

    def delete_candidate(self) -> None:
        cid = self.current_id()
        if cid is None:
            return
        name = self.store.get(cid).name or "（未填姓名）"
        answer = QMessageBox.question(self, "删除候选人", f"确定删除“{name}”的全部信息吗？此操作不能撤销。",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.editor.dirty = False
        self.editor.load(None)
        self.store.delete(cid)
        self.reload_list()
        if self.proxy.rowCount():
            self.view.selectRow(0)

    def import_json(self, path: str | None = None):
        from .dialogs.json_files import import_json

        return import_json(self, path)

    def export_json(self, path: str | None = None, all_candidates: bool = True):
        from .dialogs.json_files import export_json

        return export_json(self, path, all_candidates)

    def open_pack_wizard(self):
        self.editor.save_now()
        self.editor.check_all()  # 生成报送 checks everything, also on a form still being filled
        from .dialogs.pack_wizard import PackWizard

        ids = [self.current_id()] if self.current_id() else []
        wizard = PackWizard(self.store, ids, self, profile=self.profile)
        wizard.finished.connect(lambda _r: self.reload_list())
        wizard.open()
        return wizard

    def print_current(self, out_dir: str | None = None):
        cid = self.current_id()
        if cid is None:
            QMessageBox.information(self, "打印", "请先在列表中选择一位候选人。")
            return None
        self.editor.save_now()
        from .dialogs.print_forms import print_registration

        return print_registration(self, self.store, [cid], out_dir)

    def open_settings(self):
        self.editor.save_now()
        from .dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.store, self)
        dialog.accepted.connect(self.profile_changed)
        dialog.open()
        return dialog

    def open_trust(self):
        """密钥登记与年度配置包 (ui/dialogs/trust.py)."""
        from .dialogs.trust import TrustDialog

        dialog = TrustDialog(self.store, self)
        dialog.open()
        return dialog

    def open_first_run(self):
        """The first-run guide: the settings dialog with a welcome, shown when no profile exists."""
        from .dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.store, self, first_run=True)
        dialog.accepted.connect(self.profile_changed)
        dialog.open()
        return dialog

    def profile_changed(self) -> None:
        old_year = self.profile["year"]
        self.profile = profiles.with_defaults(profiles.load(self.store))
        self._show_role_actions()
        self.editor.set_role(self.profile["role"])
        self.build_role_tabs()
        if self.profile["year"] != old_year:
            self.statusBar().showMessage("年度已更改，重新启动程序后按新年度规则检查", 8000)

    # -- closing --------------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.editor.save_now()
        try:
            window_state.save(self, self.store)
        except Exception:  # remembering the size must never keep the window from closing
            log.exception("saving the window state failed")
        from .worker import wait_all

        wait_all()
        session().forget()
        from collector.common.opening import remove_view_copies

        remove_view_copies()  # the copies handed to viewers hold applicants' documents
        for page in self.role_pages:
            try:
                if isinstance(page, roles.RolePageWidget):  # always: checked when built
                    page.close_page()
            except Exception:
                log.exception("close_page failed")
        super().closeEvent(event)


def open_path(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


__all__ = ["MainWindow", "open_path", "QTimer"]
