"""``collector verify`` loads what checking a package needs, not the packer, the importer or the
writer (issue 28: `collector.exchange` used to import them all, a third of a second of every
verify); and ``collector.rpu``'s names still reach their modules."""

from __future__ import annotations

import os
import subprocess
import sys

from collector import rpu

from .conftest import PASS

NOT_FOR_VERIFY = ("collector.rpu.writer", "collector.rpu.writeback", "collector.exchange.packing",
                  "collector.exchange.importer", "collector.exchange.staging",
                  "collector.exchange.intake", "collector.storage.attachments",
                  "collector.record.record_notes", "collector.rules", "collector.office",
                  "reportlab", "openpyxl", "pycdlib", "sqlite_utils")


def test_verify_imports_no_packer_importer_or_writer(office, package):
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "collector", "--db",
                          str(office.path), "verify", str(package)],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "COLLECTOR_PASSPHRASE": PASS})
    assert res.returncode == 0 and res.stdout.startswith("OK"), res.stderr[-800:]
    modules = {line.rsplit("|", 1)[1].strip() for line in res.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    assert "collector.rpu.reader" in modules and "collector.exchange.keyring" in modules
    loaded = sorted(m for m in modules for n in NOT_FOR_VERIFY if m == n or m.startswith(n + "."))
    assert not loaded, f"collector verify imported {loaded}"


def test_every_name_of_the_rpu_package_resolves():
    for name in rpu.__all__:
        value = getattr(rpu, name)
        assert getattr(value, "__module__", rpu.__name__).startswith("collector.rpu"), name
    assert set(rpu.__all__) == set(rpu._MODULE_OF)
