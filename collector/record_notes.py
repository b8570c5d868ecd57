"""What a save should tell the user (issue 24): a packed record changed since its ``.rpu`` was
sent, and a record that looks like another person already stored (a typo in the ID number makes
a second person). The CLI prints these notes, the desktop program shows them; both call here."""

from __future__ import annotations

from .store import DRAFT, PACKED, Store


def outdated_note(name: str) -> str:
    """The note for a packed record that changed: ``Store`` has turned it back into a draft."""
    return (f"{name or '（未填姓名）'}：记录在生成报送后被修改，已报送的 .rpu 已过时，状态改回草稿；"
            "请重新生成报送并重新打印登记表")


def lookalike_notes(store: Store, data: dict, exclude_id: str | None = None) -> list[str]:
    """Warnings for stored records (other than ``exclude_id``) with the same name and birth date,
    or the same mobile, but another ID number. Office phones are shared by a unit: not compared."""
    name, birth = data.get("name") or "", data.get("birth_date") or ""
    mobile = (data.get("contact") or {}).get("mobile") or ""
    if not (name and birth) and not mobile:
        return []
    rows = store.db.execute(
        "SELECT id, name, id_number, json_extract(data, '$.birth_date'), "
        "json_extract(data, '$.contact.mobile') FROM candidates WHERE id != ? AND ("
        "(name = ? AND json_extract(data, '$.birth_date') = ?) "
        "OR (? != '' AND json_extract(data, '$.contact.mobile') = ?)) ORDER BY created_at, rowid",
        [exclude_id or "", name, birth, mobile, mobile]).fetchall()
    notes = []
    number_given = data.get("id_number") or ""
    who = f"{name or '（未填姓名）'}{f'（{number_given}）' if number_given else ''}"
    for cid, other, number, other_birth, other_mobile in rows:
        if number and number == data.get("id_number"):
            continue  # the same person: import-json updates it, the inbox reports DUPLICATE
        same = "姓名和出生日期" if (other, other_birth) == (name, birth) and name and birth else ""
        if mobile and other_mobile == mobile:
            same = f"{same}、手机号" if same else "手机号"
        notes.append(f"可能重复：{who}与已有记录 {other or '（未填姓名）'}（{number or '未填身份证号'}，"
                     f"编号 {cid[:8]}）的{same}相同，请核对身份证号，确为同一人时删除多余的一条")
    return notes


def notes_after_save(store: Store, candidate_id: str, status_before: str | None,
                     *, check_lookalikes: bool = True) -> list[str]:
    """The notes one save produced: outdated package first, then look-alikes."""
    stored = store.get(candidate_id)
    notes = []
    if status_before == PACKED and stored.status == DRAFT:
        notes.append(outdated_note(stored.name))
    if check_lookalikes:
        notes.extend(lookalike_notes(store, stored.data, candidate_id))
    return notes


def status_of(store: Store, candidate_id: str | None) -> str | None:
    """The stored status before a save (None for a record not stored yet)."""
    if not candidate_id:
        return None
    row = store.db.execute("SELECT status FROM candidates WHERE id=?", [candidate_id]).fetchone()
    return row[0] if row else None
