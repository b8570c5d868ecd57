"""The review page's lower pane: one candidate's whole record in the applicant's own editor
(read-only), beside where it came from, the office's decision and opinion, and the findings."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from collector.common.fingerprint import short
from collector.office import decisions as dec

from ..editor.form_editor import CandidateEditor
from ..findings_panel import FindingsPanel
from .common import BAD_COLOR, OK_COLOR, WARN_COLOR
from ..style import GroupBox


# A fingerprint as printed (4 hex digits, dash, …) or a file name: never broken inside.
_WHOLE = re.compile(r"[0-9A-Fa-f]{4}(?:-[0-9A-Fa-f]{4})+|[^\s<>;，。（）]+\.rpu")


def keep_whole(value: str) -> str:
    """Wrap fingerprints and package names in a no-wrap span: a narrow panel breaks the line
    before them, never in the middle of a group."""
    return _WHOLE.sub(lambda m: f"<span style='white-space:nowrap'>{m.group(0)}</span>", value)


def _rows(pairs: list[tuple[str, str]]) -> str:
    """Label/value rows as a small HTML table (labels grey, values wrap between words)."""
    cells = "".join(f"<tr><td style='color:#666; padding-right:6px' nowrap>{escape(k)}</td>"
                    f"<td>{keep_whole(v)}</td></tr>" for k, v in pairs)
    return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"


def source_html(source: dict | None) -> str:
    """Where the record came from: the file, who signed it (name, unit, role), the key."""
    if not source or not source.get("signer"):
        where = escape((source or {}).get("file") or "本机录入")
        return _rows([("来源", f"{where}（不是导入的报送文件，没有签名）")])
    signer = "，".join(escape(x) for x in (source.get("signer_name"), source.get("signer_unit"),
                                           source.get("signer_role")) if x)
    fingerprint = source.get("signer") or ""
    pairs = [("文件", escape(source.get("file") or "")), ("签名者", signer or "—"),
             ("签名指纹", f"<code>{escape(short(fingerprint))}</code>" if fingerprint else "—")]
    if source.get("imported_at"):
        when = str(source["imported_at"])[:19].replace("T", " ")  # seconds are enough here
        pairs.append(("导入时间", escape(when)))
    return _rows(pairs)


def provenance_cell(store, cand, top: bool) -> tuple[str, str, str | None]:
    """The review table's 来源核对 cell: (text, tooltip, colour)."""
    from collector.office import paper
    from collector.exchange.admission import hold_reason
    from collector.exchange.provenance import of

    prov = of(cand)
    status = paper.status_of(store, cand.id)
    held = hold_reason(store, cand, prov, top=top)
    text = f"{prov.label()}；纸质材料{paper.LABELS[status]}"
    if held:
        text += "；暂扣待定"
    elif prov.paper_needed and status != paper.MATCHED:
        text += "；须核对纸质材料"
    color = BAD_COLOR if held or status == paper.MISMATCH else (
        OK_COLOR if prov.verified and not (prov.paper_needed and status != paper.MATCHED)
        else WARN_COLOR)
    return text, "\n".join(x for x in (prov.detail, prov.paper_needed, held) if x), color


def provenance_html(store, cand) -> str:
    """来源核对 in the detail pane: the class and why, the paper check here and below, any hold
    and any operator's acceptance."""
    from collector.office import paper
    from collector.exchange.admission import hold_reason
    from collector.exchange.provenance import of

    prov = of(cand)
    colour = OK_COLOR if prov.verified else WARN_COLOR
    pairs = [("来源核对", f"<span style='background:{colour}'>&nbsp;{escape(prov.label())}&nbsp;</span>"),
             ("说明", escape(prov.detail or "—"))]
    if prov.path:
        pairs.append(("经过", escape(" → ".join(prov.path))))
    got = paper.paper_of(store, cand.id)
    pairs.append(("纸质材料", escape(f"{got['label']}（{got['at'][:16].replace('T', ' ')}）"
                                      if got else "未核对")))
    if prov.paper_needed and not (got and got["status"] == paper.MATCHED):
        pairs.append(("须核对", escape(prov.paper_needed)))
    for b in prov.below:
        pairs.append(("下级核对", escape(f"{b.get('level', '')}：{b.get('label', '')}")))
    held = hold_reason(store, cand, prov)
    if held:
        pairs.append(("暂扣", f"<span style='background:{BAD_COLOR}'>{escape(held)}</span>"))
    if prov.accepted:
        a = prov.accepted
        pairs.append(("已接受", escape(f"{a.get('reason', '')}（{a.get('actor', '')} "
                                      f"{str(a.get('at', ''))[:16]}）")))
    return _rows(pairs)


def decision_html(decision: dec.Decision | None, opinions: list[tuple[str, str]]) -> str:
    """The office's 推荐 / 不推荐, its reason, and every opinion written so far."""
    if decision is None:
        shown = f"<span style='background:{WARN_COLOR}'>&nbsp;未决定&nbsp;</span>"
    else:
        colour = OK_COLOR if decision.decision == dec.RECOMMEND else BAD_COLOR
        shown = f"<span style='background:{colour}'>&nbsp;{escape(decision.decision)}&nbsp;</span>"
    pairs = [("决定", shown)]
    if decision and decision.reason:
        pairs.append(("理由", escape(decision.reason)))
    for title, text in opinions:
        pairs.append((title, escape(text) if text else "<span style='color:#999'>（未填写）</span>"))
    return _rows(pairs)


class CandidateDetail(QWidget):
    """One editor, reused: choosing another candidate loads its record, nothing is rebuilt."""

    def __init__(self, store, parent: QWidget | None = None, year: int = 2017):
        super().__init__(parent)
        self.store = store
        self.setObjectName("candidateDetail")
        self.editor = CandidateEditor(store, self, year=year, read_only=True)
        self.findings = FindingsPanel(self)
        self.findings.field_clicked.connect(self.editor.focus_path)
        self.editor.findings_changed.connect(self.findings.show_findings)

        self.source = self._box("来源")
        self.decision = self._box("审核决定与意见")
        side = QWidget(self)
        lay = QVBoxLayout(side)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.source.parentWidget())
        lay.addWidget(self.decision.parentWidget())
        lay.addWidget(self.findings, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.editor)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setSizes([820, 340])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)
        self.show_candidate(None)

    def _box(self, title: str) -> QLabel:
        box = GroupBox(title, self)
        label = QLabel(box)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        QVBoxLayout(box).addWidget(label)
        return label

    @property
    def candidate_id(self) -> str | None:
        return self.editor.candidate_id

    def show_candidate(self, candidate_id: str | None, decision: dec.Decision | None = None,
                       opinions: list[tuple[str, str]] | None = None) -> None:
        """Load ``candidate_id`` into the editor (the tab being read stays on top)."""
        if candidate_id is None:
            self.editor.load(None)
            self.source.setText("<span style='color:#777'>请在上方表格中选择一位候选人。</span>")
            self.source.setToolTip("")
            self.decision.setText("")
            return
        stored = self.store.get(candidate_id)
        self.editor.load(candidate_id)  # again for the same one: an opinion may have changed it
        self.source.setText(source_html(stored.source) + provenance_html(self.store, stored))
        self.decision.setText(decision_html(decision, opinions or []))
        self.source.setToolTip(f"签名指纹（完整）：{(stored.source or {}).get('signer', '')}"
                               if stored.source else "")
