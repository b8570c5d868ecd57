from __future__ import annotations

import pytest

from collector import rpu
from collector.attachment_store import open_attachment
from collector.fingerprint import record_fingerprint


def test_import_keeps_data_attachments_and_provenance(package, applicant, office):
    report = rpu.import_package(office.store, package, office.identity)
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
    rpu.import_package(office.store, package, office.identity)
    first = next(office.store.all())
    edited = dict(first.data, admin_post="办公室改过的职务")
    office.store.save(edited, candidate_id=first.id)
    report = rpu.import_package(office.store, package, office.identity)
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
        rpu.import_package(office.store, package, office.identity, package=pkg)
    assert office.store.count() == 0
