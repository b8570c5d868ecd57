"""The office's export disc: its package, the printed forms and the summary table laid out by
``collector.disc`` as a folder and, when asked, an ISO image; both verified before returning."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .. import disc
from ..disc.names import fit_name  # the name the first package got on the disc
from ..common.errors import UsageError
from ..printing import print_all, safe_file_name, summary_xlsx
from ..printing.batch import SUMMARY_XLSX as PRINT_SUMMARY_XLSX
from ..rpu.keys import Identity, PublicKey
from ..rules.findings import WARNING, Finding
from ..storage.store import Store
from .decisions import selected_ids
from .package import pack_office, report_info
from .profile import load_profile

Progress = Callable[[int, int, str], None]


@dataclass
class DiscResult:
    folder: Path
    iso: Path | None
    files: int
    iso_size: int = 0
    warnings: list[Finding] = field(default_factory=list)
    package: Path | None = None


def package_file_name(unit: str, day: dt.date) -> str:
    return f"{safe_file_name(unit or '报送', 30)}_{day:%Y%m%d}.rpu"


def make_disc(store: Store, out: str | os.PathLike, *, identity: Identity,
              iso: str | os.PathLike | None = None, medium: str = "cd",
              rpu_files: Sequence[str | os.PathLike] = (),
              recipients: Sequence[PublicKey] | None = None, today: dt.date | None = None,
              capacity: int | None = None, progress: Progress | None = None) -> DiscResult:
    """Build the disc folder at ``out`` (and ``iso``): the office package is packed now unless
    ``rpu_files`` are given. Any refusal (quota, size, bad input) leaves nothing written."""
    day = today or dt.date.today()
    profile = load_profile(store)
    info = report_info(store, profile)
    label = disc.DiscLabel(profile.display_unit, day, profile.channel_code())
    ids = selected_ids(store)
    step = progress or (lambda *_: None)
    out, iso_path = Path(out), Path(iso) if iso else None
    disc.check_target(out)
    warnings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="collector-disc-") as tmp:
        files = [Path(p) for p in rpu_files]
        for p in files:
            if p.suffix.lower() != ".rpu" or not p.is_file():
                raise UsageError(f"{p} 不是 .rpu 报送文件")
        package = None
        if not files:
            step(0, 4, "生成上报包")
            package = Path(tmp) / package_file_name(profile.display_unit, day)
            result = pack_office(store, package, identity=identity, recipients=recipients,
                                 today=today)
            # The office's preflight and the packer both check the deadline: say it once.
            warnings = _once(result.warnings + list(result.pack.warnings))
            files = [package]
        step(1, 4, "打印登记表、汇总表、推荐报告")
        xlsx = summary_xlsx([store.get(cid).data for cid in ids], Path(tmp) / "summary.xlsx",
                            info, signer_fingerprint=identity.fingerprint).path

        def fill_print(folder: Path) -> None:
            printed = print_all(store, ids or None, folder, info,
                                signer_fingerprint=identity.fingerprint)
            (folder / PRINT_SUMMARY_XLSX).unlink(missing_ok=True)  # it sits at the root
            # What the printing noticed (公示 not ticked, a missing contact…) is said, once.
            said = {w.message for w in warnings}
            for text in dict.fromkeys(w for r in printed for w in r.warnings):
                if text not in said:
                    warnings.append(Finding("PRINT", WARNING, "", text))

        step(2, 4, "写入光盘文件夹")
        folder = disc.build_folder(out, rpu_files=files, label=label, fill_print=fill_print,
                                   summary_xlsx=xlsx, medium=medium, capacity=capacity)
    iso_size = 0
    try:
        if iso_path:
            step(3, 4, "制作光盘映像")
            disc.make_iso(folder, iso_path, label=label, medium=medium, capacity=capacity)
            report = disc.verify(iso_path)
            if not report.ok:
                raise disc.DiscError(report.message())
            iso_size = iso_path.stat().st_size
    except BaseException:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)  # nothing half-way: no folder without its image
        raise
    step(4, 4, "完成")
    # The files MANIFEST.sha256 lists, as ``disc verify`` counts them.
    count = sum(1 for _ in disc._relative_files(folder))
    return DiscResult(folder, iso_path, count, iso_size, warnings,
                      folder / disc.RPU_DIR / fit_name(files[0].name, set()) if files else None)


def _once(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.field, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
