from __future__ import annotations

import hashlib
import json
import zlib

import pytest

from collector import rpu
from collector.common.fingerprint import canonical_json, record_fingerprint
from collector.rpu import format as fmt
from collector.rpu.writer import Part, write_package
from collector.exchange.packing import pack

from tests.conftest import make_record

from .conftest import TODAY, add_candidates


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_pack_and_open_round_trip(package, applicant, office):
    pkg = rpu.open_package(package, office.identity)
    assert pkg.signer_fingerprint == applicant.identity.fingerprint
    assert pkg.signer["role"] == "个人" and pkg.signer["name"] == "申报人"
    originals = {c.data["id_number"]: c.data for c in applicant.store.all()}
    assert len(pkg.candidates) == 2
    for name, rec in pkg.candidate_parts:
        assert rec == originals[rec["id_number"]]
        # the manifest hash of a candidate part is the record fingerprint printed on paper
        assert pkg.parts[name].sha256 == record_fingerprint(rec)
        assert pkg.find_fingerprint(record_fingerprint(rec)[:20]) == (name, rec)
    atts = [p for p in pkg.manifest["parts"] if p.kind == "attachment"]
    assert len(atts) == 2
    for entry in atts:
        with pkg.open_part(entry.name) as fh:
            data = fh.read()
        assert hashlib.sha256(data).hexdigest() == entry.sha256
    kinds = {p.name.split("/")[0]: p.compression for p in atts}
    by_sha = {p.sha256: p for p in atts}
    text_att = next(a for a in originals.values() for a in a["attachments"] if a["file"].endswith(".txt"))
    pdf_att = next(a for a in originals.values() for a in a["attachments"] if a["file"].endswith(".pdf"))
    assert by_sha[text_att["sha256"]].compression == "zlib"
    assert by_sha[pdf_att["sha256"]].compression is None
    assert kinds


def test_sender_can_always_open_its_own_package(package, applicant):
    assert len(rpu.open_package(package, applicant.identity).candidates) == 2


def test_inspect_needs_no_key(package, applicant, office):
    info = rpu.inspect(package)
    assert info["format_version"] == 1
    assert info["sender_fingerprint"] == applicant.identity.fingerprint
    assert set(info["recipients"]) == {applicant.identity.fingerprint, office.identity.fingerprint}
    assert info["size"] == package.stat().st_size


def test_wrong_recipient_is_refused(package, stranger):
    with pytest.raises(rpu.PackageError, match="不是发给本机") as err:
        rpu.open_package(package, stranger.identity)
    assert "\n" not in str(err.value)


def test_pack_refuses_candidates_with_errors(applicant, office, tmp_path):
    ids = add_candidates(applicant.store, 2, tmp_path, with_files=False)
    bad = applicant.store.get(ids[1]).data
    bad["pledge"] = False
    applicant.store.save(bad, candidate_id=ids[1])
    out = tmp_path / "x.rpu"
    with pytest.raises(rpu.PackRefused) as err:
        pack(applicant.store, [], out, identity=applicant.identity,
             recipients=[office.identity.public], today=TODAY)
    assert any(f.rule == "PLEDGE" for _, f in err.value.findings)
    assert not out.exists() and _files(tmp_path).count("x.rpu") == 0
    # the good one alone packs fine
    pack(applicant.store, [ids[0]], out, identity=applicant.identity,
         recipients=[office.identity.public], today=TODAY)
    assert len(rpu.open_package(out, office.identity).candidates) == 1


def test_pack_after_deadline_warns(applicant, office, tmp_path):
    import datetime as dt

    add_candidates(applicant.store, 1, tmp_path, with_files=False)
    from collector.record.year import load_year

    late = load_year().deadline + dt.timedelta(days=2)
    result = pack(applicant.store, [], tmp_path / "late.rpu", identity=applicant.identity,
                  recipients=[], today=late)
    assert [w.rule for w in result.warnings] == ["DEADLINE"]


def test_cancel_leaves_no_file_and_progress_reaches_total(applicant, office, tmp_path):
    add_candidates(applicant.store, 2, tmp_path)
    out = tmp_path / "c.rpu"
    with pytest.raises(rpu.Cancelled):
        pack(applicant.store, [], out, identity=applicant.identity, recipients=[],
             cancel=lambda: True, today=TODAY)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".c.rpu", "c.rpu"))]
    seen = []
    pack(applicant.store, [], out, identity=applicant.identity, recipients=[],
         progress=lambda d, t: seen.append((d, t)), today=TODAY)
    assert seen and seen[-1][0] == seen[-1][1]


def test_general_parts_nested_package_and_document(package, applicant, office, tmp_path):
    report = json.dumps({"联系人": "虚构"}, ensure_ascii=False).encode()
    outer = tmp_path / "office.rpu"
    write_package(outer, [Part.from_file("packages/applicant.rpu", "package", package),
                          Part.from_bytes("documents/推荐报告.json", "document", report)],
                  identity=office.identity, recipients=[applicant.identity.public],
                  program_year=2017, role="盟市", unit="某盟人社局")
    pkg = rpu.open_package(outer, applicant.identity)
    assert [p.name for p in pkg.nested] == ["packages/applicant.rpu"]
    assert pkg.parts["packages/applicant.rpu"].compression is None
    assert pkg.read_part("documents/推荐报告.json") == report
    assert pkg.read_part("packages/applicant.rpu") == package.read_bytes()  # byte-for-byte
    inner = pkg.open_nested("packages/applicant.rpu", office.identity, tmp_path / "x")
    assert inner.signer_fingerprint == applicant.identity.fingerprint


# -- hostile packages, crafted with the writer's test hooks --------------------------------
def _craft(tmp_path, applicant, office, parts, hook=None, check=True, name="evil.rpu"):
    out = tmp_path / name
    write_package(out, parts, identity=applicant.identity, recipients=[office.identity.public],
                  program_year=2017, role="个人", _manifest_hook=hook, _check_names=check)
    return out


@pytest.mark.parametrize("bad", ["../../x", "/etc/passwd", "a/../../b", "C:/x", "a\\b",
                                 "attachments/", "a//b", "./a", "x" * 300, "a\x00b"])
def test_unsafe_part_names_are_refused(bad, applicant, office, tmp_path):
    with pytest.raises(rpu.PackageError):
        fmt.check_part_name(bad)
    out = _craft(tmp_path, applicant, office, [Part.from_bytes(bad, "document", b"x")],
                 check=False)
    with pytest.raises(rpu.PackageError, match="部件名称"):
        rpu.open_package(out, office.identity)


def test_writer_refuses_unsafe_names(applicant, office, tmp_path):
    with pytest.raises(rpu.PackageError):
        _craft(tmp_path, applicant, office, [Part.from_bytes("../x", "document", b"x")])
    assert not (tmp_path / "evil.rpu").exists()


def test_decompression_bomb_is_stopped_at_the_declared_size(applicant, office, tmp_path):
    zeros = bytes(8 * 1024 * 1024)

    def lie(manifest):
        manifest["parts"][0]["size"] = 1000  # claims 1000 bytes, inflates to 8 MiB

    out = _craft(tmp_path, applicant, office,
                 [Part.from_bytes("documents/a.txt", "document", zeros, compress=True)], lie)
    with pytest.raises(rpu.PackageError, match="压缩炸弹"):
        rpu.open_package(out, office.identity)


def test_oversize_declarations_are_refused(applicant, office, tmp_path):
    def huge(manifest):
        manifest["parts"][0]["size"] = fmt.MAX_COMPRESSED_PART + 1

    out = _craft(tmp_path, applicant, office,
                 [Part.from_bytes("documents/a.txt", "document", bytes(1000), compress=True)],
                 huge)
    with pytest.raises(rpu.PackageError, match="过大"):
        rpu.open_package(out, office.identity)

    def oversize(manifest):
        manifest["parts"][0]["size"] = manifest["parts"][0]["stored"] = fmt.MAX_PART_SIZE + 1

    out = _craft(tmp_path, applicant, office,
                 [Part.from_bytes("documents/b.bin", "document", b"x", compress=False)],
                 oversize, name="big.rpu")
    with pytest.raises(rpu.PackageError, match="上限"):
        rpu.open_package(out, office.identity)


def test_manifest_hash_mismatch_is_refused(applicant, office, tmp_path):
    def wrong(manifest):
        manifest["parts"][0]["sha256"] = "0" * 64

    out = _craft(tmp_path, applicant, office,
                 [Part.from_bytes("documents/a.bin", "document", b"abc", compress=False)], wrong)
    with pytest.raises(rpu.PackageError, match="SHA-256"):
        rpu.open_package(out, office.identity)


def test_non_canonical_candidate_part_is_refused(applicant, office, tmp_path):
    raw = json.dumps({"b": 1, "a": 2}).encode()
    out = _craft(tmp_path, applicant, office, [Part.from_bytes("candidates/x.json", "candidate", raw)])
    with pytest.raises(rpu.PackageError, match="规范"):
        rpu.open_package(out, office.identity)


def test_unknown_version_and_magic(package, office, tmp_path):
    data = bytearray(package.read_bytes())
    data[8] = 2
    (tmp_path / "v2.rpu").write_bytes(bytes(data))
    with pytest.raises(rpu.PackageError, match="版本 2 不受支持"):
        rpu.open_package(tmp_path / "v2.rpu", office.identity)
    with pytest.raises(rpu.PackageError, match="版本 2"):
        rpu.inspect(tmp_path / "v2.rpu")
    (tmp_path / "x.rpu").write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(rpu.PackageError, match="不是报送文件"):
        rpu.open_package(tmp_path / "x.rpu", office.identity)
    (tmp_path / "empty.rpu").write_bytes(b"")
    with pytest.raises(rpu.PackageError):
        rpu.inspect(tmp_path / "empty.rpu")


def test_swapped_header_from_another_package_is_refused(applicant, office, tmp_path):
    add_candidates(applicant.store, 1, tmp_path, with_files=False)
    a = tmp_path / "a.rpu"
    b = tmp_path / "b.rpu"
    for p in (a, b):
        pack(applicant.store, [], p, identity=applicant.identity,
             recipients=[office.identity.public], today=TODAY)
    head_len = rpu.reader.read_head(open(a, "rb")).payload_start
    mixed = a.read_bytes()[:head_len] + b.read_bytes()[head_len:]
    (tmp_path / "m.rpu").write_bytes(mixed)
    with pytest.raises(rpu.PackageError):
        rpu.open_package(tmp_path / "m.rpu", office.identity)


def test_compressed_record_bytes_match_canonical_json(package, applicant, office):
    pkg = rpu.open_package(package, office.identity)
    for name, rec in pkg.candidate_parts:
        assert pkg.read_part(name) == canonical_json(rec)
        assert zlib  # compression was used for the JSON parts
        assert pkg.parts[name].compression == "zlib"


def test_suggested_name_is_the_candidate_for_one_and_the_unit_for_several(store):
    import datetime as dt

    from collector.exchange.packing import suggested_file_name

    day = dt.date(2017, 4, 20)
    a = store.save(make_record(1, name="张三"))
    b = store.save(make_record(2, name="李/四"))
    tail = store.get(a).data["id_number"][-4:]
    assert suggested_file_name(store, [a], "内蒙古大学", day) == f"张三_{tail}_20170420.rpu"
    assert suggested_file_name(store, [b], "内蒙古大学", day).startswith("李_四_")
    assert suggested_file_name(store, [a, b], "内蒙古大学", day) == "内蒙古大学_2人_20170420.rpu"


def test_parts_are_read_again_only_as_the_manifest_says(package, office, tmp_path):
    """A missing part, a part that is not a package, and a part changed after verification are
    each one line (collector/rpu/reader.py Package.iter_part / open_nested)."""
    pkg = rpu.open_package(package, office.identity)
    with pytest.raises(rpu.PackageError) as err:
        pkg.read_part("无此部件.pdf")
    assert str(err.value) == "报送文件中没有部件 无此部件.pdf"
    cand = pkg.candidate_parts[0][0]
    with pytest.raises(rpu.PackageError) as err:
        pkg.open_nested(cand, office.identity, tmp_path)
    assert str(err.value) == f"报送文件中没有内层报送文件 {cand}"
    with pytest.raises(rpu.PackageError) as err:
        pkg.open_nested("无此部件.rpu", office.identity, tmp_path)
    assert str(err.value) == "报送文件中没有内层报送文件 无此部件.rpu"


def test_a_part_whose_hash_no_longer_matches_is_refused_on_reading(package, office,
                                                                  monkeypatch):
    import dataclasses

    pkg = rpu.open_package(package, office.identity)
    name, _ = pkg.candidate_parts[0]
    entry = pkg.parts[name]
    for changed in (dataclasses.replace(entry, sha256="0" * 64),
                    dataclasses.replace(entry, size=entry.size + 1)):
        pkg.manifest["parts"] = [changed if p.name == name else p for p in pkg.manifest["parts"]]
        with pytest.raises(rpu.PackageError) as err:
            pkg.read_part(name)
        assert str(err.value) == f"部件 {name} 在校验后被改动，请重新打开报送文件"


def test_open_part_streams_the_same_bytes(package, office):
    pkg = rpu.open_package(package, office.identity)
    for name in pkg.parts:
        with pkg.open_part(name) as fh:
            assert fh.read() == pkg.read_part(name)
            assert fh.read() == b""
