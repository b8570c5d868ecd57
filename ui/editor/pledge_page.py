"""承诺与意见: the applicant's integrity pledge and the unit's recommendation opinion."""

from __future__ import annotations

from collector import fields as fl

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
        pledge = self.add_input(None, fl.BY_KEY["pledge"])
        pledge.editor.setText("我已阅读并同意以上承诺（诚信承诺）")
        form.addRow(pledge)
        opinion = fl.BY_KEY["unit_opinion"]
        form = self.group("单位推荐意见（由所在单位填写）")
        for child in opinion.children:
            widget = self.add_input(form, child, f"unit_opinion.{child.key}")
            if child.kind == fl.TEXT:
                widget.editor.setMaximumHeight(220)
        self.column.addStretch(1)
