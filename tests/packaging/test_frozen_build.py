"""The Linux bundle builds with build_installer.spec and passes its own --selftest (slow)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle only"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(["bash", str(ROOT / "packaging" / "linux_tarball.sh"), "--no-selftest", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> Path:
    """The tarball unpacked elsewhere, as a user would: the tests run the app from there."""
    (tarball,) = bundle.glob("TalentCollector-*-linux-*.tar.gz")
    dest = tmp_path_factory.mktemp("installed")
    with tarfile.open(tarball) as tf:
        if hasattr(tarfile, "tar_filter"):  # Python ≥ 3.11.4
            tf.extractall(dest, filter="tar")
        else:
            tf.extractall(dest)
    (top,) = dest.iterdir()
    return top


def run(exe: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COLLECTOR"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300,
                          env=env, cwd=exe.parent.parent)


def test_both_executables_answer_version(installed):
    from collector import __version__

    r = run(installed / "collector", "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"collector {__version__}"
    r = run(installed / "TalentCollector", "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"TalentCollector {__version__}"


def test_frozen_cli_selftest_runs_the_whole_demo(installed):
    r = run(installed / "collector", "--selftest")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "自检通过" in r.stdout and "✘" not in r.stdout
    # The bundled resources were used, not the source tree's.
    assert f"{installed}/_internal/resources" in r.stdout
    if importlib.util.find_spec("collector.rpu"):
        assert ".rpu 校验" in r.stdout
    if importlib.util.find_spec("collector.printing"):
        assert "✔ PDF" in r.stdout
    assert "✔ 备份与恢复" in r.stdout


def test_frozen_gui_selftest_also_opens_the_window(installed):
    r = run(installed / "TalentCollector", "--selftest")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "自检通过" in r.stdout
    if (ROOT / "ui" / "app.py").exists():
        assert "✔ 桌面界面启动并关闭" in r.stdout


def test_frozen_cli_does_real_work_and_reports_errors_in_chinese(installed, tmp_path):
    exe = installed / "collector"
    db = tmp_path / "c.db"
    assert run(exe, "--db", str(db), "init").returncode == 0
    r = run(exe, "--db", str(db), "import-json", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and r.stderr.startswith("错误：") and "Traceback" not in r.stderr
    r = run(exe, "--db", str(db), "backup", "--out", str(tmp_path / "b.zip"))
    assert r.returncode == 0, r.stderr


def test_bundle_leaves_out_unused_qt_modules_and_ships_resources(installed):
    internal = installed / "_internal"
    assert (internal / "resources" / "rules" / "2017.toml").is_file()
    assert any((internal / "resources" / "fonts").iterdir())
    names = {p.name for p in internal.rglob("*")}
    for unused in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia",
                   "QtNetwork"):
        assert not any(n.startswith(unused + ".") for n in names), unused
        assert f"libQt6{unused[2:]}.so.6" not in names or unused == "QtNetwork", unused


def test_tarball_holds_the_bundle(bundle):
    from collector import __version__

    tarballs = list(bundle.glob(f"TalentCollector-{__version__}-linux-*.tar.gz"))
    assert len(tarballs) == 1
    with tarfile.open(tarballs[0]) as tf:
        names = tf.getnames()
    top = tarballs[0].name[:-len(".tar.gz")]
    for member in ("collector", "TalentCollector", "README.txt", "_internal/resources/rules/2017.toml"):
        assert f"{top}/{member}" in names
