"""Audit records: what was calculated, from which answers, under which scheme, by which ras.

A family may ask for a review, and a council may have to show years later how an amount was
reached. So a budget can be written down as plain JSON (``Budget.to_record``) and checked again
(``verify``): the record's answers are recalculated under the scheme given and every figure that
differs is listed. A record made under a different scheme (another fingerprint) is refused,
because comparing figures across schemes would prove nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ras._base import AnswerError, FingerprintError, RecordError

if TYPE_CHECKING:
    from ras._scheme import Budget, Scheme

__all__ = ["RECORD_FORMAT", "RECORD_KIND", "Difference", "VerificationReport", "budget_record",
           "read_record", "verify"]

RECORD_KIND = "ras.budget"
RECORD_FORMAT = 1
_CHECKED = ("scheme", "inputs", "outputs")  # kind, format and ras_version are not results

# A record leaves the system and may come back edited: it is read strictly. These are the keys
# budget_record writes; anything else at these levels is refused, not ignored.
_KEYS = {"": ("kind", "format", "ras_version", "scheme", "inputs", "outputs"),
         "scheme": ("id", "version", "fingerprint"), "inputs": ("answers", "setting")}
_FIGURE_MAPS = ("domain_points", "stream_points", "stream_amounts")
_FIGURES = ("element1", "element2", "element3", "personal_sen_budget", "total_personal_budget")
_TEXT_MAPS = ("bands", "reviews")
# how budget_record writes a figure: digits, and a point with digits ("2400.00", "8", "-3.5");
# not "2_400.00", " 2400.00", "+2400", "2.4e3", which Decimal would read as the same number
_FIGURE = re.compile(r"-?[0-9]+(\.[0-9]+)?")


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
    """Recalculate a record under ``scheme`` and report every figure that differs.

    Parameters
    ----------
    record
        What ``Budget.to_record()`` gave, as data or as JSON text.
    scheme
        The scheme the record says it was made under (the same fingerprint).

    Returns
    -------
    VerificationReport
        ``.ok`` when every figure agrees; otherwise each differing figure, recorded and now.

    Raises
    ------
    FingerprintError
        The record was made under another scheme (its fingerprint differs).
    RecordError
        Not a budget record, or its inputs cannot be scored.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
    >>> report = ras.verify(budget.to_record(), scheme)
    >>> report.ok
    True
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
    _section(data, "outputs")
    answers, setting = inputs.get("answers"), inputs.get("setting")
    if not isinstance(answers, Mapping):
        raise RecordError(f"inputs.answers must map question ids to answers, not "
                          f"{_shown(answers) if answers is None else _kind(answers)}",
                          key_path="inputs.answers")
    if (not isinstance(setting, str)
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())):
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


def read_record(record: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    """A budget record read strictly before any scheme is at hand: its kind and format, its
    keys, its sections, the figures as a record writes them, and the fingerprint that says
    which scheme to check it against. RecordError, naming the part at fault, if it is not one
    (the service answers that 422, and 404 only for a record whose scheme is not loaded)."""
    data = _load(record)
    fingerprint = _section(data, "scheme").get("fingerprint")
    if fingerprint is None:
        raise RecordError("scheme.fingerprint: missing from the record; it names the scheme "
                          "the record was made under", key_path="scheme.fingerprint")
    _section(data, "inputs")
    _section(data, "outputs")
    return data


def _load(record: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    if isinstance(record, str | bytes):
        try:
            record = json.loads(record, object_pairs_hook=_unique_keys,
                                parse_constant=_no_constant)
        except RecordError:
            raise
        except RecursionError:
            raise RecordError("the record is nested far too deeply to be a budget record "
                              "(what Budget.to_record() gives)") from None
        except ValueError as exc:
            raise RecordError(f"the record is not valid JSON: {exc}") from None
    if not isinstance(record, Mapping):
        raise RecordError(f"a record is a mapping (what Budget.to_record() gives), "
                          f"not {type(record).__name__}")
    _known_keys(record, "")
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
    if name in _KEYS:
        _known_keys(section, name)
    if name == "scheme":
        for key, value in section.items():
            if not isinstance(value, str):
                raise RecordError(f"scheme.{key}: must be text, not {_shown(value)}",
                                  key_path=f"scheme.{key}")
    if name == "outputs":
        _figures_as_written(section)
    return section


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: of two values for one key, json would keep
    the last without a word, and a record could show one figure and be checked on another."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise RecordError(f"the record gives the key {key!r} twice; a record has one "
                              "value for each key")
        out[key] = value
    return out


def _shown(value: Any) -> str:
    """A value for a message: text and numbers as written, anything else by its kind (a
    mapping nested ten thousand deep cannot even be repr'd)."""
    if value is None or isinstance(value, str | int | float | Decimal):
        return repr(value)
    return f"a {type(value).__name__}"


def _kind(value: Any) -> str:
    kinds = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _no_constant(name: str) -> Any:
    raise RecordError(f"the record holds {name}, which is not JSON and not a figure")


def _known_keys(section: Mapping[str, Any], name: str) -> None:
    unknown = [str(k) for k in section if k not in _KEYS[name]]
    if unknown:
        where = f"{name}." if name else ""
        raise RecordError(
            f"{where}{unknown[0]}: not a key of a budget record"
            f"{' section ' + repr(name) if name else ''}; its keys are "
            f"{', '.join(_KEYS[name])} (an edited record is not checked, it is refused)",
            key_path=f"{where}{unknown[0]}")


def _figures_as_written(outputs: Mapping[str, Any]) -> None:
    """Every figure is text as budget_record writes it, or None; every label text or None."""
    def figure(value: Any, key: str) -> None:
        if value is not None and not (isinstance(value, str) and _FIGURE.fullmatch(value)):
            raise RecordError(f"{key}: {_shown(value)} is not a figure as a record writes it "
                              "(text of digits with a decimal point, like '2400.00')",
                              key_path=key)

    for name, value in outputs.items():
        key = f"outputs.{name}"
        if name in _FIGURES:
            figure(value, key)
        elif name in (*_FIGURE_MAPS, *_TEXT_MAPS, "ranges"):
            if not isinstance(value, Mapping):
                raise RecordError(f"{key}: must be a mapping of stream or domain ids",
                                  key_path=key)
            for part, item in value.items():
                where = f"{key}.{part}"
                if name in _FIGURE_MAPS:
                    figure(item, where)
                elif name == "ranges":
                    if item is not None and not (isinstance(item, list) and len(item) == 2):
                        raise RecordError(f"{where}: a range is [lower, upper] or null",
                                          key_path=where)
                    for bound in item or ():
                        figure(bound, where)
                elif item is not None and not isinstance(item, str):
                    raise RecordError(f"{where}: must be text or null, not {_shown(item)}",
                                      key_path=where)
        elif isinstance(value, Mapping | list):  # not in the recalculation: shown, not walked
            raise RecordError(f"{key}: not a figure of a budget record", key_path=key)


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
