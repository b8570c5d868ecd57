"""基本信息: the top of the paper form, generated from ``fields.FIELDS`` grouped in sections."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel

from collector.record import fields as fl

from .inputs import DateInput, EnumInput, LineInput
from .page import Page, label_text
from ..style import GroupBox

# Sections of the paper form; a BASIC field not listed here still appears, under 其他.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("个人信息", ("name", "gender", "birth_date", "id_number", "ethnicity", "political_status",
              "native_place", "birth_place")),
    ("工作单位与职称", ("employer", "employer_type", "unit_category", "unit_ownership", "admin_post",
                  "title", "title_level", "title_date", "work_start")),
    ("学历学位", ("education", "degree", "graduate_school", "major", "graduation_date")),
    ("专业与重点领域", ("discipline", "discipline_group", "focus_areas", "strategies")),
    ("推荐渠道", ("channel", "candidate_code")),
    ("联系方式", ("contact",)),
)
WIDE = {fl.ENUM_LIST, fl.TEXT}
HIDDEN = {"program_year"}  # shown in the banner, not edited


class BasicPage(Page):
    title = fl.BASIC

    def __init__(self, year, parent=None):
        super().__init__(year, parent)
        listed = {k for _, keys in SECTIONS for k in keys}
        rest = tuple(f.key for f in fl.FIELDS
                     if f.page == fl.BASIC and f.key not in listed and f.key not in HIDDEN)
        for title, keys in SECTIONS + ((("其他", rest),) if rest else ()):
            specs: list[tuple[fl.Field, str]] = []
            for key in keys:
                spec = fl.BY_KEY[key]
                if spec.kind == fl.OBJECT:
                    specs.extend((child, f"{key}.{child.key}") for child in spec.children)
                else:
                    specs.append((spec, key))
            self._section(title, specs)
        self.column.addStretch(1)
        self._wire_channel()
        self.input_of("candidate_code", LineInput).editor.setPlaceholderText("由人社部门统一编写，个人不填")
        self.inputs["id_number"].changed.connect(self.fill_from_id)

    def fill_from_id(self) -> None:
        """A complete, valid ID number fills 出生日期 and 性别 when they are still empty
        (never overwrites: a disagreement is ID_MISMATCH's to report)."""
        from collector.rules import idnumber

        number = self.inputs["id_number"].value().strip().upper()
        if len(number) != 18 or idnumber.problem(number):
            return
        birth, gender = self.input_of("birth_date", DateInput), self.inputs["gender"]
        if not birth.editor.text().strip():
            birth.set_value(idnumber.birth_date(number).isoformat())
        if not gender.value():
            gender.set_value(idnumber.gender(number))

    def _section(self, title: str, specs: list[tuple[fl.Field, str]]) -> None:
        """Two label/input pairs per row, like the ruled paper form; wide fields take a whole row."""
        box = GroupBox(title, self.body)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        row = col = 0
        for spec, path in specs:
            widget = self.add_input(None, spec, path)
            label = QLabel(label_text(spec), box)
            label.setBuddy(widget.editor)
            wide = spec.kind in WIDE or spec.key in ("discipline", "address")
            if wide and col:
                row, col = row + 1, 0
            grid.addWidget(label, row, col)
            grid.addWidget(widget, row, col + 1, 1, 3 if wide else 1)
            if wide or col:
                row, col = row + 1, 0
            else:
                col = 2
        self.column.addWidget(box)

    def _wire_channel(self) -> None:
        kind = self.inputs["channel.kind"]
        old = self.inputs["channel.name"]
        # The name is a suggestion list of that kind's 盟市 or 区直单位 (other names allowed).
        spec = fl.Field("name", old.spec.label, fl.ENUM, open_choices=True)
        name = EnumInput(spec, "channel.name", self.year, old.parent(), choices=())
        old.parentWidget().layout().replaceWidget(old, name)
        old.changed.disconnect()
        old.deleteLater()
        name.changed.connect(self.changed)
        self.inputs["channel.name"] = name

        def refresh() -> None:
            name.set_choices(self.year.channels.get(kind.value(), ()))

        kind.changed.connect(refresh)
        refresh()

    def load(self, record: dict) -> None:
        kind = self.inputs["channel.kind"]
        kind.set_value((record.get("channel") or {}).get("kind", ""))
        self.input_of("channel.name", EnumInput).set_choices(self.year.channels.get(kind.value(), ()))
        super().load(record)
