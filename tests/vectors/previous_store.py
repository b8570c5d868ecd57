"""A store as the release before issue 28 left it: an office (呼和浩特市) that imported its two
units' packages, each unit's candidates carrying small attachments, and one candidate the
office entered itself with a file attached here. That release kept each received package in
``<db>.files/`` *and* an extracted copy of every attachment beside it.

``previous-office/`` was written by ``python -m tests.vectors.previous_store`` with that
release's code (commit fb1319d); the new code cannot make it again, which is the point:
``tests/office/test_previous_store.py`` opens it, converts it and reads every attachment back.
Keys are invented (passphrase ``office-tests``, light sealing), the people are made up.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "previous-office"
PASS = "office-tests"
TODAY = dt.date(2017, 4, 20)
CHANNEL = "呼和浩特市"
LOCAL_FILE = b"%PDF-1.4\n% made at the office itself\n" + bytes(range(200))


def attachment_bytes(n: int) -> bytes:
    """Tiny invented attachment contents, one per applicant."""
    return (f"%PDF-1.4\n% 佐证材料 {n}\n".encode() + bytes((n * i) % 251 for i in range(3000)))


def build(out: Path = HERE) -> None:
    from collector.office import province
    from collector.rpu import keys
    from collector.record.sample import make_candidate
    from collector.storage.store import Store

    keys.SCRYPT_N = 2 ** 10  # light sealing: the vector is opened in every test run
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        p = province.set_up(root, PASS, TODAY, say=lambda _: None)
        office = p.offices[CHANNEL]
        units = [u for u in province.SHAPE if u.channel == CHANNEL][0].units
        for n, a in enumerate(p.applicants, 1):
            with Store(a.db) as store:
                cand = next(iter(store.all()))
                f = root / f"证书{n}.pdf"
                f.write_bytes(attachment_bytes(n))
                store.attach(cand.id, f, title=f"获奖证书{n}", category="获奖")
        p.by_receiver = province.applicants_pack(p)
        for unit in units:
            inst = p.units[unit.name]
            province.receive(p, inst, p.by_receiver[unit.name])
            province.check_paper_and_recommend(p, inst, "该同志业绩突出，同意推荐。")
            p.sent[unit.name] = province.send_up(p, inst, iso=False)
        province.receive(p, office, [p.sent[u.name] for u in units])
        with Store(office.db) as store:
            own = make_candidate(299)
            own["channel"] = {"kind": "盟市", "name": CHANNEL}
            cid = store.save(own)
            f = root / "本级材料.pdf"
            f.write_bytes(LOCAL_FILE)
            store.attach(cid, f, title="本级录入的材料", category="其他")
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        shutil.copy2(office.db, out / office.db.name)
        shutil.copytree(office.db.with_name(office.db.name + ".files"),
                        out / (office.db.name + ".files"))


if __name__ == "__main__":
    build()
    print(f"written: {HERE}")
