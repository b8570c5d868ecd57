"""The ranking table on the review page: one row per candidate, coloured by the decision, each
expert's weighted score in the 得分 cell's tooltip; and the line of shares under it."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem,
                               QWidget)

from collector import review as rv
from collector.review.ranking import fmt

DECISION_COLORS = {rv.SELECTED: "#dff0d8", rv.PENDING: "#fcf8e3", rv.CUT: "#f2f2f2"}
RANK_COLUMNS = ("名次", "姓名", "推荐渠道", "得分", "结果", "原因")
SCORE_COL, REASON_COL = RANK_COLUMNS.index("得分"), RANK_COLUMNS.index("原因")


class RankingTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(RANK_COLUMNS), parent)
        self.setObjectName("rankTable")
        self.setHorizontalHeaderLabels(RANK_COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The reason is what a reader needs: it takes the free width and wraps; each expert's
        # weighted score is in the 得分 cell's tooltip (the full sheet is in the package).
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COL, QHeaderView.ResizeMode.Stretch)
        self.setWordWrap(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)

    def show_ranking(self, ranking) -> None:
        self.setRowCount(len(ranking.rows))
        for i, row in enumerate(ranking.rows):
            kind, name = row.candidate.channel
            per_expert = "\n".join(f"{e}：{fmt(v)}" for e, v in row.totals.items())
            cells = [f"{row.rank}{' 并列' if row.tied else ''}", row.candidate.name,
                     f"{name}（{kind}）", fmt(row.mean), row.decision, row.reason]
            color = QBrush(QColor(DECISION_COLORS.get(row.decision, "#ffffff")))
            for k, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(color)
                item.setToolTip(f"各专家加权分：\n{per_expert}" if k == SCORE_COL else text)
                self.setItem(i, k, item)


def share_text(ranking) -> str:
    """产业创新人才 and 非公有制单位 counts for all candidates and for the final list."""
    sh = ranking.shares()
    emphases = "\n".join("遴选推荐重点 · " + e.line() for e in ranking.emphasis())
    return emphases + "\n" + "　".join(
        f"{label} {s['count']} 名：产业创新人才（条件四）{s['industrial']} 名"
        f"（{s['industrial_percent']}%），非公有制单位 {s['non_public']} 名"
        f"（{s['non_public_percent']}%）"
        for label, s in (("全部人选", sh["all"]), ("推荐名单", sh["final"])))
