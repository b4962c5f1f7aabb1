"""Schemes over time: a folder of scheme versions, and the one in force on each date.

Councils publish a new version of their scheme most Aprils. A `SchemeSet` holds every version,
refuses at load time two versions of one scheme whose effective periods overlap (so that the
scheme in force on a date is never a matter of file order), and calculates a dated cohort with,
for each row, the version in force on its date: one kernel call per version, not per row.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import (
    AnswerError,
    AnswerProblem,
    CalculationError,
    Problem,
    SchemeError,
    UsageError,
    a_kind,
    path_text,
)
from ras._plans.periods import DateLike, _as_date
from ras._scheme import Scheme, load_scheme

__all__ = ["SchemeSet", "load_schemes"]

SCHEME_SUFFIXES = (".yaml", ".yml")


def load_schemes(folder: str | os.PathLike[str]) -> SchemeSet:
    """Load every scheme file (``*.yaml``, ``*.yml``) directly inside `folder` as one set.

    A file that is not a valid scheme raises its own `SchemeError`; two versions of one scheme id
    whose effective periods overlap raise a `SchemeError` naming both files.

    Parameters
    ----------
    folder
        The folder of scheme files (files in folders inside it are not read).

    Returns
    -------
    SchemeSet
        Every version, ordered by id and start date.

    Raises
    ------
    SchemeError
        A file that is not a valid scheme, or two versions of one id in force on one day.
    CalculationError
        A folder that is not there or has no scheme file.
    UsageError
        A folder that is neither text nor a ``pathlib.Path``.

    Examples
    --------
    >>> import ras
    >>> schemes = ras.load_schemes("scoring_schemes")       # the example schemes
    >>> "northshire-points-rate" in schemes.ids
    True
    """
    path = Path(path_text(folder, "load_schemes"))
    if not path.is_dir():
        raise CalculationError(f"{os.fspath(folder)} is not a folder of scheme files")
    files = sorted(p for p in path.iterdir()
                   if p.suffix.lower() in SCHEME_SUFFIXES and p.is_file())  # .YAML too
    if not files:
        raise CalculationError(
            f"{os.fspath(folder)} holds no scheme files ({', '.join(SCHEME_SUFFIXES)})"
        )
    return SchemeSet(load_scheme(file) for file in files)


class SchemeSet(Sequence[Scheme]):
    """Scheme versions ordered by id and start date, at most one per id in force on any day.

    Different scheme ids may overlap (an early-years and a school-age scheme, say); then
    `for_date` and `calculate_frame` need `scheme_id` to choose between them.
    """

    __slots__ = ("_schemes",)

    def __init__(self, schemes: Iterable[Scheme]) -> None:
        if isinstance(schemes, Scheme | str | bytes) or not isinstance(schemes, Iterable):
            raise UsageError(f"SchemeSet() takes a list of ras.Scheme objects, not "
                             f"{a_kind(schemes)} (ras.load_schemes(folder) loads a folder)")
        given = list(schemes)
        for i, scheme in enumerate(given):
            if not isinstance(scheme, Scheme):
                raise UsageError(f"schemes[{i}] is {a_kind(scheme)}, not a ras.Scheme")
        ordered = tuple(sorted(given, key=lambda s: (s.id, s.effective_from)))
        _check_versions(ordered)
        self._schemes = ordered

    # a read-only sequence of schemes -----------------------------------------------------------

    @property
    def schemes(self) -> tuple[Scheme, ...]:
        return self._schemes

    @property
    def ids(self) -> tuple[str, ...]:
        """The distinct scheme ids, sorted."""
        return tuple(dict.fromkeys(s.id for s in self._schemes))

    def __getitem__(self, index: Any) -> Any:
        return self._schemes[index]

    def __len__(self) -> int:
        return len(self._schemes)

    def __iter__(self) -> Iterator[Scheme]:
        return iter(self._schemes)

    def __repr__(self) -> str:
        lines = [f"<SchemeSet of {len(self)} scheme(s)"]
        lines += [f"  {_describe(s)}" for s in self._schemes]
        return "\n".join(lines) + ">"

    def to_frame(self) -> pd.DataFrame:
        """One row per version: what is in force when, from which file.

        Returns
        -------
        pandas.DataFrame
            ``scheme_id``, ``scheme_version``, ``effective_from``, ``effective_to``,
            ``fingerprint`` and ``source``.

        Examples
        --------
        >>> import ras
        >>> schemes = ras.load_schemes("scoring_schemes")       # the example schemes
        >>> frame = schemes.to_frame().set_index("scheme_id")
        >>> frame.loc["northshire-points-rate", "scheme_version"]
        '2026-27'
        """
        return pd.DataFrame(
            {
                "scheme_id": [s.id for s in self._schemes],
                "scheme_version": [s.version for s in self._schemes],
                "effective_from": [s.effective_from for s in self._schemes],
                "effective_to": [s.effective_to for s in self._schemes],
                "fingerprint": [s.fingerprint for s in self._schemes],
                "source": [s.source for s in self._schemes],
            }
        )

    # choosing by date ----------------------------------------------------------------------------

    def for_date(self, when: DateLike, *, scheme_id: str | None = None) -> Scheme:
        """The scheme in force on ``when``; an error if none or several.

        Parameters
        ----------
        when
            A date, or an ISO date text.
        scheme_id
            Which scheme, where several different ones are in force together.

        Returns
        -------
        Scheme
            The version in force that day.

        Raises
        ------
        CalculationError
            No version in force that day, or several (name one with ``scheme_id``), or a date
            that is not one.

        Examples
        --------
        >>> import ras
        >>> schemes = ras.load_schemes("scoring_schemes")       # the example schemes
        >>> schemes.for_date("2026-09-01", scheme_id="westmoor-need-levels").version
        '2026-27'
        """
        day = _as_date(when, "date")
        candidates = self._candidates(scheme_id)
        found = [s for s in candidates if s.in_force(day)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise CalculationError(f"no scheme is in force on {day}; {_coverage(candidates)}")
        raise CalculationError(_several(day, found))

    def calculate_frame(
        self,
        cohort: pd.DataFrame,
        date_column: str = "date",
        *,
        errors: Literal["raise", "flag"] = "raise",
        scheme_id: str | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Each row calculated with the scheme in force on its date in `date_column`.

        Rows are grouped by version and each group goes through `Scheme.calculate_frame` once. The
        result has one row per input row, in input order, with the cohort's index, the columns of
        every version used (missing where a row's version lacks them), and `scheme_id` and
        `scheme_version` first. A missing or unreadable date, or a date that no scheme (or more
        than one) covers, is an `AnswerError` naming the row, or with ``errors="flag"`` a
        row with an `error` and no figures.

        Parameters
        ----------
        cohort
            One row per child, as for ``Scheme.calculate_frame``, with a column of dates.
        date_column
            The column of dates (dates, timestamps or ISO text) that choose each row's version.
        errors
            ``"raise"`` (the default) or ``"flag"``.
        scheme_id
            Which scheme, where several different ones are in force together.
        options
            Passed to ``Scheme.calculate_frame`` (``columns=``, say).

        Returns
        -------
        pandas.DataFrame
            ``scheme_id`` and ``scheme_version``, then every figure, one row per input row.

        Raises
        ------
        AnswerError
            With ``errors="raise"``, rows whose date no version covers, or whose answers cannot
            be scored.
        CalculationError
            A missing date column, or several schemes in force without ``scheme_id``.

        Examples
        --------
        >>> import ras
        >>> schemes = ras.load_schemes("scoring_schemes")       # the example schemes
        >>> cohort = pd.DataFrame({q: [1] for q in schemes.for_date(
        ...     "2026-09-01", scheme_id="northshire-points-rate").question_ids})
        >>> cohort["setting"], cohort["date"] = "mainstream", "2026-09-01"
        >>> frame = schemes.calculate_frame(cohort, scheme_id="northshire-points-rate")
        >>> frame.loc[0, "scheme_version"], float(frame.loc[0, "element3"])
        ('2026-27', 3050.0)
        """
        if date_column not in cohort.columns:
            raise CalculationError(
                f"the cohort has no {date_column!r} column to choose each row's scheme by; "
                f"pass date_column= to name it (columns are {', '.join(map(str, cohort.columns))})"
            )
        if errors not in ("raise", "flag"):
            raise CalculationError(f"errors must be 'raise' or 'flag', not {errors!r}")
        candidates = self._candidates(scheme_id)
        which, problems = self._assign(cohort, date_column, candidates)
        if problems and errors == "raise":
            raise AnswerError(problems, len(problems))

        n = len(cohort)
        pieces: list[pd.DataFrame] = []
        for k in np.unique(which[which >= 0]):
            scheme = candidates[int(k)]
            positions = np.flatnonzero(which == k)
            result = scheme.calculate_frame(cohort.iloc[positions], errors=errors, **options)
            result.insert(0, "scheme_version", scheme.version)
            result.insert(0, "scheme_id", scheme.id)
            pieces.append(result.set_axis(pd.Index(positions)))

        if pieces:
            frame = pd.concat(pieces).reindex(pd.RangeIndex(n))
        else:  # no row has a scheme (or no rows): the columns of every candidate
            names = dict.fromkeys(c for s in candidates for c in s.output_columns)
            extra = ["error"] if errors == "flag" else []
            frame = pd.DataFrame(
                index=pd.RangeIndex(n), columns=["scheme_id", "scheme_version", *names, *extra]
            )
        if problems:
            bad = np.flatnonzero(which < 0)
            frame.loc[bad, "error"] = [p.message for p in problems]
        for name in frame.columns:
            if name == "error" or str(name).endswith("_review"):
                frame[name] = frame[name].fillna("")  # nothing to say: empty, as the engine does
        return frame.set_axis(cohort.index)

    # internals ----------------------------------------------------------------------------------

    def _candidates(self, scheme_id: str | None) -> tuple[Scheme, ...]:
        if scheme_id is None:
            return self._schemes
        chosen = tuple(s for s in self._schemes if s.id == scheme_id)
        if not chosen:
            raise CalculationError(
                f"no scheme has id {scheme_id!r}; the ids are {', '.join(self.ids) or '(none)'}"
            )
        return chosen

    def _assign(
        self, cohort: pd.DataFrame, date_column: str, candidates: Sequence[Scheme]
    ) -> tuple[npt.NDArray[np.intp], list[AnswerProblem]]:
        """For each row, the position in `candidates` of its scheme, or -1 with a problem."""
        raw = cohort[date_column]
        days = _days(raw)
        which = np.full(len(cohort), -1, dtype=np.intp)
        count = np.zeros(len(cohort), dtype=np.intp)
        for k, scheme in enumerate(candidates):
            covered = days >= np.datetime64(scheme.effective_from, "D")
            if scheme.effective_to is not None:
                covered &= days <= np.datetime64(scheme.effective_to, "D")
            which[covered] = k
            count += covered
        which[count != 1] = -1

        problems: list[AnswerProblem] = []
        labels = cohort.index
        missing = raw.isna().to_numpy()
        for i in np.flatnonzero(count != 1).tolist():
            if missing[i]:
                message = "no date: each row needs the date that chooses its scheme"
            elif np.isnat(days[i]):
                message = f"{raw.iloc[i]!r} is not a date; expected an ISO date like 2026-09-01"
            elif count[i] == 0:
                day = days[i].item()
                message = f"no scheme is in force on {day}; {_coverage(candidates)}"
            else:
                day = days[i].item()
                message = _several(day, [s for s in candidates if s.in_force(day)])
            problems.append(AnswerProblem(labels[i], date_column, message))
        return which, problems


def _days(values: pd.Series[Any]) -> npt.NDArray[np.datetime64]:
    """Dates as numpy days; anything missing or not a date (an ISO string, a date) becomes NaT.

    A timestamp keeps its own calendar day. Timestamps at different UTC offsets (GMT and BST in
    one export) cannot share one time zone: pandas refuses such text, and turns such objects
    into NaT, so those values are read again one distinct value at a time.
    """
    try:
        parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
    except ValueError:  # "Mixed timezones detected"
        return _one_by_one(values)
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_localize(None)
    days: npt.NDArray[np.datetime64] = parsed.to_numpy(dtype="datetime64[D]")
    lost = np.isnat(days) & values.notna().to_numpy()
    if lost.any():
        days[lost] = _one_by_one(values[lost])
    return days


def _one_by_one(values: pd.Series[Any]) -> npt.NDArray[np.datetime64]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    days = np.array([_day(v) for v in uniques] + [np.datetime64("NaT", "D")],
                    dtype="datetime64[D]")
    found: npt.NDArray[np.datetime64] = days[codes]  # code -1 (missing) picks the trailing NaT
    return found


def _day(value: Any) -> np.datetime64:
    """One value's calendar day, whatever its offset; NaT if it is not a date."""
    try:
        stamp = pd.to_datetime(value, errors="coerce", format="ISO8601")
    except (TypeError, ValueError):
        return np.datetime64("NaT", "D")
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        return np.datetime64("NaT", "D")
    return np.datetime64(stamp.date(), "D")


def _check_versions(schemes: Sequence[Scheme]) -> None:
    """Versions of one scheme id may not overlap, nor share a version name."""
    problems: list[Problem] = []
    by_id: dict[str, list[Scheme]] = {}
    for scheme in schemes:
        by_id.setdefault(scheme.id, []).append(scheme)
    for versions in by_id.values():  # each sorted by effective_from
        for i, later in enumerate(versions):
            for earlier in versions[:i]:
                if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                    problems.append(
                        Problem(
                            "effective_from",
                            f"{_describe(later)} overlaps {_describe(earlier)}: versions of one "
                            "scheme may not both be in force on a day; end the earlier one "
                            "with effective_to the day before the later one starts",
                            file=later.source,
                        )
                    )
                elif earlier.version == later.version:
                    problems.append(
                        Problem(
                            "version",
                            f"{_describe(later)} has the same version name as "
                            f"{_describe(earlier)}; give each version its own name",
                            file=later.source,
                        )
                    )
    if problems:
        raise SchemeError(problems)


def _describe(scheme: Scheme) -> str:
    until = scheme.effective_to.isoformat() if scheme.effective_to else "open-ended"
    where = scheme.source or "(not from a file)"
    return (
        f"{where} (scheme {scheme.id!r} version {scheme.version!r}, "
        f"{scheme.effective_from.isoformat()} to {until})"
    )


def _coverage(schemes: Sequence[Scheme]) -> str:
    return "the schemes cover: " + "; ".join(_describe(s) for s in schemes)


def _several(day: dt.date, found: Sequence[Scheme]) -> str:
    return (
        f"{len(found)} schemes are in force on {day}: "
        + "; ".join(_describe(s) for s in found)
        + "; pass scheme_id= to choose one"
    )
