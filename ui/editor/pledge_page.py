"""承诺与意见: the applicant's integrity pledge and the unit's recommendation opinion."""

from __future__ import annotations

from collector.record import fields as fl

from .inputs import BoolInput
from .page import Page

PLEDGE_TEXT = ("本人承诺：所填写的信息及提供的佐证材料真实、准确、完整，纸质材料与电子数据一致；"
               "涉密材料已作脱密处理。如有弄虚作假，自愿取消推荐资格并承担相应责任。")


class PledgePage(Page):
    title = fl.PLEDGE

    def __init__(self, year, parent=None):
        super().__init__(year, parent)
        form = self.group("诚信承诺")
        self.note_label = self.note(PLEDGE_TEXT)
        self.column.removeWidget(self.note_label)
        form.addRow(self.note_label)
        self.add_input(None, fl.BY_KEY["pledge"])
        pledge = self.input_of("pledge", BoolInput)
        pledge.editor.setText("我已阅读并同意以上承诺（诚信承诺）")
        form.addRow(pledge)
        opinion = fl.BY_KEY["unit_opinion"]
        form = self.group("单位推荐意见（由所在单位填写）")
        self.opinion_note = self.note("单位推荐意见由所在单位人事部门填写，申报人不能填写。")
        self.column.removeWidget(self.opinion_note)
        form.addRow(self.opinion_note)
        self.opinion_inputs = []
        for child in opinion.children:
            widget = self.add_input(form, child, f"unit_opinion.{child.key}")
            self.opinion_inputs.append(widget)
            if child.kind == fl.TEXT:
                widget.editor.setMaximumHeight(220)
        self.column.addStretch(1)
        self.page_read_only = False
        self.opinion_locked = False
        self.opinion_note.hide()

    def lock_opinion(self, on: bool) -> None:
        """For the applicant (个人): the unit's opinion shows but cannot be typed."""
        self.opinion_locked = on
        self.opinion_note.setVisible(on and not self.page_read_only)
        for widget in self.opinion_inputs:
            widget.set_read_only(on or self.page_read_only)

    def set_read_only(self, on: bool) -> None:
        super().set_read_only(on)
        self.page_read_only = on
        self.lock_opinion(self.opinion_locked)
