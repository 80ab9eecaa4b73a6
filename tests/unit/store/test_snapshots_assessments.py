"""Inventory snapshots kept with a run, and assessments (many judgements per run)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socaudit.store.repository import NewAssessment, NewRun, SnapshotFile, Store
from socaudit.store.snapshot import load_snapshot, take_snapshot

DEMO = Path(__file__).parents[3] / "inventories" / "demo.yaml"


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'store.db'}")


def _run(store: Store, snapshot: tuple[SnapshotFile, ...] = ()) -> int:
    return store.start_run(
        NewRun(
            inventory_path=str(DEMO),
            inventory_sha256=snapshot[0].sha256 if snapshot else "00" * 32,
            as_of=dt.date(2026, 12, 1),
            options={},
            systems=(("lgsp", "LGSP", 3),),
            snapshot=snapshot,
        )
    )


def test_demo_snapshot_keeps_inventory_and_evidence_files(tmp_path: Path) -> None:
    files = take_snapshot(DEMO)
    assert [f.position for f in files] == [0, 1]
    assert files[1].path == "demo-evidence.yaml"
    store = _store(tmp_path)
    run_id = _run(store, files)
    stored = store.snapshot(run_id)
    store.close()
    assert stored == files
    inventory = load_snapshot(stored)
    assert inventory.system("lgsp").level == 3
    # evidence declared only in demo-evidence.yaml was merged from the snapshot
    assert {e.control for e in inventory.system("dvc").evidence} == {"QL.1.1", "QL.3.2"}


def test_snapshot_survives_the_file_changing(tmp_path: Path) -> None:
    inventory = tmp_path / "inv.yaml"
    text = DEMO.read_text(encoding="utf-8").replace("evidence_files: [demo-evidence.yaml]", "")
    inventory.write_text(text.replace("../.lab/ca/lab-root.pem", "ca.pem"), encoding="utf-8")
    files = take_snapshot(inventory)
    inventory.write_text("garbage: [", encoding="utf-8")
    assert load_snapshot(files).system("ioc").level == 3


def test_absolute_evidence_paths_are_read_from_the_snapshot(tmp_path: Path) -> None:
    evidence = tmp_path / "elsewhere" / "ev.yaml"
    evidence.parent.mkdir()
    evidence.write_text((DEMO.parent / "demo-evidence.yaml").read_text(encoding="utf-8"))
    inventory = tmp_path / "inv.yaml"
    text = DEMO.read_text(encoding="utf-8").replace("../.lab/ca/lab-root.pem", "ca.pem")
    inventory.write_text(text.replace("[demo-evidence.yaml]", f"[{evidence}]"), encoding="utf-8")
    files = take_snapshot(inventory)
    assert files[1].path == str(evidence)
    evidence.unlink()  # the snapshot alone must be enough
    assert {e.control for e in load_snapshot(files).system("dvc").evidence} == {"QL.1.1", "QL.3.2"}


@pytest.mark.parametrize("path", ["/", "a/../../x.yaml", ".."])
def test_snapshot_paths_cannot_escape(path: str) -> None:
    files = take_snapshot(DEMO)
    hostile = (files[0], SnapshotFile(1, path, "00", "schema_version: 1\nsystems: {}\n"))
    with pytest.raises(ValueError, match="plain relative path"):
        load_snapshot(hostile)


def test_assessments_are_kept_per_run_in_order(tmp_path: Path) -> None:
    store = _store(tmp_path)
    run_id = _run(store)
    other = _run(store)
    ids = [
        store.save_assessment(
            NewAssessment(
                run_id=r,
                as_of=dt.date(2026, 12, day),
                pack_id="tcvn11930",
                pack_version="v",
                inventory_sha256="ab" * 32,
                inventory_source="run",
                results={"systems": [], "n": day},
            )
        )
        for r, day in ((run_id, 1), (other, 2), (run_id, 3))
    ]
    assert [a.id for a in store.assessments(run_id)] == [ids[0], ids[2]]
    latest = store.latest_assessment(run_id)
    assert latest is not None and latest.results["n"] == 3 and latest.as_of.day == 3
    assert store.latest_assessment(999) is None
    assert latest.results.get("assessment") is None  # only set when the key is there
    named = store.save_assessment(
        NewAssessment(
            run_id=run_id,
            as_of=dt.date(2026, 12, 4),
            pack_id="tcvn11930",
            pack_version="v",
            inventory_sha256="ab" * 32,
            inventory_source="run",
            results={"assessment": None, "systems": []},
        )
    )
    stored = store.assessment(named)
    assert stored is not None and stored.results["assessment"] == named
    got = store.assessment(ids[1])
    assert got is not None and got.run_id == other
    assert len(store.assessments()) == 4
    store.close()
