"""学习与工作经历: two tables, newest last, months as YYYY-MM."""

from __future__ import annotations

from collector.record import fields as fl

from .page import Page


class HistoryPage(Page):
    title = fl.HISTORY

    def __init__(self, year, parent=None):
        super().__init__(year, parent)
        self.note("按时间顺序填写，年月格式为 YYYY-MM（例如 2005-09）；工作经历的终止年月留空表示“至今”。"
                  "在表格中按 Tab 键移到下一格。", howto=True)
        self.add_table(fl.BY_KEY["education_history"], "从大学开始填写")
        self.add_table(fl.BY_KEY["work_history"])
        self.column.addStretch(1)
