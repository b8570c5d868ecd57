"""What a save should tell the user (issue 24): a packed record changed since its ``.rpu`` was
sent, and a record that looks like another person already stored (a typo in the ID number makes
a second person). The CLI prints these notes, the desktop program shows them; both call here."""

from __future__ import annotations

from ..storage.store import DRAFT, PACKED, Store


def outdated_note(name: str) -> str:
    """The note for a packed record that changed: ``Store`` has turned it back into a draft."""
    return (f"{name or '（未填姓名）'}：记录在生成报送后被修改，已报送的 .rpu 已过时，状态改回草稿；"
            "请重新生成报送并重新打印登记表")


def lookalike_notes(store: Store, data: dict, exclude_id: str | None = None) -> list[str]:
    """Warnings for stored records (other than ``exclude_id``) with the same name and birth date,
    or the same mobile, but another ID number. Office phones are shared by a unit: not compared.
    Queries for a single save (the form); an import of many records uses ``Lookalikes``."""
    name, birth, mobile = lookalike_keys(data)
    rows = []
    if name and birth:  # the name is indexed: cheap however big the store
        rows += [r for r in store.db.execute(
            f"SELECT {_COLUMNS} FROM candidates WHERE name = ? AND id != ? "
            "ORDER BY created_at, rowid", [name, exclude_id or ""]) if r[3] == birth]
    if mobile:  # instr() first: json_extract on every row would cost far more
        rows += store.db.execute(
            f"SELECT {_COLUMNS} FROM candidates WHERE id != ? AND instr(data, ?) > 0 "
            "AND json_extract(data, '$.contact.mobile') = ? ORDER BY created_at, rowid",
            [exclude_id or "", f'"{mobile}"', mobile]).fetchall()
    return [_note(data, row) for row in dict.fromkeys(map(tuple, rows)) if _differs(data, row)]


class Lookalikes:
    """The same check for a batch: the stored records are read once, then each record saved is
    compared with them and with the ones saved before it (an import of thousands stays linear)."""

    def __init__(self, store: Store):
        self._by_person: dict[tuple[str, str], list[tuple]] = {}
        self._by_mobile: dict[str, list[tuple]] = {}
        for row in store.db.execute(f"SELECT {_COLUMNS} FROM candidates ORDER BY created_at, rowid"):
            self._add(tuple(row))

    def notes(self, candidate_id: str, data: dict) -> list[str]:
        """The warnings for ``data`` (saved as ``candidate_id``), which then joins the index."""
        name, birth, mobile = lookalike_keys(data)
        found = (self._by_person.get((name, birth), []) if name and birth else []) + \
            (self._by_mobile.get(mobile, []) if mobile else [])
        rows = [r for r in dict.fromkeys(found) if r[0] != candidate_id]
        self._add((candidate_id, name, data.get("id_number") or "", birth, mobile))
        return [_note(data, row) for row in rows if _differs(data, row)]

    def _add(self, row: tuple) -> None:
        _cid, name, _number, birth, mobile = row
        if name and birth:
            self._by_person.setdefault((name, birth), []).append(row)
        if mobile:
            self._by_mobile.setdefault(mobile, []).append(row)


_COLUMNS = ("id, name, id_number, json_extract(data, '$.birth_date'), "
            "json_extract(data, '$.contact.mobile')")


def lookalike_keys(data: dict) -> tuple[str, str, str]:
    """What two records are compared by: name, birth date, mobile."""
    return (data.get("name") or "", data.get("birth_date") or "",
            (data.get("contact") or {}).get("mobile") or "")


def _differs(data: dict, row: tuple) -> bool:
    """Not the same person: import-json updates that one, the inbox reports DUPLICATE."""
    number = row[2]
    return not (number and number == data.get("id_number"))


def _note(data: dict, row: tuple) -> str:
    name, birth, mobile = lookalike_keys(data)
    cid, other, number, other_birth, other_mobile = row
    number_given = data.get("id_number") or ""
    who = f"{name or '（未填姓名）'}{f'（{number_given}）' if number_given else ''}"
    same = "姓名和出生日期" if name and birth and (other, other_birth) == (name, birth) else ""
    if mobile and other_mobile == mobile:
        same = f"{same}、手机号" if same else "手机号"
    return (f"可能重复：{who}与已有记录 {other or '（未填姓名）'}（{number or '未填身份证号'}，"
            f"编号 {cid[:8]}）的{same}相同，请核对身份证号，确为同一人时删除多余的一条")


def notes_after_save(store: Store, candidate_id: str, status_before: str | None,
                     *, check_lookalikes: bool = True,
                     lookalikes: Lookalikes | None = None) -> list[str]:
    """The notes one save produced: outdated package first, then look-alikes (from the batch's
    ``lookalikes`` index when given, else by one query)."""
    stored = store.get(candidate_id)
    notes = []
    if status_before == PACKED and stored.status == DRAFT:
        notes.append(outdated_note(stored.name))
    if lookalikes is not None:
        notes.extend(lookalikes.notes(candidate_id, stored.data))
    elif check_lookalikes:
        notes.extend(lookalike_notes(store, stored.data, candidate_id))
    return notes


def status_of(store: Store, candidate_id: str | None) -> str | None:
    """The stored status before a save (None for a record not stored yet)."""
    if not candidate_id:
        return None
    row = store.db.execute("SELECT status FROM candidates WHERE id=?", [candidate_id]).fetchone()
    return row[0] if row else None
