"""An inventory as text (the file and its evidence files), kept with a run and loaded back.

A run stores the exact text of the inventory it used, so an assessment can be reproduced and
bundled years later even when the file on disk has changed or is gone.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory
from socaudit.inventory.yamlsafe import read_yaml
from socaudit.store.repository import SnapshotFile


def take_snapshot(inventory_path: Path) -> tuple[SnapshotFile, ...]:
    """The inventory's text and that of every evidence file it lists (those that exist)."""
    files = [_file(0, str(inventory_path.resolve()), inventory_path)]
    refs = read_yaml(inventory_path).data.get("evidence_files")
    for relative in refs if isinstance(refs, list) else []:
        path = inventory_path.parent / str(relative)
        if isinstance(relative, str) and path.is_file():
            files.append(_file(len(files), relative, path))
    return tuple(files)


def inventory_sha256(files: Sequence[SnapshotFile]) -> str:
    """The SHA-256 of the inventory file itself (position 0)."""
    return files[0].sha256


def load_snapshot(files: Sequence[SnapshotFile]) -> Inventory:
    """The inventory a snapshot describes, validated like a file (``InputError`` if invalid).

    The files are laid out in a private temporary folder with their relative paths, so the
    loader's rules (and its ``FILE:LINE`` messages) are exactly those of the original. An
    evidence file named by an absolute path is laid out beside the others and the inventory's
    text names it there instead (the disk copy is never read).
    """
    if not files:
        raise ValueError("empty snapshot")
    text, relative = _relocate_absolute(files)
    depth = max((_ups(r) for r in relative), default=0)
    with tempfile.TemporaryDirectory(prefix="socaudit-snapshot-") as tmp:
        base = Path(tmp).joinpath(*[f"d{i}" for i in range(depth)])
        base.mkdir(parents=True, exist_ok=True)
        main = base / Path(files[0].path).name
        main.write_text(text, encoding="utf-8")
        for f, path in zip(files[1:], relative, strict=True):
            _check_relative(path)
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.content, encoding="utf-8")
        return load_inventory(main)


def _relocate_absolute(files: Sequence[SnapshotFile]) -> tuple[str, list[str]]:
    """The inventory text and each evidence file's path, absolute paths made relative."""
    text = files[0].content
    relative: list[str] = []
    for f in files[1:]:
        name = PurePosixPath(f.path).name
        if PurePosixPath(f.path).is_absolute() and name not in ("", "..", "."):
            moved = f"_absolute{f.position}/{name}"
            text = text.replace(f.path, moved)
            relative.append(moved)
        else:
            relative.append(f.path)
    return text, relative


def _file(position: int, label: str, path: Path) -> SnapshotFile:
    data = path.read_bytes()
    return SnapshotFile(
        position=position,
        path=label,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data.decode("utf-8"),
    )


def _check_relative(relative: str) -> None:
    """Snapshot paths stay inside the temporary folder (a stored row is input too)."""
    parts = PurePosixPath(relative).parts
    inner = parts[_ups(relative) :]
    if PurePosixPath(relative).is_absolute() or ".." in inner or not inner:
        raise ValueError(f"snapshot file path {relative!r} is not a plain relative path")


def _ups(relative: str) -> int:
    """How many leading ``..`` a relative path climbs."""
    parts = PurePosixPath(relative).parts
    count = 0
    for part in parts:
        if part != "..":
            break
        count += 1
    return count
