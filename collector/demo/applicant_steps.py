"""The 生成报送 part of ``collector demo``: two installations exchange a package.

The office makes keys and exports its public key; the applicant makes keys, imports the
office's key, attaches evidence and packs; the office verifies, imports and compares hashes.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..common.fingerprint import record_fingerprint, short
from ..storage.store import Store
from ..rpu import PackageError, open_package
from ..exchange.keyring import generate_identity, import_recipient, load_identity, public_key_block
from ..exchange.packing import pack
from ..exchange.keyring import default_recipients, has_identity

if TYPE_CHECKING:
    from .pipeline import DemoContext


def _identity(ctx: "DemoContext", role: str, name: str, unit: str):
    with Store(ctx.db(role)) as store:
        if not has_identity(store):
            generate_identity(store, ctx.passphrase, name, unit)
        return load_identity(store, ctx.passphrase)


def step_keys(ctx: "DemoContext") -> None:
    office = _identity(ctx, "office", "自治区人社厅（演示）", "专业技术人员管理处")
    with Store(ctx.db("office")) as store:
        path = ctx.root / "office-public-key.txt"
        path.write_text(public_key_block(store), encoding="utf-8")
    ctx.files["office_pub"] = path
    applicant = _identity(ctx, "applicant", "申报人（演示）", "")
    with Store(ctx.db("applicant")) as store:
        import_recipient(store, path, "自治区人社厅（演示）")
    ctx.say(f"受理方密钥 {short(office.fingerprint)}，公钥：{path}")
    ctx.say(f"申报人密钥 {short(applicant.fingerprint)}，已导入受理方公钥")


def step_pack(ctx: "DemoContext") -> None:
    evidence = ctx.root / "evidence"
    evidence.mkdir(exist_ok=True)
    (evidence / "论文首页.txt").write_text("（虚构）论文首页扫描件说明\n" * 200, encoding="utf-8")
    (evidence / "获奖证书.pdf").write_bytes(hashlib.sha256(b"demo").digest() * 4096)
    with Store(ctx.db("applicant")) as store:
        first = next(store.all())
        if not first.data.get("attachments"):
            store.attach(first.id, evidence / "论文首页.txt", title="论文首页", category="论文")
            store.attach(first.id, evidence / "获奖证书.pdf", title="获奖证书", category="获奖")
        identity = load_identity(store, ctx.passphrase)
        out = ctx.root / "applicant.rpu"
        result = pack(store, [], out, identity=identity, recipients=default_recipients(store),
                      today=ctx.today)
    ctx.files["applicant_rpu"] = out
    ctx.say(f"生成报送 {out.name}：{len(result.candidates)} 名、附件 {result.attachments} 个、"
            f"{result.size} 字节，签名 {short(result.signer_fingerprint)}")


def step_office_import(ctx: "DemoContext") -> None:
    path = ctx.files["applicant_rpu"]
    tampered = ctx.root / "tampered.rpu"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    with Store(ctx.db("office")) as store:
        identity = load_identity(store, ctx.passphrase)
        try:
            open_package(tampered, identity)
            raise RuntimeError("被改动的报送文件没有被拒绝")
        except PackageError as err:
            ctx.say(f"改动一个字节的副本被拒绝：{err}")
        from ..office import inbox  # the one import path (signers, chain, provenance)

        entry = inbox.import_many(store, [path], identity).entries[0]
        if entry.status != inbox.IMPORTED:
            raise RuntimeError(f"报送文件没有导入：{entry.reason}")
        office = {c.data["id_number"]: c.data for c in store.all()}
        office_files = {sha: _read_sha(store, sha) for d in office.values()
                        for sha in (a["sha256"] for a in d["attachments"])}
    with Store(ctx.db("applicant")) as store:
        applicant = {c.data["id_number"]: c.data for c in store.all()}
    for number, rec in applicant.items():
        if record_fingerprint(office[number]) != record_fingerprint(rec):
            raise RuntimeError(f"导入后的记录与原记录不一致：{rec['name']}")
    if any(sha != got for sha, got in office_files.items()):
        raise RuntimeError("导入后的附件与原附件不一致")
    ctx.say(f"受理方核验并导入 {len(entry.candidates)} 名（签名 {short(entry.signer)}），"
            f"记录与 {len(office_files)} 个附件的 SHA-256 与申报人一致")


def _read_sha(store: Store, sha256: str) -> str:
    """The SHA-256 of the attachment as the store gives it back (from the kept package)."""
    from ..storage.attachments import open_attachment

    digest = hashlib.sha256()
    with open_attachment(store, sha256) as src:
        while block := src.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


RPU_STEPS = [
    ("密钥：受理方与申报人", step_keys),
    ("生成报送（.rpu）", step_pack),
    ("受理方核验并导入", step_office_import),
]
