"""Many forms are shared among helper processes (printing.batch.run_jobs): the same files as
printing them one by one, in the same order, and a failure in a helper reaches the caller."""

from __future__ import annotations

import pytest

from collector.printing import batch, print_all
from collector.storage.store import Store
from tests.conftest import make_record


@pytest.fixture
def six(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_FROM", 4)  # six forms already go to the helpers
    store = Store(tmp_path / "c.db")
    for i in range(6):
        store.save(make_record(i))
    yield store
    store.close()


def test_forms_printed_by_helpers_are_the_bytes_printed_in_one_process(six, tmp_path):
    alone = print_all(six, None, tmp_path / "alone", kinds=("registration", "evidence"),
                      workers=1)
    shared = print_all(six, None, tmp_path / "shared", kinds=("registration", "evidence"),
                       workers=2)
    assert [r.path.name for r in shared] == [r.path.name for r in alone]
    assert len(alone) == 12
    for a, b in zip(alone, shared):
        assert (a.pages, a.warnings, a.fingerprint) == (b.pages, b.warnings, b.fingerprint)
        assert a.path.read_bytes() == b.path.read_bytes(), a.path.name


def test_a_form_a_helper_cannot_write_fails_the_print_as_in_one_process(six, tmp_path):
    out = tmp_path / "out"
    names = sorted(r.path.name for r in print_all(six, None, tmp_path / "probe",
                                                     kinds=("registration",), workers=1))
    (out / names[3]).mkdir(parents=True)  # where the fourth form goes, a folder stands
    with pytest.raises(OSError) as alone:
        print_all(six, None, out, kinds=("registration",), workers=1)
    with pytest.raises(OSError) as shared:
        print_all(six, None, out, kinds=("registration",), workers=2)
    assert type(shared.value) is type(alone.value)
    assert names[3] in str(shared.value)


def _die(*_args, **_kwargs):
    import os

    os._exit(3)  # a helper that crashes in C code or is killed returns nothing


def test_a_helper_that_dies_fails_the_print_instead_of_waiting_forever(tmp_path):
    from collector.common.errors import CollectorError

    jobs = [(_die, (), {})] + [(batch._run_job, ((make_record, (i,), {}),), {}) for i in range(3)]
    with pytest.raises(CollectorError, match="打印进程意外退出"):
        batch.run_jobs(jobs, workers=2, parallel_from=2)
