"""The record format is generated from collector/record/fields.py and the year's rules; the committed
docs/record.schema.json and the table in docs/data-format.md stay in step (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from collector.record import fields as fl
from collector.record.schema import TABLE_END, TABLE_START, data_format_table, record_schema, schema_text

DOCS = Path(__file__).resolve().parents[2] / "docs"
HINT = "regenerate: collector schema > docs/record.schema.json (and --markdown for the table)"


def test_committed_schema_is_what_collector_schema_prints(cli):
    r = cli("schema")
    assert r.code == 0
    assert json.loads(r.out) == record_schema()
    assert (DOCS / "record.schema.json").read_text(encoding="utf-8") == schema_text(), HINT


def test_data_format_table_is_in_step_with_the_fields():
    text = (DOCS / "data-format.md").read_text(encoding="utf-8")
    committed = text[text.index(TABLE_START):text.index(TABLE_END) + len(TABLE_END)] + "\n"
    assert committed == data_format_table(), HINT


def test_schema_and_table_name_every_field_and_child():
    schema = record_schema()
    table = data_format_table()
    for f in fl.FIELDS:
        assert f.key in schema["properties"]
        assert f"| `{f.key}` | {f.label} |" in table
        for c in f.children:
            inner = schema["properties"][f.key]
            inner = inner["items"] if f.kind == fl.TABLE else inner
            assert c.key in inner["properties"]


def test_schema_carries_the_years_lists_and_limits():
    props = record_schema()["properties"]
    assert props["gender"]["enum"] == ["男", "女", ""]
    assert props["name"]["x-limit"] == {"max": 30, "severity": "error"}
    assert props["employer"]["x-limit"]["severity"] == "warning"
    assert props["conditions"]["items"]["enum"] == [1, 2, 3, 4]
    assert props["name"]["x-required"] == "error"
    assert "至今" in json.dumps(props["work_history"]["items"]["properties"]["end"],
                                ensure_ascii=False)
