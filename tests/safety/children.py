"""Child processes for the crash tests: ``python -m tests.safety.children MODE DB [ARGS]``.

Each prints one line per durable step (after the COMMIT returned) so the parent, which kills
it with SIGKILL at a random moment, knows exactly what must have survived.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from collector.record.sample import make_candidate
from collector.storage.store import Store


def saves(db: str, start: str = "0") -> None:
    """Create, update and attach in a loop; print ``saved <id>`` after each commit."""
    store = Store(db)
    print("ready", flush=True)
    ids: list[str] = []
    i = int(start)
    while True:
        if ids and i % 3 == 0:  # an update: rewrites data and adds audit rows in one go
            cid = ids[i % len(ids)]
            record = store.get(cid).data
            record["achievements"] = f"第{i}次修改"
            store.save(record, candidate_id=cid)
            print(f"updated {cid} {i}", flush=True)
        elif ids and i % 7 == 0:
            blob = Path(db).with_name(f"blob-{os.getpid()}-{i}.bin")
            blob.write_bytes(os.urandom(64 * 1024))
            entry = store.attach(ids[-1], blob)
            blob.unlink()
            print(f"attached {ids[-1]} {entry['sha256']}", flush=True)
        else:
            cid = store.save(make_candidate(i))
            ids.append(cid)
            print(f"saved {cid}", flush=True)
        i += 1


def hold(db: str) -> None:
    """Open the database exclusively (as the GUI does) and wait to be killed."""
    Store(db, exclusive=True)
    print(f"holding {os.getpid()}", flush=True)
    time.sleep(600)


def try_exclusive(db: str) -> None:
    """Open exclusively once; print the outcome; exit 0 if opened, 1 if refused."""
    from collector.common.errors import StoreError

    try:
        with Store(db, exclusive=True) as store:
            print(f"opened {store.count()}", flush=True)
    except StoreError as err:
        print(f"refused {err}", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    {"saves": saves, "hold": hold, "try_exclusive": try_exclusive}[mode](*rest)
