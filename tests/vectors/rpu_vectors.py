"""Deterministic inputs for the .rpu test vectors (format version 1).

Run ``python -m tests.vectors.rpu_vectors`` from the repository root to (re)write
``v1-basic.rpu``, ``v1-compressed.rpu`` and ``v1-basic.json``. Only do that for a deliberate
format change: the checked-in files must keep verifying with every later version.
The keys below are public test keys made from fixed strings; they protect nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from collector.common.fingerprint import canonical_json
from collector.rpu.keys import Identity
from collector.rpu.writer import Part, write_package

HERE = Path(__file__).resolve().parent
CREATED = "2017-04-20T10:00:00+08:00"
RECORD = {"program_year": 2017, "name": "测试人", "id_number": "150102198001010011",
          "employer": "虚构单位"}
ATTACHMENT = bytes(range(256)) * 300  # 76,800 bytes: spans two payload chunks
DOCUMENT = "推荐报告（测试向量）\n".encode() * 20


def seed(label: str) -> bytes:
    return hashlib.sha256(f"talent-collector rpu test vector {label}".encode()).digest()


def identity(label: str) -> Identity:
    return Identity(f"{label}（测试）", "测试单位",
                    Ed25519PrivateKey.from_private_bytes(seed(label + " sign")),
                    X25519PrivateKey.from_private_bytes(seed(label + " box")))


def rng_from(label: str):
    counter = itertools.count()
    buffer = bytearray()

    def rng(n: int) -> bytes:
        while len(buffer) < n:
            buffer.extend(hashlib.sha256(seed(label) + next(counter).to_bytes(8, "big")).digest())
        out = bytes(buffer[:n])
        del buffer[:n]
        return out

    return rng


def parts() -> list[Part]:
    return [Part.from_bytes("candidates/vector.json", "candidate", canonical_json(RECORD)),
            Part.from_bytes(f"attachments/{hashlib.sha256(ATTACHMENT).hexdigest()}",
                            "attachment", ATTACHMENT, compress=False),
            Part.from_bytes("documents/推荐报告.txt", "document", DOCUMENT)]


def write(path: Path, compress: bool):
    return write_package(path, parts(), identity=identity("sender"),
                         recipients=[identity("recipient").public], program_year=2017,
                         role="个人", unit="测试单位", created=CREATED, rng=rng_from("rng"),
                         compress=compress)


def main() -> None:
    write(HERE / "v1-basic.rpu", compress=False)
    write(HERE / "v1-compressed.rpu", compress=True)
    data = (HERE / "v1-basic.rpu").read_bytes()
    expected = {
        "file_sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
        "sender_fingerprint": identity("sender").fingerprint,
        "recipient_fingerprint": identity("recipient").fingerprint,
        "record_fingerprint": hashlib.sha256(canonical_json(RECORD)).hexdigest(),
        "attachment_sha256": hashlib.sha256(ATTACHMENT).hexdigest(),
        "file_key": rng_from("rng")(32).hex(),
    }
    (HERE / "v1-basic.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
