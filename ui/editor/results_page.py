"""成就与成果: the achievements narrative and the tables of projects, awards, papers, patents."""

from __future__ import annotations

from collector.record import fields as fl

from .inputs import TextInput
from .page import Page

TABLES = ("projects", "awards", "papers", "patents", "part_time_posts", "honors")


class ResultsPage(Page):
    title = fl.RESULTS

    def __init__(self, year, parent=None):
        super().__init__(year, parent)
        form = self.group("主要学术技术成就")
        self.add_input(None, fl.BY_KEY["achievements"])
        text = self.input_of("achievements", TextInput)
        text.editor.setMinimumHeight(160)
        text.editor.setPlaceholderText("概述本人主要学术技术成就、贡献及其影响（限定字数以内）")
        form.addRow(text)
        hints = {"papers": "收录情况：SCI、EI、CSSCI、核心期刊等", "projects": "经费以万元计"}
        for key in TABLES:
            self.add_table(fl.BY_KEY[key], hints.get(key, ""))
        self.column.addStretch(1)
