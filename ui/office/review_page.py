"""审核与名额: every candidate with its findings, source and decision; 推荐 / 不推荐 with a
reason; the office's opinion; the quota per channel (and the region's total); the deadline.
Below the table, the selected candidate's whole record, read-only (``CandidateDetail``)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QMessageBox, QPushButton, QSplitter, QTableWidget, QToolButton,
                               QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from collector.common.errors import CollectorError
from collector.office import decisions as dec
from collector.office import pack_confirm as pc
from collector.exchange.admission import accept
from collector.office.profile import REGION, UNIT, load_profile
from collector.office.quota import quota_view
from collector.rules import validate
from collector.record.year import load_year
from ui.errors import show_error
from ui.roles import PageLifecycle
from ui.screen_text import for_screen

from .candidate_detail import CandidateDetail, provenance_cell
from .paper_check import PaperCheckDialog
from .common import BAD_COLOR, OK_COLOR, WARN_COLOR, item


def concern_cell(found: list[pc.Concern]) -> tuple[str, str, str | None]:
    """(text, tooltip, colour) of the 报送前须确认 cell: red until every concern has a reason."""
    if not found:
        return "", "", None
    tip = "\n".join(f"{pc.KIND_LABELS[c.kind]}：{c.message}"
                     + (f"；已确认，理由：{c.reason}" if c.confirmed else "；尚未写明理由") for c in found)
    labels = "、".join(pc.KIND_LABELS[c.kind] for c in found)
    if all(c.confirmed for c in found):
        return f"已确认（{labels}）", tip, WARN_COLOR
    return f"{labels}：须写明理由", tip, BAD_COLOR

COLUMNS = ("姓名", "身份证号", "推荐渠道", "工作单位", "检查", "来源", "决定", "理由", "意见",
           "来源核对", "报送前须确认")
PROVENANCE_COL = COLUMNS.index("来源核对")
MIN_ROWS = 6
CHANNEL_COL, CONFIRM_COL = COLUMNS.index("推荐渠道"), COLUMNS.index("报送前须确认")


class OfficeReviewPage(QWidget, PageLifecycle):
    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setObjectName("officeReviewPage")
        self.ids: list[str] = []

        self.deadline = QLabel()
        self.quota = QLabel()  # one line; the emphasis shares and findings on demand
        self.quota.setObjectName("quotaLine")
        self.details_button = QToolButton()
        self.details_button.setText("名额详情")
        self.details_button.setCheckable(True)
        self.details = QLabel()
        self.details.setObjectName("quotaDetails")
        self.details.setWordWrap(True)
        self.details.setVisible(False)
        self.details_button.toggled.connect(self.details.setVisible)
        quota_row = QHBoxLayout()
        quota_row.addWidget(self.quota, 1)
        quota_row.addWidget(self.details_button)
        buttons = QHBoxLayout()
        for text, slot in (("推荐", self.recommend), ("不推荐…", self.reject),
                           ("填写意见…", self.edit_opinion),
                           ("纸质材料核对…", self.check_paper), ("确认报送…", self.confirm)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        self.accept_button = QPushButton("接受暂扣人选…")
        self.accept_button.setToolTip("自治区：无法核对、本级录入或纸质材料未核对的人选暂扣待定；"
                                      "核实后可写明理由接受（记入审计）")
        self.accept_button.clicked.connect(self.accept_held)
        buttons.addWidget(self.accept_button)
        buttons.addStretch(1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_detail)
        # Whatever is selected, the table keeps at least MIN_ROWS rows in sight (1366×768).
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + MIN_ROWS * self.table.verticalHeader().defaultSectionSize() + 4)
        self.detail = CandidateDetail(store, self, year=load_year().year)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 400])

        layout = QVBoxLayout(self)
        layout.addWidget(self.deadline)
        layout.addLayout(quota_row)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.refresh()

    def refresh(self) -> None:
        year = load_year()
        late = dt.date.today() > year.deadline
        self.deadline.setText(f"{year.year}年度材料报送截止日期：{year.deadline.isoformat()}"
                              + ("（已过截止日期，生成上报包时会提示）" if late else ""))
        profile = load_profile(self.store)
        view = quota_view(self.store, profile)
        line = "名额：" + "；".join(view.lines())
        if view.blocked:
            line += "；不能生成上报包（见名额详情）"
        self.quota.setText(line)
        self.quota.setToolTip("\n".join([line, *view.emphasis_lines()]))
        self.details.setText("\n".join([*view.emphasis_lines(),
                                        *(for_screen(f.message) for f in view.findings)]))
        self.quota.setStyleSheet(f"background: {BAD_COLOR}" if view.blocked else "")
        self.accept_button.setVisible(profile.role == REGION)
        decided = dec.all_decisions(self.store)
        confirmations = self.store.get_setting(pc.SETTING_KEY, {})
        stored = list(self.store.all())
        top = profile.role == REGION
        self.ids = [c.id for c in stored]
        self.table.setRowCount(len(stored))
        for row, c in enumerate(stored):
            findings = validate(c.data)
            errors = sum(f.is_error for f in findings)
            warnings = len(findings) - errors
            check = "通过" if not findings else f"错误 {errors} 提示 {warnings}"
            d = decided.get(c.id)
            opinion = (d.opinion if d else "") or (c.data.get("unit_opinion") or {}).get("text", "")
            source = (c.source or {}).get("file", "本机录入")
            decision = d.decision if d else "未决定"
            color = {dec.RECOMMEND: OK_COLOR, dec.REJECT: BAD_COLOR}.get(decision, WARN_COLOR)
            trace, trace_tip, trace_color = provenance_cell(self.store, c, top)
            concern, concern_tip, concern_color = concern_cell(
                pc.concerns_of(self.store, c, profile, confirmations))
            cells = (c.name, c.data["id_number"], (c.data.get("channel") or {}).get("name", ""),
                     c.data.get("employer", ""), check, source, decision,
                     d.reason if d else "", opinion, trace, concern)
            out_of_channel = "非本渠道" in concern_tip
            for col, value in enumerate(cells):
                self.table.setItem(row, col, item(value, color if col == 6 else (
                    BAD_COLOR if col == 4 and errors else
                    trace_color if col == PROVENANCE_COL else
                    concern_color if col == CONFIRM_COL or (col == CHANNEL_COL and out_of_channel)
                    else None),
                    trace_tip if col == PROVENANCE_COL else
                    concern_tip if col in (CONFIRM_COL, CHANNEL_COL) and concern_tip else ""))
        self._show_detail()  # a decision or opinion just written shows at once

    def selected(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.ids[r] for r in rows if r < len(self.ids)]

    def _show_detail(self) -> None:
        ids = self.selected()
        if not ids:
            self.detail.show_candidate(None)
            return
        cid = ids[0]
        record = self.store.get(cid).data
        decision = dec.get_decision(self.store, cid)
        opinions = [("单位推荐意见", (record.get("unit_opinion") or {}).get("text", ""))]
        profile = load_profile(self.store)
        if profile.role != UNIT:
            opinions.append((self._opinion_title(profile), decision.opinion if decision else ""))
        self.detail.show_candidate(cid, decision, opinions)

    @staticmethod
    def _opinion_title(profile) -> str:
        return "单位推荐意见" if profile.role == UNIT else f"{profile.role_label}意见"

    def _decide(self, decision: str, reason: str) -> None:
        try:
            for cid in self.selected():
                dec.decide(self.store, cid, decision, reason)
        except CollectorError as err:
            show_error(self, "审核", err)
        self.refresh()

    def recommend(self) -> None:
        self._decide(dec.RECOMMEND, "")

    def reject(self) -> None:
        if not self.selected():
            return
        reason, ok = QInputDialog.getText(self, "不推荐", "请写明不推荐的理由：")
        if ok:
            self._decide(dec.REJECT, reason)

    def check_paper(self) -> None:
        dialog = PaperCheckDialog(self.store, self)
        dialog.checked.connect(self.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the review table stays readable beside it
        self.paper_dialog = dialog

    def confirm(self) -> None:
        """确认报送…: write the reason a selected candidate is sent despite its concerns."""
        from .pack_confirm_dialog import PackConfirmDialog

        found = [c for c in pc.concerns(self.store, self.selected()) if not c.confirmed]
        if not found:
            QMessageBox.information(self, "确认报送", "所选人选没有须确认的问题（非本渠道人选、"
                                    "纸质材料不一致的人选才须写明理由）")
            return
        self.confirm_dialog = PackConfirmDialog(self.store, found, self)
        self.confirm_dialog.finished.connect(lambda _: self.refresh())
        self.confirm_dialog.open()

    def accept_held(self) -> None:
        ids = self.selected()
        if not ids:
            QMessageBox.information(self, "接受暂扣人选", "请先在表格中选择暂扣的人选")
            return
        reason, ok = QInputDialog.getText(self, "接受暂扣人选",
                                          "请写明接受的理由（例如“已电话核实并核对纸质登记表”），将记入审计：")
        if not ok:
            return
        try:
            for cid in ids:
                accept(self.store, cid, reason)
        except CollectorError as err:
            show_error(self, "接受暂扣人选", err)
        self.refresh()

    def edit_opinion(self) -> None:
        ids = self.selected()
        if not ids:
            QMessageBox.information(self, "填写意见", "请先在表格中选择候选人")
            return
        profile = load_profile(self.store)
        title = self._opinion_title(profile)
        from .opinion_dialog import OpinionDialog

        current = ""
        if len(ids) == 1:  # editing one candidate's opinion starts from what is written
            d = dec.get_decision(self.store, ids[0])
            current = ((self.store.get(ids[0]).data.get("unit_opinion") or {}).get("text", "")
                       if profile.role == UNIT else (d.opinion if d else ""))
        dialog = OpinionDialog(title, current, self)
        self.opinion_dialog = dialog
        if dialog.exec() != OpinionDialog.DialogCode.Accepted:
            return
        text = dialog.text()
        try:
            for cid in ids:
                dec.set_opinion(self.store, cid, text, profile)
        except CollectorError as err:
            show_error(self, title, err)
        self.refresh()
