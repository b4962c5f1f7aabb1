"""Audit records: what was calculated, from which answers, under which scheme, by which ras.

A family may ask for a review, and a council may have to show years later how an amount was
reached. So a budget can be written down as plain JSON (``Budget.to_record``) and checked again
(``verify``): the record's answers are recalculated under the scheme given and every figure that
differs is listed. A record made under a different scheme (another fingerprint) is refused,
because comparing figures across schemes would prove nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ras._base import AnswerError, FingerprintError, RecordError

if TYPE_CHECKING:
    from ras._scheme import Budget, Scheme

__all__ = ["RECORD_FORMAT", "RECORD_KIND", "Difference", "VerificationReport", "budget_record",
           "verify"]

RECORD_KIND = "ras.budget"
RECORD_FORMAT = 1
_CHECKED = ("scheme", "inputs", "outputs")  # kind, format and ras_version are not results


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def budget_record(budget: Budget) -> dict[str, Any]:
    """Everything needed to reproduce and check a budget, as JSON-ready data.

    Inputs are option ids (never positions, which change meaning if a scheme's options are
    reordered); money is Decimal pounds written as text ("2400.00"), or None when referred.
    """
    from ras._base import (
        __version__,  # at call time: ras/__init__ imports the modules that call this
    )

    return {
        "kind": RECORD_KIND,
        "format": RECORD_FORMAT,
        "ras_version": __version__,
        "scheme": {
            "id": budget.scheme_id,
            "version": budget.scheme_version,
            "fingerprint": budget.scheme_fingerprint,
        },
        "inputs": {"answers": dict(budget.answers), "setting": budget.setting},
        "outputs": {
            "domain_points": {k: _text(v) for k, v in budget.domain_points.items()},
            "stream_points": {k: _text(v) for k, v in budget.stream_points.items()},
            "stream_amounts": {k: _text(v) for k, v in budget.stream_amounts.items()},
            "bands": dict(budget.bands),
            "ranges": {k: None if r is None else [_text(r[0]), _text(r[1])]
                       for k, r in budget.ranges.items()},
            "reviews": dict(budget.reviews),
            "element1": _text(budget.element1),
            "element2": _text(budget.element2),
            "element3": _text(budget.element3),
            "personal_sen_budget": _text(budget.personal_sen_budget),
            "total_personal_budget": _text(budget.total_personal_budget),
        },
    }


@dataclass(frozen=True, slots=True)
class Difference:
    """One figure that a record and its recalculation disagree on.

    ``key`` is a dotted path into the record (``outputs.stream_amounts.education``). A key
    that only one side has is shown with ``None`` on the other side and says so in ``note``.
    """

    key: str
    recorded: Any
    recomputed: Any
    note: str = ""

    def __str__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.key}: recorded {self.recorded!r}, recomputed {self.recomputed!r}{note}"


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """The differences between a record and its recalculation: empty when they agree.

    Iterate it, take ``len()`` or test ``.ok``. ``recorded_ras_version`` is kept so that a
    difference can be traced to a change of library version.
    """

    differences: tuple[Difference, ...]
    scheme_id: str
    scheme_version: str
    scheme_fingerprint: str
    recorded_ras_version: str | None
    ras_version: str

    @property
    def ok(self) -> bool:
        """True when every recorded figure is what the scheme gives today."""
        return not self.differences

    def __len__(self) -> int:
        return len(self.differences)

    def __iter__(self) -> Iterator[Difference]:
        return iter(self.differences)

    def __str__(self) -> str:
        head = (f"record checked against scheme {self.scheme_id!r} version "
                f"{self.scheme_version!r} with ras {self.ras_version} "
                f"(recorded with ras {self.recorded_ras_version})")
        if self.ok:
            return f"{head}: every figure agrees"
        lines = [f"{head}: {len(self.differences)} difference(s)"]
        return "\n".join(lines + [f"  - {d}" for d in self.differences])


def verify(record: Mapping[str, Any] | str | bytes, scheme: Scheme) -> VerificationReport:
    """Recalculate a record under `scheme` and report every figure that differs.

    `record` is what ``Budget.to_record()`` gave, as data or as JSON text. Raises
    ``FingerprintError`` when the record was made under another scheme, and ``RecordError``
    when it is not a budget record or its inputs cannot be scored.
    """
    from ras._base import __version__

    data = _load(record)
    recorded_scheme = _section(data, "scheme")
    fingerprint = recorded_scheme.get("fingerprint")
    if fingerprint != scheme.fingerprint:
        raise FingerprintError(recorded=fingerprint, expected=scheme.fingerprint,
                               recorded_scheme=_describe(recorded_scheme),
                               scheme=f"{scheme.id!r} version {scheme.version!r}")
    inputs = _section(data, "inputs")
    answers, setting = inputs.get("answers"), inputs.get("setting")
    if not isinstance(answers, Mapping) or not isinstance(setting, str):
        raise RecordError("inputs: a record needs `answers` (question id -> option id) and "
                          "`setting` (a setting id)", key_path="inputs")
    try:
        budget = scheme.calculate(answers, setting=setting)
    except AnswerError as exc:
        raise RecordError(f"inputs: the recorded answers cannot be scored under this scheme: "
                          f"{exc}", key_path="inputs") from exc
    fresh = budget_record(budget)
    differences: list[Difference] = []
    for section in _CHECKED:
        differences += _compare(section, data.get(section), fresh[section])
    recorded_version = data.get("ras_version")
    return VerificationReport(
        differences=tuple(differences),
        scheme_id=scheme.id,
        scheme_version=scheme.version,
        scheme_fingerprint=scheme.fingerprint,
        recorded_ras_version=recorded_version if isinstance(recorded_version, str) else None,
        ras_version=__version__,
    )


def _load(record: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    if isinstance(record, str | bytes):
        try:
            record = json.loads(record)
        except ValueError as exc:
            raise RecordError(f"the record is not valid JSON: {exc}") from None
        except RecursionError:
            raise RecordError("the record is nested far too deeply to be a record from "
                              "Budget.to_record()") from None
    if not isinstance(record, Mapping):
        raise RecordError(f"a record is a mapping (what Budget.to_record() gives), "
                          f"not {type(record).__name__}")
    kind, version = record.get("kind"), record.get("format")
    if kind != RECORD_KIND:
        raise RecordError(f"kind: expected {RECORD_KIND!r}, found {kind!r}; "
                          "is this a record from Budget.to_record()?", key_path="kind")
    if version != RECORD_FORMAT:
        raise RecordError(f"format: this version of ras reads record format {RECORD_FORMAT}, "
                          f"found {version!r}", key_path="format")
    return record


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = data.get(name)
    if not isinstance(section, Mapping):
        raise RecordError(f"{name}: missing from the record, or not a mapping", key_path=name)
    return section


def _describe(scheme: Mapping[str, Any]) -> str:
    return f"{scheme.get('id')!r} version {scheme.get('version')!r}"


def _compare(key: str, recorded: Any, fresh: Any) -> list[Difference]:
    """Walk both sides together; numbers written differently but equal are the same."""
    if isinstance(recorded, Mapping) and isinstance(fresh, Mapping):
        out: list[Difference] = []
        for name in dict.fromkeys([*fresh, *recorded]):
            child = f"{key}.{name}"
            if name not in recorded:
                out.append(Difference(child, None, fresh[name], "missing from the record"))
            elif name not in fresh:
                out.append(Difference(child, recorded[name], None, "not in the recalculation"))
            else:
                out += _compare(child, recorded[name], fresh[name])
        return out
    if isinstance(recorded, list) and isinstance(fresh, list) and len(recorded) == len(fresh):
        if all(_same(a, b, _numeric(key)) for a, b in zip(recorded, fresh, strict=True)):
            return []
        return [Difference(key, recorded, fresh)]
    return [] if _same(recorded, fresh, _numeric(key)) else [Difference(key, recorded, fresh)]


def _numeric(key: str) -> bool:
    """Points and money: "2400.0" and "2400.00" are the same figure. Labels are text."""
    return key.startswith("outputs.") and not key.startswith(("outputs.bands.",
                                                              "outputs.reviews."))


def _same(a: Any, b: Any, numeric: bool = True) -> bool:
    if a == b:
        return True
    if numeric and isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return False
