"""``collector --selftest`` runs the demo headless and checks its outputs."""

from __future__ import annotations

import io
from pathlib import Path

from collector.demo import pipeline as demo, selftest


def test_selftest_passes_on_a_working_installation(cli):
    r = cli("--selftest")
    assert r.code == 0, r.out + r.err
    assert "自检通过" in r.out
    assert "✘" not in r.out


def test_selftest_fails_when_an_output_is_broken(monkeypatch):
    def broken_pdf(ctx):
        (ctx.root / "broken.pdf").write_bytes(b"not a pdf at all")

    monkeypatch.setattr(demo, "STEPS", [*demo.STEPS[:2], ("坏的 PDF", broken_pdf)])
    out = io.StringIO()
    assert selftest.run_selftest(out=out) == 1
    text = out.getvalue()
    assert f"✘ PDF {Path('demo', 'broken.pdf')}" in text and "自检失败" in text  # \ on Windows


def test_selftest_reports_a_crashing_step_without_traceback(monkeypatch):
    def crash(ctx):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(demo, "STEPS", [*demo.STEPS[:2], ("崩溃", crash)])
    out = io.StringIO()
    assert selftest.run_selftest(out=out) == 1
    assert "磁盘已满" in out.getvalue() and "Traceback" not in out.getvalue()
