"""benchmarks/run_all.py collects RESULT lines from each script into a Markdown table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_results_become_rows_and_quick_is_passed_only_where_supported(tmp_path):
    run_all = load("run_all")
    quick = tmp_path / "fast.py"
    quick.write_text('import sys\nq = "--quick" in sys.argv\n'
                     'print("human line")\n'
                     'print(f"RESULT fast_thing {0.5 if q else 0.9} s 1.0 PASS")\n'
                     'print("YARDSTICK fast_thing 1 × `dd if=A of=B` (0.50 s) | piped")\n'
                     'print("LOAD fast_thing 0.10 0.20 0.30; others 0.05 cores")\n'
                     'print("YARDSTICK not_this_row beside nothing")\n'
                     'print("RESULT fast_other 3 ms 2 FAIL")\n', encoding="utf-8")
    plain = tmp_path / "plain.py"
    plain.write_text('import sys\nassert len(sys.argv) == 1, "got --quick"\n'
                     'print("RESULT plain_x 1 s 2 PASS")\n')
    failing = tmp_path / "failing.py"
    failing.write_text('print("RESULT slow_x 9 s 2 FAIL")\nraise SystemExit(1)\n')
    crashed = tmp_path / "crashed.py"
    crashed.write_text('print("RESULT part_x 1 s 2 PASS")\nraise SystemExit("boom")\n')
    broken = tmp_path / "broken.py"
    broken.write_text('raise SystemExit("no data")\n')

    rows, _, _ = run_all.run_script(quick, quick=True, timeout=60)
    assert [(r.name, r.value, r.verdict) for r in rows] == [
        ("fast_thing", "0.5", "PASS"), ("fast_other", "3", "FAIL")]
    assert rows[0].yardstick == "1 × `dd if=A of=B` (0.50 s) | piped"
    assert rows[0].load == "0.10 0.20 0.30; others 0.05 cores"
    assert (rows[1].yardstick, rows[1].load) == ("", "")
    rows, _, _ = run_all.run_script(plain, quick=True, timeout=60)
    assert [(r.name, r.verdict) for r in rows] == [("plain_x", "PASS")]
    rows, _, _ = run_all.run_script(failing, quick=False, timeout=60)
    assert [(r.name, r.verdict) for r in rows] == [("slow_x", "FAIL")]
    rows, _, _ = run_all.run_script(crashed, quick=False, timeout=60)
    assert [r.verdict for r in rows] == ["PASS", "ERROR"] and "boom" in rows[1].name
    rows, _, _ = run_all.run_script(broken, quick=False, timeout=60)
    assert rows[0].verdict == "ERROR" and "no data" in rows[0].name

    text = run_all.table([*run_all.run_script(quick, True, 60)[0]], quick=True)
    assert ("| fast | fast_thing | 0.5 s | ≤ 1.0 s | 1 × `dd if=A of=B` (0.50 s) \\| piped "
            "| 0.10 0.20 0.30; others 0.05 cores | ✅ PASS |") in text
    assert "| fast | fast_other | 3 ms | ≤ 2 ms | — | — | ❌ FAIL |" in text
    assert "❌ FAIL" in text
    assert f"Python: {sys.version_info.major}.{sys.version_info.minor}" in text
    assert "CPU:" in text and "RAM:" in text


def test_validate_benchmark_prints_its_budget_lines():
    import subprocess

    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "validate.py"), "--count",
                           "300", "--runs", "1"], capture_output=True, text=True, timeout=120,
                           encoding="utf-8", errors="replace")
    assert proc.returncode == 0, proc.stderr
    lines = [ln.split() for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert [ln[1] for ln in lines] == ["validate_10k"]  # the budget DESIGN §10 sets
    for ln in lines:
        assert ln[3] == "s" and ln[4] == "2.0" and ln[5] in ("PASS", "FAIL")
        assert float(ln[2]) > 0
    # reading raw JSON in is shown for comparison, without a budget of its own
    info = [ln.split() for ln in proc.stdout.splitlines() if ln.startswith("INFO ")]
    assert [ln[1] for ln in info] == ["normalize_validate_10k"] and float(info[0][2]) > 0
