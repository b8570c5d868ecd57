"""LENGTH names the exact field and row it found too long, in every shape of field the record
has: a top-level text, a text per condition, a field inside an object, a cell of a table row."""

from __future__ import annotations

from tests.core.test_rules import findings_for


def lengths(**overrides) -> dict[str, tuple[str, str]]:
    return {f.field: (f.severity, f.message) for f in findings_for(**overrides)
            if f.rule == "LENGTH"}


def test_a_field_inside_an_object_is_named_with_its_object():
    found = lengths(unit_opinion={"text": "意" * 501, "date": "2017-04-01"})
    assert found == {"unit_opinion.text": ("error", "意见共501字，超过500字的限制")}


def test_a_table_cell_is_named_by_its_row():
    rows = [{"start": "2000-09", "end": "2004-07", "school": "甲大学", "major": "物理",
             "degree": "学士"},
            {"start": "2004-09", "end": "2007-07", "school": "校" * 201, "major": "物理",
             "degree": "硕士"}]
    found = lengths(education_history=rows)
    assert found == {"education_history[1].school":
                     ("error", "学习经历第2行学校共201字，超过200字的限制")}


def test_the_note_of_a_warning_limit_is_in_the_message():
    found = lengths(employer="内" * 16)
    assert found == {"employer": ("warning", "工作单位共16字，超过15字的限制（工作单位名称不超过15个字）")}


def test_a_condition_statement_is_named_by_its_condition():
    found = lengths(conditions=[2], condition_statements={"2": "说" * 501})
    assert found == {"condition_statements.2": ("error", "条件2的说明共501字，超过500字的限制")}
