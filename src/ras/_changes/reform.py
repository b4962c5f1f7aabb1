"""Reforms: a scheme with some of its values changed, addressed by readable dotted paths.

A path names a value the way an officer thinks of it, with list items by their id (domains,
questions, options) or label (bands), and steps, which have neither, by position::

    pricing.education.rate
    pricing.social_care.bands.B.amount
    settings.mainstream.element2
    domains.communication.cap
    domains.communication.questions.expressive_language.options.some.points
    pricing.social_care.steps.1.rate

The key paths that scheme errors print (``domains[0].cap``) are accepted too. A reform never
mutates anything: the scheme's plain data is copied, changed and validated by the same loader
as a file, so a reform is exactly as trustworthy as a scheme written by hand.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel

from ras._base import Problem, SchemeError, UsageError
from ras._format import (
    METHOD_KEYS,
    SHARED_KEYS,
    Band,
    Domain,
    IndicativeRange,
    KeyPath,
    Option,
    Pricing,
    Question,
    SchemeModel,
    Setting,
    format_key_path,
    model_changed,
)

if TYPE_CHECKING:
    from ras._scheme import Scheme

__all__ = ["Parameter", "apply_changes", "find_parameter", "parameter_table", "parameters"]

Kind = Literal["number", "text", "choice", "date"]
Value = Decimal | str | dt.date | None

# Identity and format fields are structure, not parameters: changing them would change what a
# cohort's columns mean. Everything else that is a single value can be changed.
_FIXED = frozenset({"ras_scheme", "id", "currency", "stream"})
# Version 2's words and shapes are not parameters either: how points combine and what amounts
# are per change what the figures mean, and descriptions, letters and points_word are words.
# Its new numbers (a number question's points_per_unit, min, max, step) are.
_WORDS = frozenset({"combine", "period", "description", "letter", "points_word"})
_PRICING_TABLES = frozenset({"bands", "steps"})


@dataclass(frozen=True, slots=True)
class Parameter:
    """One changeable value of a scheme: its readable path, where it lives, and what it holds."""

    path: str  # readable dotted path, the canonical name
    key: KeyPath  # where it is in the scheme's plain data
    kind: Kind
    value: Value  # the current value (None when an optional value is absent)
    optional: bool  # may be set to None (absent)

    @property
    def key_path(self) -> str:
        """The key path that scheme errors print: ``domains[0].cap``."""
        return format_key_path(self.key)


def parameters(scheme: Scheme) -> dict[str, Decimal | str | dt.date | None]:
    """Every value ``with_changes`` can change, by readable path, with its current value.

    Absent optional values (a domain with no cap, a pricing with no maximum) are listed as None:
    they can be set too. List items are named by id (domains, questions, options) or label
    (bands); steps, which have neither, by position.

    Parameters
    ----------
    scheme
        The scheme whose values are listed.

    Returns
    -------
    dict
        Readable path -> current value (Decimal, text, date or None), in the scheme's order.

    Raises
    ------
    UsageError
        ``scheme`` is not a ``ras.Scheme``.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> values = ras.parameters(scheme)
    >>> values["pricing.education.rate"], values["settings.mainstream.element2"]
    (Decimal('285'), Decimal('6000'))
    >>> values["domains.cognition.cap"] is None
    True
    """
    from ras._scheme import Scheme

    if not isinstance(scheme, Scheme):
        raise UsageError(f"parameters lists the values of a ras.Scheme, not "
                         f"{type(scheme).__name__}")
    return {p.path: p.value for p in _index(scheme.model).canonical}


def parameter_table(model: SchemeModel) -> dict[str, Parameter]:
    """Readable paths and key-path aliases -> Parameter."""
    return dict(_index(model).lookup)


def find_parameter(model: SchemeModel, path: str) -> Parameter:
    """The parameter at a path, or a SchemeError that suggests the nearest valid paths."""
    index = _index(model)
    found = index.lookup.get(path)
    if found is None:
        raise SchemeError([Problem(path, _unknown(path, index))])
    return found


def apply_changes(scheme: Scheme, changes: Mapping[str, Any]) -> Scheme:
    """A new scheme with the changes applied. Checks every change before applying any of them."""
    from ras._scheme import Scheme

    if not isinstance(changes, Mapping):
        raise UsageError(f"changes must be a mapping of path -> value, not "
                        f"{type(changes).__name__}")
    index = _index(scheme.model)
    problems: list[Problem] = []
    resolved: list[tuple[Parameter, Any, str]] = []
    seen: dict[KeyPath, str] = {}
    for path, value in changes.items():
        if not isinstance(path, str):
            problems.append(Problem(str(path), "a path must be text like 'pricing.education.rate'"))
            continue
        param = index.lookup.get(path)
        if param is None:
            problems.append(Problem(path, _unknown(path, index)))
            continue
        if param.key in seen:
            problems.append(Problem(path, f"changes the same value as '{seen[param.key]}'"))
            continue
        seen[param.key] = path
        clean, message = _coerce(param, value)
        if message is not None:
            problems.append(Problem(path, message))
            continue
        resolved.append((param, clean, path))
    if problems:
        raise SchemeError(problems)
    if not resolved:
        return scheme

    changed = model_changed(scheme.model, [(param.key, value) for param, value, _ in resolved])
    if changed is not None:
        return Scheme(changed)
    data: dict[str, Any] = dict(index.dump)
    for param, value, _ in resolved:
        _set(data, param.key, value)
    try:
        return Scheme.from_dict(data)
    except SchemeError as exc:
        # Say which change caused each problem: the officer wrote the path, not the key path.
        by_key = {param.key_path: (path, value) for param, value, path in resolved}
        raise SchemeError([_blame(p, by_key) for p in exc.problems]) from None


def _blame(problem: Problem, by_key: Mapping[str, tuple[str, Any]]) -> Problem:
    for key_path, (path, value) in by_key.items():
        if problem.key_path == key_path or problem.key_path.startswith(key_path + "."):
            shown = _shown(value)
            message = f"{problem.message} (after the change {path} = {shown})"
            return Problem(problem.key_path, message, problem.line, problem.file)
    return Problem(problem.key_path, f"{problem.message} (after the changes)", problem.line,
                   problem.file)


def _shown(value: Any) -> str:
    """A changed value for a message: a number in full unless that is long (1E+400 written out
    is 401 digits), then as Decimal writes it."""
    if isinstance(value, Decimal):
        full = format(value, "f")
        return full if len(full) <= 40 else str(value)
    return repr(value)


def _coerce(param: Parameter, value: Any) -> tuple[Any, str | None]:
    """The value as plain data for the loader, or why it cannot be one."""
    if value is None:
        if param.optional:
            return None, None
        return None, "cannot be removed (set to None): the format requires it"
    if param.kind == "number":
        number = _as_decimal(value)
        if number is None:
            return None, f"must be a number (found {value!r})"
        return number, None
    if param.kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value, None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value), None
            except ValueError:
                pass
        return None, f"must be a date like 2026-04-01 (found {value!r})"
    if isinstance(value, str):
        return value, None
    return None, f"must be text (found {value!r})"


def _as_decimal(value: Any) -> Decimal | None:
    """Exact Decimal of a number; floats by their shortest repr (0.1 is one tenth)."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, np.integer):
        value = int(value)
    elif isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _set(data: dict[str, Any], key: KeyPath, value: Any) -> None:
    """Set a value, copying only the containers on its path: the rest stays shared with the
    cached plain data of the scheme, which is never changed (a sweep makes hundreds of these)."""
    node: Any = data
    for i, part in enumerate(key[:-1]):
        child = node[part]
        if child is None:  # an absent optional block (indicative_range): create it
            child = {} if isinstance(key[i + 1], str) else []
        else:
            child = dict(child) if isinstance(child, dict) else list(child)
        node[part] = child
        node = child
    node[key[-1]] = value


# The index of a scheme's parameters ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Index:
    canonical: tuple[Parameter, ...]
    lookup: Mapping[str, Parameter]
    dump: Mapping[str, Any]  # the scheme's plain data; shared, so never changed in place


_CACHE: dict[int, tuple[SchemeModel, _Index]] = {}


def _index(model: SchemeModel) -> _Index:
    """Every parameter of a scheme, built once per model (sweeps ask for it many times)."""
    cached = _CACHE.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    canonical = tuple(_walk(model, type(model), (), (), model.ras_scheme))
    lookup: dict[str, Parameter] = {}
    clashes: set[str] = set()
    for param in canonical:
        if param.path in lookup:
            clashes.add(param.path)  # two values print alike (ids with dots): use key paths
        lookup[param.path] = param
    for path in clashes:
        del lookup[path]
    for param in canonical:
        lookup.setdefault(param.key_path, param)
    index = _Index(tuple(p for p in canonical if p.path not in clashes), lookup,
                   model.model_dump())
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[id(model)] = (model, index)
    return index


def _walk(
    obj: BaseModel | None, cls: type[BaseModel], tokens: tuple[str, ...], key: KeyPath,
    version: int,
) -> Iterator[Parameter]:
    for name, field in cls.model_fields.items():
        if name in _FIXED or name in _WORDS or not _applies(obj, name):
            continue
        current = getattr(obj, name) if obj is not None else None  # an absent block
        annotation = field.annotation
        here_tokens, here_key = (*tokens, name), (*key, name)
        kind = _leaf_kind(annotation)
        if kind is not None:
            optional = obj is None or (not field.is_required() and field.default is None
                                       and not _needed(obj, name, version))
            yield Parameter(".".join(here_tokens), here_key, kind, current, optional)
            continue
        nested = _model_of(annotation)
        if nested is not None:
            if current is not None or nested is IndicativeRange:
                yield from _walk(current, nested, here_tokens, here_key, version)
            continue
        for item_cls, container in _containers(annotation):
            if container == "tuple" and isinstance(current, tuple):
                for i, item in enumerate(current):
                    token = _item_token(item, i)
                    yield from _walk(item, item_cls, (*here_tokens, token), (*here_key, i),
                                     version)
            elif container == "dict" and isinstance(current, dict):
                for k, item in current.items():
                    yield from _walk(item, item_cls, (*here_tokens, k), (*here_key, k), version)


def _needed(obj: BaseModel, name: str, version: int) -> bool:
    """Optional in the model, required by the format: element 1 in version 1 and in a
    whole_place setting (its top-up depends on it)."""
    return (isinstance(obj, Setting) and name == "element1"
            and (version == 1 or obj.ras_covers == "whole_place"))


def _applies(obj: BaseModel | None, name: str) -> bool:
    """Only the keys a pricing's method takes are its parameters."""
    if isinstance(obj, Pricing):
        if name in _PRICING_TABLES:
            return getattr(obj, name) is not None
        if name == "method":
            return True
        return name in METHOD_KEYS[obj.method] | SHARED_KEYS
    return True


def _item_token(item: BaseModel, position: int) -> str:
    if isinstance(item, Domain | Question | Option):
        return item.id
    if isinstance(item, Band):
        return item.label
    return str(position)


def _members(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, typing.get_origin(int | None)):
        out: tuple[Any, ...] = ()
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out += _members(arg)
        return out
    return (annotation,)


def _leaf_kind(annotation: Any) -> Kind | None:
    for member in _members(annotation):
        if member is Decimal:
            return "number"
        if member is dt.date:
            return "date"
        if member is str:
            return "text"
        if typing.get_origin(member) is Literal:
            return "choice"
    return None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


def _containers(annotation: Any) -> Iterator[tuple[type[BaseModel], str]]:
    for member in _members(annotation):
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if origin is tuple and args and _model_of(args[0]) is not None:
            item = _model_of(args[0])
            assert item is not None
            yield item, "tuple"
        elif origin is dict and len(args) == 2 and _model_of(args[1]) is not None:
            item = _model_of(args[1])
            assert item is not None
            yield item, "dict"


def _unknown(path: str, index: _Index) -> str:
    names = [p.path for p in index.canonical]
    close = difflib.get_close_matches(path, names, n=3, cutoff=0.6)
    if not close:
        # Nothing close as a whole: offer what lives under the longest prefix that exists.
        parts = path.split(".")
        for end in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:end]) + "."
            under = [n for n in names if n.startswith(prefix)]
            if under:
                close = difflib.get_close_matches(path, under, n=3, cutoff=0) or under[:3]
                break
    message = "no such value in the scheme"
    if close:
        message += "; did you mean " + _or([f"'{c}'" for c in close]) + "?"
    return message + " (ras.parameters(scheme) lists every path)"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
