"""The office's own package (生成报送 upward): report data, the summary table, the selected
candidates with the office's decisions and opinions, and the received packages nested unchanged;
signed by this installation and encrypted to the level above (DESIGN §2, §6)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..common.errors import CollectorError, InputError
from ..printing import SETTING_KEY as REPORT_KEY
from ..printing import ReportInfo, safe_file_name, summary_xlsx
from ..rpu.keys import Identity, PublicKey
from ..exchange.packing import ROLES, PackResult, pack
from ..rpu.writer import Part
from ..rules import validate
from ..rules.findings import ERROR, Finding
from ..rules.office import check_deadline
from ..storage.store import Store
from ..record.year import load_year
from .decisions import all_decisions, selected_ids
from .duplicates import preflight_warnings
from .pack_confirm import require_confirmed
from .inbox import DECISIONS_DOC, REPORT_DOC, SOURCES_DOC, InboxEntry, packages_for
from .profile import OFFICE, Profile, load_profile
from .register import REGISTER_DOC
from .register import carried as carried_register
from .quota import quota_view

SUMMARY_DOC = "documents/推荐人选情况汇总表.xlsx"


class OfficePackRefused(CollectorError):
    """QUOTA or DUPLICATE errors, or nothing chosen: the office package is not written."""

    def __init__(self, findings: list[Finding], message: str):
        self.findings = findings
        super().__init__(message)


@dataclass
class OfficePackResult:
    pack: PackResult
    nested: list[str]
    warnings: list[Finding] = field(default_factory=list)


NO_CHANNEL = ("本机角色是盟市/厅局，但设置中没有选择推荐渠道，上报包无法注明报送方是盟市还是厅局；"
              "请在“设置 → 推荐渠道”中选择本机所属的盟市或区直单位（或 collector role --channel 名称）")


def sender_role(profile: Profile) -> str:
    """The role written into the manifest (the .rpu helper's vocabulary): an office is 盟市 or
    厅局 by its channel kind, never guessed."""
    role = profile.level_label()
    if role not in ROLES:
        raise InputError(NO_CHANNEL, field="channel.kind")
    return role


def report_info(store: Store, profile: Profile) -> ReportInfo:
    info = ReportInfo.from_dict(store.get_setting(REPORT_KEY))
    fallback = ReportInfo(unit=profile.display_unit,
                          channel=" · ".join(v for v in (profile.channel.get("kind"),
                                                         profile.channel.get("name")) if v))
    return info.merged(fallback)


def preflight(store: Store, profile: Profile | None = None,
              today: dt.date | None = None) -> tuple[list[str], list[Finding], list[Finding]]:
    """What would be packed: (ids, blocking findings, warnings). Nothing is written."""
    profile = profile or load_profile(store)
    year = load_year()
    ids = selected_ids(store)
    blocking = list(quota_view(store, profile, year).findings)
    if profile.role == OFFICE and profile.level_label(year) not in ROLES:
        blocking.append(Finding("CHANNEL", ERROR, "channel.kind", NO_CHANNEL))
    # A chosen candidate's own errors (a non-public unit's candidate sent through a 区直单位,
    # say) would stop the package later, in ``pack``; named here, 审核与名额 shows them first.
    for cid in ids:
        record = store.get(cid).data
        blocking += [Finding(f.rule, ERROR, f.field, f"{record.get('name') or cid[:8]}：{f.message}")
                     for f in validate(record, today=today) if f.is_error]
    blocking += export_holds(store, ids)
    warnings = check_deadline(year, today)
    return ids, [f for f in blocking if f.is_error], warnings


def export_holds(store: Store, ids: list[str]) -> list[Finding]:
    """What stops every export path (pack-office, disc, the GUI's 上报与光盘, the region's
    package to the ministry): a chosen candidate that is held (a 推荐 given before the hold
    does not walk around it), and an open duplicate: whichever copy goes up must be decided
    first (an older genuine copy that arrived first would otherwise go up as the current one)."""
    from ..exchange.admission import HOW_TO_ACCEPT, hold_reason

    out = []
    for cid in ids:
        cand = store.get(cid)
        reason = hold_reason(store, cand)
        if reason:
            out.append(Finding("HOLD", ERROR, "provenance",
                               f"{cand.name}（{cand.data.get('id_number', '')}）暂扣待定：{reason}。"
                               f"{HOW_TO_ACCEPT}"))
    out += [Finding("DUPLICATE", ERROR, "id_number",
                    f"{f.message}；请先处理重复报送（保留原记录或以此份替换）再上报")
            for f in preflight_warnings(store)]
    return out


def pack_office(store: Store, out_path: str | os.PathLike, *, identity: Identity,
                recipients: Sequence[PublicKey] | None = None, today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> OfficePackResult:
    profile = load_profile(store)
    if not profile.is_office:
        raise InputError("当前角色是“个人”，请在设置中把角色改为单位、盟市/厅局或自治区后再生成上报包",
                         field="role")
    ids, blocking, warnings = preflight(store, profile, today)
    if not ids:
        raise OfficePackRefused([], "还没有标记为“推荐”的候选人，请先在审核中标记（collector decide）")
    if blocking:
        raise OfficePackRefused(blocking, "；".join(f"{f.rule}：{f.message}" for f in blocking)
                                + "。上报包未生成")
    require_confirmed(store, ids, profile)  # out-of-channel or 不一致 paper: a reason first
    if recipients is None:
        from .year_config import recipients_for

        recipients = recipients_for(store)
    recipients = list(recipients)
    return write_level_package(store, ids, out_path, identity=identity, recipients=recipients,
                               profile=profile, warnings=warnings, today=today,
                               progress=progress, cancel=cancel)


def write_level_package(store: Store, ids: list[str], out_path: str | os.PathLike, *,
                        identity: Identity, recipients: Sequence[PublicKey], profile: Profile,
                        warnings: list[Finding], documents: Sequence[tuple[str, bytes]] = (),
                        today: dt.date | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        cancel: Callable[[], bool] | None = None) -> OfficePackResult:
    """What every level above the applicant sends: the report data, its decisions, the summary
    table, the chosen candidates, extra ``documents`` (name, bytes), and the received packages
    of those candidates nested byte for byte."""
    info = report_info(store, profile)
    records = [store.get(cid).data for cid in ids]
    decisions = all_decisions(store)
    nested = packages_for(store, ids)
    with tempfile.TemporaryDirectory(prefix="collector-office-") as tmp:
        xlsx = summary_xlsx(records, Path(tmp) / "summary.xlsx", info,
                            signer_fingerprint=identity.fingerprint).path
        decided = {rec["id_number"]: {
            "name": rec["name"], **decisions[cid].to_json(),
            "level": profile.level_label(), "unit": profile.display_unit}
            for cid, rec in zip(ids, records)}
        names = [f"packages/{n:03d}-{safe_file_name(Path(entry.file_name).stem, 40)}.rpu"
                 for n, entry in enumerate(nested, start=1)]
        parts = [
            Part.from_bytes(REPORT_DOC, "document", _json(info.to_dict())),
            Part.from_bytes(DECISIONS_DOC, "document", _json(decided)),
            Part.from_bytes(SOURCES_DOC, "document",
                            _json(_sources(store, ids, records, nested, names))),
            *(Part.from_bytes(name, "document", data) for name, data in documents),
            # The units this level registered on paper: how the level above tells them from
            # keys minted in between (register.py).
            *([Part.from_bytes(REGISTER_DOC, "document", _json(registered))]
              if (registered := carried_register(store)) else []),
            Part.from_file(SUMMARY_DOC, "document", xlsx),
        ]
        for name, entry in zip(names, nested):
            parts.append(Part.from_file(name, "package", store.file_path(entry.sha256),
                                        sha256=entry.sha256))
        result = pack(store, ids, out_path, identity=identity, recipients=recipients,
                      extra_parts=parts, role=sender_role(profile), unit=profile.display_unit,
                      progress=progress, cancel=cancel, today=today)
    return OfficePackResult(result, [e.file_name for e in nested], warnings)


def _sources(store: Store, ids: list[str], records: list[dict], nested: list[InboxEntry],
             names: list[str]) -> dict:
    """ID number -> the nested package the candidate's record was taken from (its recorded
    source, which 以此份替换 updates), or ``package: None`` for a record entered here."""
    out = {}
    for cid, rec in zip(ids, records):
        sha = (store.get(cid).source or {}).get("package_sha256")
        at = next((i for i, e in enumerate(nested) if sha and e.sha256 == sha), None)
        if at is None:  # an older record without the package's hash: the inbox's note
            at = next((i for i, e in enumerate(nested)
                       if cid in {c["id"] for c in e.candidates}), None)
        out[rec["id_number"]] = ({"package": None} if at is None else
                                 {"package": names[at], "sha256": nested[at].sha256,
                                  "file": nested[at].file_name})
        out[rec["id_number"]].update(carried(store, cid))
    return out


def carried(store: Store, cid: str) -> dict:
    """What this level says upward about a candidate's provenance and its paper check: claims
    the level above shows, never takes as its own checks (it re-checks what it can open)."""
    from .paper import paper_of
    from ..exchange.provenance import of

    prov = of(store.get(cid))
    out = {"provenance": prov.klass, "applicant_key": prov.applicant_key,
           "applicant_record": prov.record}
    if prov.accepted:
        out["accepted"] = prov.accepted
    got = paper_of(store, cid)
    if got:
        out["paper"] = {k: got[k] for k in ("status", "label", "at")}
    return out


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
