"""``--selftest``: run the demo pipeline headless in a temp folder and check what it produced.

Used by ``collector --selftest`` and the frozen app, so an office can see in one command that an
installation works (resources found, fonts embedded, crypto and SQLite usable). It checks the
outputs that exist: every database passes ``PRAGMA integrity_check``, every ``.rpu`` verifies,
every printed PDF starts with ``%PDF`` and embeds its font, every XLSX is a ZIP, every ISO
has a volume descriptor; a backup of a demo database verifies and restores.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ..common.paths import sqlite_uri

DEMO_COUNT = 3


def run_selftest(*, keep: bool = False, out=None) -> int:
    """0 when every check passes, 1 otherwise; prints one line per check in Chinese."""
    out = out or sys.stdout
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="collector-selftest-"))
    log = io.StringIO()
    failures = 0

    def report(ok: bool, text: str) -> None:
        nonlocal failures
        failures += not ok
        print(f"{'✔' if ok else '✘'} {text}", file=out, flush=True)

    try:
        from .. import __version__
        from ..common.paths import resources_dir

        print(f"人才信息采集 {__version__} 自检（{root}）", file=out, flush=True)
        report((resources_dir() / "rules").is_dir(), f"资源文件夹 {resources_dir()}")
        env = {"COLLECTOR_PASSPHRASE": os.environ.get("COLLECTOR_PASSPHRASE", "demo-passphrase")}
        with _environ(env), contextlib.redirect_stdout(log):
            from .pipeline import run_demo

            code = run_demo(root / "demo", count=DEMO_COUNT)
        report(code == 0, f"演示全流程（{DEMO_COUNT} 名虚构申报人）")
        for check in CHECKS:
            try:
                for ok, text in check(root):
                    report(ok, text)
            except Exception as err:  # one broken check must not hide the others
                report(False, f"{check.__name__} 出错：{type(err).__name__}: {err}")
    except Exception as err:  # the self-test reports, it never shows a traceback to a user
        report(False, f"演示全流程出错：{type(err).__name__}: {err}")
        if os.environ.get("COLLECTOR_DEBUG"):
            traceback.print_exc()
    finally:
        if failures:
            print("—— 演示输出 ——", file=out)
            print(log.getvalue().rstrip(), file=out)
        if keep or failures:
            print(f"自检文件保留在 {root}", file=out)
        else:
            shutil.rmtree(root, ignore_errors=True)
    seconds = time.monotonic() - started
    if failures:
        print(f"自检失败：{failures} 项未通过（{seconds:.1f} 秒）", file=out)
        return 1
    print(f"自检通过（{seconds:.1f} 秒）", file=out)
    return 0


@contextlib.contextmanager
def _environ(values: dict[str, str]):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# -- checks: each yields (ok, text) for the outputs it finds -----------------------------------
def check_databases(root: Path):
    dbs = sorted(root.rglob("*.db"))
    yield bool(dbs), f"数据库 {len(dbs)} 个"
    for db in dbs:
        try:
            conn = sqlite3.connect(sqlite_uri(db), uri=True)
            try:
                result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.DatabaseError as err:
            result = str(err)
        yield result == "ok", f"数据库完整性 {db.relative_to(root)}：{result}"


def check_rpu(root: Path):
    """Every package opens (decrypts, signature and hashes check) with one of the demo's
    identities; the demo's deliberately altered copies (``tampered*.rpu``) must be refused."""
    files = sorted(root.rglob("*.rpu"))
    if not files:
        return
    from ..common.errors import CollectorError
    from ..rpu import open_package

    identities = list(_demo_identities(root))
    yield bool(identities), f"演示密钥 {len(identities)} 把"
    for path in files:
        opened, last_error = False, "没有可用的密钥"
        for identity in identities:
            try:
                open_package(path, identity)
            except CollectorError as err:
                last_error = str(err)
            else:
                opened = True
                break
        name = path.relative_to(root)
        if path.stem.startswith("tampered"):
            yield not opened, f".rpu 篡改副本被拒绝 {name}"
        else:
            yield opened, f".rpu 校验 {name}" + ("" if opened else f"：{last_error}")


def _demo_identities(root: Path):
    from .pipeline import DemoContext
    from ..exchange.keyring import load_identity
    from ..exchange.keyring import has_identity
    from ..storage.store import Store

    passphrase = DemoContext(root=root, count=0).passphrase
    for db in sorted(root.rglob("*.db")):
        with Store(db, create=False) as store:
            if has_identity(store):
                yield load_identity(store, passphrase)


def check_pdfs(root: Path):
    # The demo's "evidence" folder holds invented scan files; only printed PDFs are checked.
    files = [p for p in sorted(root.rglob("*.pdf")) if "evidence" not in p.relative_to(root).parts]
    for path in files:
        data = path.read_bytes()
        # The CJK font must travel inside the PDF, or another PC prints boxes.
        ok = data.startswith(b"%PDF-") and len(data) > 500 and b"/FontFile" in data
        yield ok, f"PDF {path.relative_to(root)}" + ("" if ok else "：不是有效 PDF 或未嵌入字体")


def check_parallel_print(root: Path):
    """Two forms printed by two helper processes: in the frozen app these start the bundle's
    executable again (multiprocessing.freeze_support in packaging/entry.py)."""
    from ..printing.batch import run_jobs
    from ..printing.registration import registration_pdf
    from ..record.sample import make_candidate

    out = root / "parallel"
    results = run_jobs([(registration_pdf, (make_candidate(i), out / f"{i}.pdf"), {})
                        for i in range(2)], workers=2, parallel_from=2)
    ok = [r.path for r in results] == [out / "0.pdf", out / "1.pdf"] and all(
        r.path.read_bytes().startswith(b"%PDF-") for r in results)
    yield ok, "多进程打印登记表（2 个打印进程）" + ("" if ok else "：输出不完整")


def check_xlsx(root: Path):
    for path in sorted(root.rglob("*.xlsx")):
        with open(path, "rb") as fh:
            yield fh.read(2) == b"PK", f"XLSX {path.relative_to(root)}"


def check_iso(root: Path):
    for path in sorted(root.rglob("*.iso")):
        with open(path, "rb") as fh:
            fh.seek(16 * 2048 + 1)
            yield fh.read(5) == b"CD001", f"ISO {path.relative_to(root)}"


def check_backup(root: Path):
    """Back up the first database with candidates (signed with its key), verify the ZIP,
    restore it elsewhere: the signature checks with the passphrase."""
    from ..storage.backup import backup_database, restore_database, verify_backup
    from .pipeline import DemoContext

    source = next((db for db in sorted(root.rglob("*.db")) if _count(db)), None)
    if source is None:
        return

    def ask() -> str:
        return DemoContext(root=root, count=0).passphrase

    out = root / "selftest-backup.zip"
    summary = backup_database(source, out, passphrase=ask)
    manifest = verify_backup(out)
    target = root / "restored" / "collector.db"
    result = restore_database(out, target, ask=ask)
    ok = _count(target) == summary.candidates == manifest["candidates"] == result.candidates > 0
    ok = ok and result.proof.verified == bool(summary.signer)
    yield ok, f"备份与恢复 {source.relative_to(root)}（{summary.candidates} 名，{summary.files} 个附件）"


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(sqlite_uri(db), uri=True)
        try:
            return conn.execute("SELECT count(*) FROM candidates").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return 0


CHECKS = (check_databases, check_rpu, check_pdfs, check_parallel_print, check_xlsx, check_iso,
          check_backup)
