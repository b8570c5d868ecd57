"""Budget (DESIGN §10): pack 500 MB of attachments in ≤ 1.5 × `age -r` on the same bytes,
with peak RSS ≤ 150 MB; verifying the package is measured too.

Generates ``--mb`` MB (default 500) of incompressible attachments in a temporary store, then
runs pack and verify each in a child process (peak RSS is the child's own ``ru_maxrss``) and
times ``age -r`` encrypting the same files (Debian's ``age`` is installed here if missing).
Each timing is the best of ``--runs`` (default 3); the page cache is synced before each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_FACTOR = 1.5
RSS_BUDGET_MB = 150.0
FILE_MB = 50
PASS = "bench-passphrase"


class RandomStream:
    def __init__(self, size: int):
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return os.urandom(n)


def child_setup(root: Path, mb: int) -> dict:
    from collector import rpu
    from collector.sample import make_candidate
    from collector.store import Store

    with Store(root / "a.db") as a, Store(root / "o.db") as o:
        rpu.generate_identity(a, PASS, "bench")
        office = rpu.generate_identity(o, PASS, "office")
        (root / "office.pub").write_text(rpu.public_key_block(o), encoding="utf-8")
        files, left, i = [], mb, 0
        while left > 0:
            size = min(FILE_MB, left)
            sha, n = a.add_file(RandomStream(size * 1024 * 1024))
            files.append({"file": f"scan{i:03d}.pdf", "title": f"扫描件{i}", "category": "其他",
                          "classified": False, "declassified": False, "sha256": sha, "size": n})
            left -= size
            i += 1
        per = 2
        for k in range(0, len(files), per):
            record = make_candidate(k)
            record["attachments"] = files[k:k + per]
            a.save(record)
        del office
        return {"files": [str(a.file_path(f["sha256"])) for f in files]}


def child_pack(root: Path) -> dict:
    from collector import rpu
    from collector.rpu.keys import decode_public
    from collector.store import Store

    with Store(root / "a.db") as a:
        identity = rpu.load_identity(a, PASS)
        office = decode_public((root / "office.pub").read_text(encoding="utf-8"))
        (root / "bench.rpu").unlink(missing_ok=True)
        os.sync()  # start from clean page cache writeback, as for age
        start = time.perf_counter()
        result = rpu.pack(a, [], root / "bench.rpu", identity=identity, recipients=[office],
                          today=dt.date(2017, 4, 20))
        elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "size": result.size}


def child_verify(root: Path) -> dict:
    from collector import rpu
    from collector.store import Store

    with Store(root / "o.db") as o:
        identity = rpu.load_identity(o, PASS)
    start = time.perf_counter()
    pkg = rpu.open_package(root / "bench.rpu", identity)
    return {"seconds": time.perf_counter() - start, "parts": len(pkg.parts)}


def run_child(step: str, root: Path, *extra: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", step, str(root), *extra],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def ensure_age() -> str:
    path = shutil.which("age")
    if path:
        return path
    print("安装 age（Debian 软件包）…", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-qq", "age"], env=env, capture_output=True)
    if not shutil.which("age"):
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "age"], env=env, check=True,
                       capture_output=True)
    return shutil.which("age")


def time_age(age: str, files: list[str], root: Path) -> float:
    keygen = shutil.which("age-keygen")
    key = subprocess.run([keygen], check=True, capture_output=True, text=True).stdout
    recipient = next(line.split(":", 1)[1].strip() for line in key.splitlines()
                     if line.startswith("# public key:"))
    os.sync()
    start = time.perf_counter()
    for i, f in enumerate(files):
        subprocess.run([age, "-r", recipient, "-o", str(root / f"age{i}.age"), f], check=True)
    elapsed = time.perf_counter() - start
    for i in range(len(files)):
        (root / f"age{i}.age").unlink()
    return elapsed


def child_main(step: str, root: Path, extra: list[str]) -> None:
    result = {"setup": lambda: child_setup(root, int(extra[0])),
              "pack": lambda: child_pack(root), "verify": lambda: child_verify(root)}[step]()
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=500, help="attachment megabytes (default 500)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child[0], Path(args.child[1]), args.child[2:])
        return 0
    age = ensure_age()
    with tempfile.TemporaryDirectory(prefix="pack-bench-") as tmp:
        root = Path(tmp)
        setup = run_child("setup", root, str(args.mb))
        packs, verifies, ages = [], [], []
        for _ in range(args.runs):
            packs.append(run_child("pack", root))
            verifies.append(run_child("verify", root))
            ages.append(time_age(age, setup["files"], root))
    pack_s = min(p["seconds"] for p in packs)
    verify_s = min(v["seconds"] for v in verifies)
    age_s = min(ages)
    rss = max(max(p["rss_mb"] for p in packs), max(v["rss_mb"] for v in verifies))
    ratio = pack_s / age_s
    print(f"附件 {args.mb} MB，报送文件 {packs[0]['size'] / 1e6:.1f} MB")
    print(f"pack {pack_s:.2f} s，verify {verify_s:.2f} s，age -r {age_s:.2f} s，"
          f"pack/age = {ratio:.2f}（预算 {TIME_FACTOR}）")
    print(f"峰值内存：pack {max(p['rss_mb'] for p in packs):.0f} MB，"
          f"verify {max(v['rss_mb'] for v in verifies):.0f} MB")
    ok_time = ratio <= TIME_FACTOR
    ok_rss = rss <= RSS_BUDGET_MB
    print(f"RESULT pack_{args.mb}mb_vs_age {ratio:.2f} x {TIME_FACTOR} {'PASS' if ok_time else 'FAIL'}")
    print(f"RESULT pack_{args.mb}mb_seconds {pack_s:.2f} s {TIME_FACTOR * age_s:.2f} "
          f"{'PASS' if ok_time else 'FAIL'}")
    print(f"RESULT pack_verify_{args.mb}mb_peak_rss {rss:.0f} MB {RSS_BUDGET_MB:g} "
          f"{'PASS' if ok_rss else 'FAIL'}")
    return 0 if ok_time and ok_rss else 1


if __name__ == "__main__":
    sys.exit(main())
