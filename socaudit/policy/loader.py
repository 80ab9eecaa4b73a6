"""Load and validate a policy pack: every problem in one pass, each at ``FILE:LINE``.

Public API::

    load_pack(ref) -> Pack          # ref: a bundled pack id ("tcvn11930") or a folder path
    validate_pack(folder) -> Pack   # the same for a folder; both raise InputError (exit 3)

A pack folder holds ``pack.yaml`` and the control files it lists (docs/policy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from socaudit.errors import InputError, Problem
from socaudit.inventory.messages import validation_problems
from socaudit.inventory.yamlsafe import Document
from socaudit.policy.crossref import GroupParts, cross_check
from socaudit.policy.models import Control, GroupFile, LocalText, PackFile
from socaudit.policy.pack import Pack, PackControl, text
from socaudit.policy.resolved import PackInfo
from socaudit.policy.yamlread import read_pack_yaml
from socaudit.resources import policies_dir

__all__ = ["DEFAULT_PACK", "bundled_packs", "load_pack", "validate_pack"]

M = TypeVar("M", bound=BaseModel)

DEFAULT_PACK = "tcvn11930"
HEADER = "pack.yaml"


def bundled_packs() -> list[str]:
    """The ids of the packs shipped with socaudit."""
    root = policies_dir()
    return sorted(p.name for p in root.iterdir() if (p / HEADER).is_file()) if root.is_dir() else []


def load_pack(ref: str | Path) -> Pack:
    """The pack ``ref``: a bundled pack id, or a folder holding ``pack.yaml``."""
    return validate_pack(_locate(ref))


def _locate(ref: str | Path) -> Path:
    if isinstance(ref, Path) or "/" in ref or ref.startswith("."):
        path = Path(ref)
        return path.parent if path.name == HEADER and path.is_file() else path
    bundled = policies_dir() / ref
    if (bundled / HEADER).is_file():
        return bundled
    if Path(ref).is_dir():
        return Path(ref)
    known = ", ".join(bundled_packs()) or "none"
    raise InputError([Problem(Path(ref), None, "no such policy pack", f"bundled packs: {known}")])


@dataclass(frozen=True, slots=True)
class LoadedGroup:
    """One control file, parsed (``model`` is None when it did not validate)."""

    doc: Document
    model: GroupFile | None


def validate_pack(folder: Path) -> Pack:
    """The validated pack in ``folder``; ``InputError`` listing every problem otherwise."""
    header_path = folder / HEADER
    if not folder.is_dir():
        hint = "give a pack folder holding pack.yaml, or a bundled pack id"
        raise InputError([Problem(folder, None, "not a policy pack folder", hint)])
    if not header_path.is_file():
        hint = "a pack folder holds pack.yaml and the control files it lists"
        raise InputError([Problem(header_path, None, "file not found", hint)])
    problems: list[Problem] = []
    header_doc = _read(header_path, problems)
    header = _model(header_doc, PackFile, problems) if header_doc is not None else None
    groups = [
        group
        for index, name in _file_names(header_doc)
        if (group := _group(folder, name, (header_doc, index), problems))
    ]
    problems += cross_check(header_doc, header, [_parts(g) for g in groups])
    if problems or header is None:
        raise InputError(_ordered(problems))
    return _build(folder, header, groups)


def _read(path: Path, problems: list[Problem]) -> Document | None:
    try:
        return read_pack_yaml(path)
    except InputError as exc:
        problems += exc.problems
        return None


def _model(doc: Document, model: type[M], problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems += validation_problems(doc, exc, model)
        return None


def _file_names(header: Document | None) -> list[tuple[int, str]]:
    """The control files pack.yaml lists (even when the header has other problems)."""
    files: Any = header.data.get("files") if header is not None else None
    if not isinstance(files, list):
        return []
    return [(i, name) for i, name in enumerate(files) if isinstance(name, str)]


def _group(
    folder: Path, name: str, listed: tuple[Document | None, int], problems: list[Problem]
) -> LoadedGroup | None:
    header, index = listed
    path = folder / name
    line = header.line_for(("files", index)) if header is not None else None
    where = header.path if header is not None else folder / HEADER
    if ".." in Path(name).parts or Path(name).is_absolute():
        message = f"control file '{name}' is outside the pack folder"
        problems.append(Problem(where, line, message, "list files relative to the pack folder"))
        return None
    if not name.endswith(".yaml"):
        return None  # refused by the header model's pattern check
    if not path.is_file():
        hint = "files are relative to the pack folder"
        problems.append(Problem(where, line, f"control file '{name}' not found", hint))
        return None
    doc = _read(path, problems)
    if doc is None:
        return None
    return LoadedGroup(doc, _model(doc, GroupFile, problems))


def _parts(group: LoadedGroup) -> GroupParts:
    """The valid parts of a control file, so one pass also cross-checks the good controls."""
    if group.model is not None:
        return GroupParts(group.doc, group.model.group, tuple(enumerate(group.model.controls)))
    name = group.doc.data.get("group")
    items = group.doc.data.get("controls")
    valid: list[tuple[int, Control]] = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            valid.append((index, Control.model_validate(item)))
        except ValidationError:
            continue  # reported with the file's own validation
    return GroupParts(group.doc, name if isinstance(name, str) else None, tuple(valid))


def _build(folder: Path, header: PackFile, groups: list[LoadedGroup]) -> Pack:
    info = PackInfo(
        id=header.pack.id,
        version=header.pack.version,
        title=text(header.pack.title),
        legal_basis=tuple(text(item) for item in header.pack.legal_basis),
    )
    controls: list[PackControl] = []
    titles: dict[str, LocalText] = {}
    for group in groups:
        if group.model is None:  # pragma: no cover - an invalid group raised before
            continue
        titles[group.model.group] = group.model.title
        for index, control in enumerate(group.model.controls):
            line = group.doc.line_for(("controls", index))
            controls.append(PackControl(group.model.group, control, group.doc.path, line))
    return Pack(
        path=folder,
        info=info,
        levels=tuple(sorted(header.pack.levels)),
        parameters=header.parameters,
        groups=titles,
        controls=tuple(controls),
    )


def _ordered(problems: list[Problem]) -> list[Problem]:
    """pack.yaml's problems first, then each file's, by line; each problem once."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file.name != HEADER, str(p.file), p.line or 0))
