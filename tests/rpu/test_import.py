from __future__ import annotations

import hashlib

import pytest

from collector import rpu
from collector.exchange.importer import import_package
from collector.common.fingerprint import record_fingerprint
from collector.storage.attachments import open_attachment
from tests.conftest import make_record


def test_import_keeps_data_attachments_and_provenance(package, applicant, office):
    report = import_package(office.store, package, office.identity)
    assert len(report.imported) == 2 and report.ok and report.attachments_copied == 2
    originals = {c.data["id_number"]: c for c in applicant.store.all()}
    for c in office.store.all():
        orig = originals[c.data["id_number"]]
        assert record_fingerprint(c.data) == record_fingerprint(orig.data)
        assert c.id == orig.id and c.status == "imported"
        assert c.source["file"] == package.name
        assert c.source["signer"] == applicant.identity.fingerprint
        for att in c.data["attachments"]:
            assert not office.store.file_path(att["sha256"]).exists()  # not extracted
            with open_attachment(office.store, att["sha256"]) as got:  # read from the package
                assert got.read() == applicant.store.file_path(att["sha256"]).read_bytes()


def test_duplicate_is_reported_and_not_overwritten(package, office):
    import_package(office.store, package, office.identity)
    first = next(office.store.all())
    edited = dict(first.data, admin_post="办公室改过的职务")
    office.store.save(edited, candidate_id=first.id)
    report = import_package(office.store, package, office.identity)
    assert not report.imported and len(report.duplicates) == 2
    assert {f.rule for f in report.duplicates} == {"DUPLICATE"}
    assert office.store.get(first.id).data["admin_post"] == "办公室改过的职务"
    assert office.store.count() == 2


def test_verify_progress_is_reported(package, office):
    seen = []
    rpu.open_package(package, office.identity, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == package.stat().st_size - rpu.reader.read_head(
        open(package, "rb")).payload_start


def test_package_changed_after_verification_imports_nothing(package, office):
    pkg = rpu.open_package(package, office.identity)
    data = bytearray(package.read_bytes())
    data[-100] ^= 1  # inside the last attachment, after open_package checked it
    package.write_bytes(bytes(data))
    with pytest.raises(rpu.PackageError, match=f"{package.name}：.*未导入任何数据"):
        import_package(office.store, package, office.identity, package=pkg)
    assert office.store.count() == 0


def test_a_kept_package_altered_later_fails_naming_the_attachment(package, office, tmp_path):
    """Imported without the inbox, the package is kept and its attachments read from it: one
    flipped byte in the kept copy is an error that names the attachment, never wrong bytes."""
    from collector.storage.attachments import export_attachment, in_package
    from collector.common.errors import StoreError

    import_package(office.store, package, office.identity)
    atts = [a for c in office.store.all() for a in c.data["attachments"]]
    assert {in_package(office.store, a["sha256"]).location.entry.compression
            for a in atts} == {"zlib", None}  # a compressed part and a stored one
    for att in atts:
        held = in_package(office.store, att["sha256"])
        kept = office.store.file_path(held.package_sha256)
        good = kept.read_bytes()
        data = bytearray(good)
        data[held.location.payload_start + held.location.offset + 10] ^= 0x01
        kept.write_bytes(bytes(data))
        with pytest.raises(StoreError, match=f"附件“{att['title']}”无法读出：.*已损坏或被改动"):
            export_attachment(office.store, att["sha256"], tmp_path / "out", att["title"])
        assert not (tmp_path / "out").exists()
        kept.write_bytes(good)
        with open_attachment(office.store, att["sha256"]) as src:
            assert hashlib.sha256(src.read()).hexdigest() == att["sha256"]


def test_an_attachment_part_holding_other_bytes_than_its_name_is_refused(applicant, office,
                                                                        tmp_path):
    """A signed package whose part ``attachments/X`` holds bytes that are not X: recording
    it would make X read back as other bytes, so nothing is imported."""
    from collector.common.fingerprint import canonical_json
    from collector.record.model import normalize
    from collector.exchange.packing import attachment_part_name, candidate_part_name
    from collector.rpu.writer import Part, write_package

    claimed = hashlib.sha256(b"%PDF-1.4 the claimed certificate").hexdigest()
    record = normalize(make_record(0, attachments=[{
        "file": "证书.pdf", "title": "证书", "category": "其他", "classified": False,
        "declassified": False, "sha256": claimed, "size": 32}]))
    out = tmp_path / "crafted.rpu"
    write_package(out, [Part.from_bytes(candidate_part_name("c1"), "candidate",
                                        canonical_json(record)),
                        Part.from_bytes(attachment_part_name(claimed), "attachment",
                                        b"%PDF-1.4 some other bytes")],
                  identity=applicant.identity, recipients=[office.identity.public],
                  program_year=2017, role="个人")
    with pytest.raises(rpu.PackageError, match=f"附件 {claimed[:12]}… 复制后校验不符"):
        import_package(office.store, out, office.identity)
    assert office.store.count() == 0
    assert office.store.db.execute("SELECT COUNT(*) FROM package_parts").fetchone()[0] == 0
