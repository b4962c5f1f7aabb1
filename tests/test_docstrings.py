"""Every public function and method has a numpy-style docstring: a summary line, then
``Parameters`` naming each parameter (when it takes any), ``Returns`` (when it returns
something), ``Raises`` (for every function that takes arguments: what a caller's mistake gives;
for a method, where it can refuse one) and ``Examples`` (that run: pytest runs them as
doctests).

Checked room by room (``ROOMS``, now every room that has a public function), so that a new
room's public functions are checked from the start. Classes need a docstring too, but not the
sections: their methods carry them."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ras

ROOMS = ("_changes", "_engine", "_faces", "_format", "_plans", "_reasons", "_scheme")

_SECTION = "^ *{}\n *-{{3,}}$"


def _public() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(dotted name, function) of every public function and of every public class's own
    public methods, in the rooms checked."""
    for name in ras.__all__:
        obj = getattr(ras, name)
        if inspect.isclass(obj):
            if issubclass(obj, BaseException):
                continue
            for attribute, member in vars(obj).items():
                if attribute.startswith("_"):
                    continue
                function = member.__func__ if isinstance(member, classmethod | staticmethod) \
                    else member
                if inspect.isfunction(function):
                    yield f"{name}.{attribute}", function
        elif inspect.isfunction(obj):
            yield name, obj


def _room(function: Callable[..., Any]) -> str:
    return function.__module__.split(".")[1]


CHECKED = [(name, f) for name, f in _public() if _room(f) in ROOMS]


def _has(doc: str, section: str) -> bool:
    return re.search(_SECTION.format(section), doc, flags=re.M) is not None


@pytest.mark.parametrize(("name", "function"), CHECKED, ids=[name for name, _ in CHECKED])
def test_numpy_style_docstring(name: str, function: Callable[..., Any]) -> None:
    doc = inspect.getdoc(function) or ""
    assert doc, f"{name} has no docstring"
    signature = inspect.signature(function)
    takes = [p for p in signature.parameters if p not in ("self", "cls")]
    missing = []
    if takes and not _has(doc, "Parameters"):
        missing.append("Parameters")
    returns = signature.return_annotation
    if returns not in (None, "None", inspect.Signature.empty) and not _has(doc, "Returns"):
        missing.append("Returns")
    if takes and "." not in name and not _has(doc, "Raises"):
        missing.append("Raises")
    if not _has(doc, "Examples"):
        missing.append("Examples")
    assert not missing, f"{name} ({function.__module__}): no {', '.join(missing)} section"
    if takes:
        listed = doc.split("Parameters", 1)[1].split("Returns", 1)[0]
        unnamed = [p for p in takes if not re.search(rf"^ *{re.escape(p)}\b", listed, re.M)]
        assert not unnamed, f"{name}: Parameters does not name {', '.join(unnamed)}"


def test_every_room_with_public_functions_is_checked() -> None:
    rooms = {_room(f) for _, f in _public()}
    assert rooms <= set(ROOMS), f"add {sorted(rooms - set(ROOMS))} to ROOMS (and write them)"


def test_every_public_class_says_what_it_is() -> None:
    bare = [name for name in ras.__all__ if inspect.isclass(getattr(ras, name))
            and not (getattr(ras, name).__doc__ or "").strip()]
    assert not bare, f"no docstring: {bare}"
