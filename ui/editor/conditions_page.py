"""符合条件: the notice's general requirement and its four conditions, each with a statement."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from collector.record import fields as fl

from .inputs import BoolInput, FieldInput, TextInput
from .page import Page
from .. import style
from ..style import GroupBox


class _ConditionsInput(FieldInput):
    """The ``conditions`` list as one input over the four check boxes (for marks and focus)."""

    def __init__(self, boxes: dict[int, BoolInput], parent: QWidget):
        super().__init__(fl.BY_KEY["conditions"], "conditions", parent)
        self.boxes = boxes
        self.editor = next(iter(boxes.values())).editor
        for box in boxes.values():
            box.changed.connect(self.changed)
        self.hide()

    def value(self) -> list[int]:
        return [n for n, box in self.boxes.items() if box.value()]

    def set_value(self, value) -> None:
        for n, box in self.boxes.items():
            box.blockSignals(True)
            box.set_value(n in (value or ()))
            box.blockSignals(False)

    def mark(self, severity: str, message: str) -> None:
        for box in self.boxes.values():
            box.mark(severity, message)


class ConditionsPage(Page):
    title = fl.CONDITIONS

    def __init__(self, year, parent=None):
        super().__init__(year, parent)
        self.note(year.general_condition)
        statement = fl.BY_KEY["condition_statements"]
        boxes: dict[int, BoolInput] = {}
        for n, text in sorted(year.conditions.items()):
            group = GroupBox(f"条件{n}", self.body)
            lay = QVBoxLayout(group)
            box = BoolInput(fl.Field(f"c{n}", f"条件{n}", fl.BOOL), f"conditions#{n}", year, group,
                            text=f"本人符合条件{n}")
            boxes[n] = box
            wording = QLabel(text, group)
            wording.setWordWrap(True)
            style.tone(wording, "conditionText")
            lay.addWidget(wording)
            lay.addWidget(box)
            path = f"condition_statements.{n}"
            edit = TextInput(statement, path, year, group, height=90)
            edit.editor.setMaximumHeight(150)
            edit.editor.setPlaceholderText(f"已勾选条件{n}时，请具体说明本人如何符合（代表性成果、数据、证明材料）")
            self.add_input(None, statement, path, widget=edit)
            lay.addWidget(edit)
            box.changed.connect(lambda b=box, e=edit: e.setEnabled(b.value() or bool(e.value().strip())))
            self.column.addWidget(group)
        self.add_input(None, fl.BY_KEY["conditions"], widget=_ConditionsInput(boxes, self.body))
        self.column.addStretch(1)

    def load(self, record: dict) -> None:
        super().load(record)
        for n, box in self.input_of("conditions", _ConditionsInput).boxes.items():
            edit = self.inputs[f"condition_statements.{n}"]
            edit.setEnabled(box.value() or bool(edit.value().strip()))

    def collect(self, record: dict) -> None:
        record["conditions"] = self.inputs["conditions"].value()
        record["condition_statements"] = {
            str(n): self.inputs[f"condition_statements.{n}"].value()
            for n in sorted(self.year.conditions)
            if self.inputs[f"condition_statements.{n}"].value().strip()
        }

    def focus_path(self, path: str) -> None:
        if path == "conditions":
            first = next(iter(self.input_of("conditions", _ConditionsInput).boxes.values()))
            self.ensureWidgetVisible(first)
            first.focus()
            return
        super().focus_path(path)
