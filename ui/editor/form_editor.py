"""The editor of one candidate: the form's pages as tabs, live validation, autosave.

On every change the record is collected from the pages, normalized and validated
(``collector.rules.validate``); each finding marks its field and is listed in the findings panel.
Saves go through ``store.save`` (one transaction) one second after the last change, and at once
when the candidate changes, the window loses focus or closes. Drafts may be invalid.
A new, empty form is neutral: only the fields the user has touched show their findings, until
``check_all`` (编辑 → 检查全部, or 生成报送). Every change is a step of ``undo_stack``.
With ``read_only=True`` (the offices' review) nothing can be typed and nothing is ever saved.
"""

from __future__ import annotations

import copy
import logging
from typing import TypeVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from collector.record import record_notes

from collector import rules
from collector.common.errors import CollectorError, InputError
from collector.record.fields import label_of
from collector.record.model import empty_candidate
from collector.record.model import normalize
from collector.rules import Finding
from collector.record.year import load_year

from . import undo
from .attachments_page import AttachmentsPage
from .basic_page import BasicPage
from .conditions_page import ConditionsPage
from .history_page import HistoryPage
from .page import Page
from .pledge_page import PledgePage
from .results_page import ResultsPage
from .. import style

log = logging.getLogger(__name__)
P = TypeVar("P", bound=Page)
SAVE_DELAY_MS = 1000
VALIDATE_DELAY_MS = 120


class CandidateEditor(QWidget):
    findings_changed = Signal(list)   # list[Finding]
    saved = Signal(str)               # candidate id
    save_failed = Signal(str)         # message
    noted = Signal(str)               # what a save should tell (collector.record.record_notes)

    def __init__(self, store, parent: QWidget | None = None, year: int = 2017,
                 read_only: bool = False):
        super().__init__(parent)
        self.store = store
        self.read_only = False
        self.year = load_year(year)
        self.candidate_id: str | None = None
        self.record: dict | None = None
        self.findings: list[Finding] = []
        self.dirty = False
        self._lookalike_memo: tuple[object, list[str]] = (None, [])
        self._loading = False
        self.undo_stack = QUndoStack(self)
        self._state: undo.State = {}
        self._applying = False
        self.show_all = True          # False: a new form shows only the touched fields' findings
        self.touched: set[str] = set()
        self._memory: dict[str, tuple[bool, set[str]]] = {}  # per candidate, for this session

        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        style.banner(self.banner, "none")
        self.banner.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("editorTabs")
        self.pages: list[Page] = [
            BasicPage(self.year, self.tabs), HistoryPage(self.year, self.tabs),
            ConditionsPage(self.year, self.tabs), ResultsPage(self.year, self.tabs),
            AttachmentsPage(self.year, self.tabs, store=store), PledgePage(self.year, self.tabs),
        ]
        for page in self.pages:
            self.tabs.addTab(page, page.title)
            page.changed.connect(self._on_change)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.banner)
        lay.addWidget(self.tabs, 1)

        self.validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self.validate_timer.timeout.connect(self.revalidate)
        self.save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save_now)
        self.set_enabled(False)
        if read_only:
            self.set_read_only(True)

    def set_read_only(self, on: bool) -> None:
        """Show records without letting them change: inputs read-only, no row buttons, no
        adding or removing files (打开 still works), no autosave."""
        if on:
            self.save_now()  # what was typed before the switch is kept, not lost
        self.read_only = on
        for page in self.pages:
            page.set_read_only(on)
        if self.candidate_id is None:
            self.set_enabled(False)

    def set_role(self, role: str) -> None:
        """What this role may type: the applicant (个人) cannot write 单位推荐意见."""
        from ..roles import APPLICANT

        self.page(PledgePage).lock_opinion(role == APPLICANT)

    def page(self, cls: type[P]) -> P:
        return next(p for p in self.pages if isinstance(p, cls))

    def set_enabled(self, on: bool) -> None:
        self.tabs.setEnabled(on)
        if not on:
            self.banner.setText("请先选择一位候选人。" if self.read_only else
                                "请在左侧列表中选择一位候选人，或点击“新建”。")
            style.banner(self.banner, "none")

    # -- loading and collecting -------------------------------------------------------------------
    def load(self, candidate_id: str | None) -> None:
        """Show a stored candidate (saving the one being edited first)."""
        self.save_now()
        if self.candidate_id is not None:
            self._memory[self.candidate_id] = (self.show_all, set(self.touched))
        self.candidate_id = candidate_id
        self._lookalike_memo = (None, [])  # the store may have changed meanwhile (an import)
        self.undo_stack.clear()  # undoing into another candidate's form would be a surprise
        if candidate_id is None:
            self.record = None
            self.set_enabled(False)
            self.findings_changed.emit([])
            return
        self.record = self.store.get(candidate_id).data
        self._loading = True
        try:
            for page in self.pages:
                page.load(self.record)
        finally:
            self._loading = False
        self._state = undo.capture(self.pages)
        self.show_all, self.touched = self._memory.get(
            candidate_id, (self.read_only or not self._is_blank(self.record), set()))
        self.dirty = False
        self.set_enabled(True)
        self.revalidate()

    def _is_blank(self, record: dict) -> bool:
        """Nothing typed yet (the year, the channel and the 工作单位 of a new form come from
        settings, not the user)."""
        blank = empty_candidate(self.year.year)
        ignore = ("program_year", "channel", "employer")
        return all(record.get(k) == v for k, v in blank.items() if k not in ignore)

    def collect(self) -> dict:
        """The record as the widgets show it now (keys the form does not show are kept)."""
        record = copy.deepcopy(self.record or {})
        for page in self.pages:
            page.collect(record)
        return record

    def _on_change(self) -> None:
        if self._loading or self.candidate_id is None or self.read_only:
            return
        if not self._applying:
            state = undo.capture(self.pages)
            if undo.diff(self._state, state):
                step = undo.Edit(self, self._state, state)
                self.touched |= {k.lstrip(undo.TABLE) for k in step.keys}
                self._state = state
                self.undo_stack.push(step)
        self.dirty = True
        self.validate_timer.start()
        self.save_timer.start()

    def apply_state(self, state: undo.State, keys: set[str]) -> None:
        """撤销/重做: show ``state`` for ``keys``, then validate and save as after typing."""
        self._applying = True
        try:
            undo.apply(self.pages, state, keys)
            self._state = undo.capture(self.pages)
        finally:
            self._applying = False
        self.touched |= {k.lstrip(undo.TABLE) for k in keys}
        self._on_change()

    # -- validation -------------------------------------------------------------------------------
    def check_all(self) -> list[Finding]:
        """The user asks to check the whole form (检查全部, 生成报送): every finding shows."""
        self.show_all = True
        return self.revalidate()

    def visible(self, findings: list[Finding]) -> list[Finding]:
        if self.show_all:
            return list(findings)
        return [f for f in findings if f.rule == "FORMAT" or self._touched(f.field)]

    def _touched(self, path: str) -> bool:
        for t in self.touched | ({"condition_statements"} if "conditions" in self.touched else set()):
            if path == t or path.startswith((t + ".", t + "[")) or t.startswith(path + "."):
                return True
        return False

    def format_findings(self) -> list[Finding]:
        return [Finding("FORMAT", rules.ERROR, path, message)
                for page in self.pages for path, message in page.format_problems()]

    def revalidate(self) -> list[Finding]:
        if self.candidate_id is None:
            return []
        self.validate_timer.stop()
        findings = self.format_findings()
        try:
            findings += rules.validate(normalize(self.collect()))
        except InputError as err:
            findings.append(Finding("FORMAT", rules.ERROR, err.field or "", err.message))
        self.findings = findings
        if not any(f.is_error for f in findings):
            self.show_all = True  # nothing left to hide: the form reads as checked from now on
        shown = self.visible(findings)
        self._show(shown)
        self.findings_changed.emit(shown)
        return findings

    def _show(self, findings: list[Finding]) -> None:
        for page in self.pages:
            page.clear_marks()
        by_path: dict[str, list[Finding]] = {}
        for f in findings:
            by_path.setdefault(f.field, []).append(f)
        for path, group in by_path.items():
            severity = "error" if any(f.is_error for f in group) else "warning"
            message = "\n".join(f.message for f in group)
            for page in self.pages:
                if page.mark(path, severity, message):
                    break
        self._banner(findings)

    def _banner(self, findings: list[Finding]) -> None:
        errors = sum(f.is_error for f in findings)
        warnings = len(findings) - errors
        counts = f"（{errors} 个错误，{warnings} 个提示）" if findings else "（信息完整）"
        if not self.show_all and rules.is_eligible(findings):
            text = ("新表格：已填写的项目会随填随查" + (counts if findings else "") +
                    "。填完后点击“编辑 → 检查全部”（F7）或“生成报送”，检查整张表。")
            self.banner.setText(text)
            style.banner(self.banner, "none")
            return
        if rules.is_eligible(findings):
            text, state = f"✔ 符合申报条件 {counts}", "ok" if not errors else "incomplete"
            if errors:
                text = f"✔ 符合申报条件，但表格尚未填完整 {counts}"
        else:
            why = "；".join(f.message for f in findings
                           if f.rule in rules.ELIGIBILITY_RULES and f.is_error)
            text, state = f"✘ 不符合申报条件：{why}", "bad"
        if self.read_only:
            text += "　·　只读：这里只能查看，不能修改"
        self.banner.setText(text)
        style.banner(self.banner, state)

    def focus_path(self, path: str) -> None:
        """Show the page holding ``path`` (e.g. ``work_history[1].end``) and focus the field."""
        for i, page in enumerate(self.pages):
            if page.owns(path):
                self.tabs.setCurrentIndex(i)
                page.focus_path(path)
                return

    # -- saving -------------------------------------------------------------------------------------
    def save_now(self) -> bool:
        """Save now if anything changed; a record that cannot be normalized yet is kept unsaved."""
        self.save_timer.stop()
        if self.read_only:
            self.dirty = False
            return True
        if not self.dirty or self.candidate_id is None:
            return True
        record = self.collect()
        try:
            before = record_notes.status_of(self.store, self.candidate_id)
            self.store.save(record, candidate_id=self.candidate_id)
            notes = record_notes.notes_after_save(self.store, self.candidate_id, before,
                                                  check_lookalikes=False)
            notes += self._lookalikes()
        except CollectorError as err:
            where = label_of(err.field) if isinstance(err, InputError) and err.field else ""
            self.save_failed.emit(f"未能保存{('：' + where) if where else ''}：{err}")
            log.warning("autosave failed: %s", err)
            return False
        self.record = normalize(record)
        self.dirty = False
        self.saved.emit(self.candidate_id)
        if notes:
            self.noted.emit("；".join(notes))
        return True

    def _lookalikes(self) -> list[str]:
        """``record_notes.lookalike_notes`` again only when name, birth date or mobile changed:
        the mobile is compared by reading every stored record, too much for each autosave."""
        data = self.store.get(self.candidate_id).data
        key = (self.candidate_id, record_notes.lookalike_keys(data))
        if self._lookalike_memo[0] != key:
            self._lookalike_memo = (key, record_notes.lookalike_notes(self.store, data,
                                                                      self.candidate_id))
        return list(self._lookalike_memo[1])

    def reload_attachments(self) -> None:
        """After something outside the editor changed the stored attachments (``store.attach``)."""
        if self.candidate_id is None:
            return
        data = self.store.get(self.candidate_id).data
        self.record["attachments"] = data["attachments"]
        self.page(AttachmentsPage).attachments.set_value(data["attachments"])
        self.revalidate()

    def page_focus_first(self) -> None:
        self.focus_path("name")
