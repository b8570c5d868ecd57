"""An applicant's window starts without the offices' and the region's code (issue 13): their
pages, printing (reportlab, openpyxl), ISO (pycdlib) and review modules load only for those roles;
nor does it load the keys, the .rpu format or the exchange layer (cryptography), the pack wizard
or the settings dialog, which load when first used (issue 28: app start ≤ 0.7 s)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("reportlab", "openpyxl", "pycdlib", "sqlite_utils", "ui.office", "ui.review",
         "collector.printing", "collector.review", "cryptography", "collector.rpu",
         "collector.exchange", "collector.disc", "ui.dialogs")


def test_an_applicant_window_imports_no_office_code(tmp_path):
    db = tmp_path / "empty.db"
    subprocess.run([sys.executable, "-m", "collector", "--db", str(db), "init"], check=True,
                   capture_output=True, timeout=120)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COLLECTOR_NO_FIRST_RUN="1")
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui", "--db", str(db),
                          "--quit-after", "0"], capture_output=True, text=True, timeout=120,
                         env=env)
    assert res.returncode == 0, res.stderr[-800:]
    modules = {line.rsplit("|", 1)[1].strip() for line in res.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    assert "ui.main_window" in modules
    loaded = sorted(m for m in modules for h in HEAVY if m == h or m.startswith(h + "."))
    assert not loaded, f"an applicant's start imported {loaded}"
