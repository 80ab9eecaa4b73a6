"""Find the pydantic model that describes a place in the data (for "did you mean" hints)."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from socaudit.inventory.yamlbuild import Loc


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model whose keys are valid at ``loc`` (list indexes and dict keys are skipped)."""
    model = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = _field(model, part)
        if field is None:
            continue  # a free-form key, e.g. a system id in an evidence file
        nested = _model_in(field)
        if nested is None:
            return None
        model = nested
    return model


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The keys a file may use for ``model`` (aliases where they exist)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _field(model: type[BaseModel], key: str) -> object | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
