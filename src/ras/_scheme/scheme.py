"""``ras.Scheme``: a validated, immutable scheme, compiled once, with the three ways to run it.

``calculate`` (one child), ``calculate_frame`` (a cohort) and ``calculate_codes`` (arrays) all
encode their input to option codes and call the same kernel; only the packaging differs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ras._base import AnswerError, UsageError, path_text
from ras._engine import (
    EXACT,
    Compiled,
    Encoded,
    NumberGrid,
    Want,
    check_codes,
    column_names,
    compile_scheme,
    encode_frame,
    encode_one,
    join_lookups,
    numerals,
    price_lookups,
    run,
    run_blocks,
    to_arrays,
    to_frame,
    want_for,
)
from ras._format import (
    LetterText,
    NumberAnswer,
    PointsWord,
    SchemeModel,
    Setting,
    model_from_data,
    model_from_file,
    model_from_text,
    scheme_yaml,
)
from ras._scheme.budget import Budget

if TYPE_CHECKING:
    from ras._changes import Finding
    from ras._reasons import Explanation, Letter

__all__ = ["Scheme", "load_scheme"]

Array = npt.NDArray[Any]


def load_scheme(path: str | os.PathLike[str]) -> Scheme:
    """Load and validate a scheme file.

    Parameters
    ----------
    path
        The scheme file (YAML, format version 1 or 2).

    Returns
    -------
    Scheme
        The validated, compiled scheme; ``.source`` is the path.

    Raises
    ------
    SchemeError
        The file cannot be read or breaks the format: every problem at once, each with the
        file, line and key path.
    UsageError
        A path that is neither text nor a ``pathlib.Path``.

    Examples
    --------
    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
    >>> scheme.id, scheme.version, len(scheme.question_ids), scheme.setting_ids
    ('northshire-points-rate', '2026-27', 14, ('mainstream', 'special', 'early_years', 'post16'))
    """
    file = path_text(path, "load_scheme")
    return Scheme(model_from_file(file), source=file)


class Scheme:
    """A scoring scheme: validated, immutable, compiled once into integer tables.

    >>> import ras
    >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")  # doctest: +SKIP
    """

    __slots__ = ("_compiled", "_counts", "_fingerprint", "_grids", "_model", "_numerals",
                 "_option_ids", "_option_index", "_setting_index", "_source", "_want_all")

    _model: SchemeModel
    _compiled: Compiled
    _fingerprint: str | None  # made when first asked for: a sweep's variants never are
    _source: str | None
    _option_index: Mapping[str, Mapping[str, int]]
    _counts: Mapping[str, int]
    _setting_index: Mapping[str, int]
    _option_ids: Mapping[str, tuple[str, ...]]
    _numerals: Mapping[str, Mapping[int, int]]  # per question, and "setting": see numerals()
    _grids: Mapping[str, NumberGrid]  # the number questions (version 2)
    _want_all: Want

    def __init__(self, model: SchemeModel, *, source: str | None = None) -> None:
        if not isinstance(model, SchemeModel):
            raise UsageError("Scheme() takes a validated SchemeModel; use ras.load_scheme, "
                            "Scheme.from_yaml or Scheme.from_dict")
        compiled = compile_scheme(model)
        lookups = price_lookups(compiled)
        compiled = dataclasses.replace(compiled, price_lookups=lookups,
                                       joined_lookups=join_lookups(compiled, lookups))
        grids = {q.id: _grid(q.id, q.number) for d in model.domains for q in d.questions
                 if q.number is not None}
        # a number question's "options" are its answers as text: "0", "0.25", ... "32.5"
        index = {
            q.id: MappingProxyType(
                {o.id: i for i, o in enumerate(q.options)} if q.options is not None else
                {grids[q.id].text(grids[q.id].low + k * grids[q.id].step): k
                 for k in range(grids[q.id].count)})
            for d in model.domains
            for q in d.questions
        }
        for name, value in (("_model", model), ("_compiled", compiled), ("_source", source),
                            ("_fingerprint", None),
                            ("_option_index", MappingProxyType(index)),
                            ("_counts", {q: len(ids) for q, ids in index.items()}),
                            ("_setting_index",
                             {s: i for i, s in enumerate(compiled.setting_ids)}),
                            ("_option_ids", {q: tuple(ids) for q, ids in index.items()}),
                            ("_numerals", {**{q: numerals(ids) for q, ids in index.items()},
                                           "setting": numerals(compiled.setting_ids)}),
                            ("_grids", MappingProxyType(grids)),
                            ("_want_all", want_for(compiled, None))):
            object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and deep-copied) as its validated model and source, compiled again on the
        other side: what Dask, Spark and process pools ship. Its compiled tables, numpy arrays
        and read-only mappings are never pickled."""
        return (_unpickled, (self._model, self._source))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Scheme is immutable; use with_changes() for a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a Scheme is immutable")

    # construction -------------------------------------------------------------------------

    @classmethod
    def from_yaml(cls, text: str | bytes, *, source: str | None = None) -> Scheme:
        """A scheme from YAML text, under the same rules as a file.

        Parameters
        ----------
        text
            The scheme file's text (or bytes, read as UTF-8).
        source
            A name for the text, used in error messages as a file's name is.

        Returns
        -------
        Scheme
            The validated, compiled scheme.

        Raises
        ------
        SchemeError
            Every problem of the text, each with line and key path.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> ras.Scheme.from_yaml(scheme.to_yaml()) == scheme
        True
        """
        return cls(model_from_text(text, file=source), source=source)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scheme:
        """A scheme from plain Python data (dates as ``datetime.date`` or ISO strings).

        Parameters
        ----------
        data
            A mapping shaped as a scheme file is.

        Returns
        -------
        Scheme
            The validated, compiled scheme.

        Raises
        ------
        SchemeError
            Every problem of the data, each with its key path.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.Scheme.from_dict({
        ...     "ras_scheme": 1, "id": "tiny", "name": "Tiny", "version": "1",
        ...     "effective_from": "2026-04-01",
        ...     "domains": [{"id": "learning", "questions": [{"id": "reading", "options": [
        ...         {"id": "none", "points": 0}, {"id": "some", "points": 7}]}]}],
        ...     "pricing": {"education": {"method": "rate", "rate": 1000}},
        ...     "settings": {"mainstream": {"element1": 4500, "element2": 6000,
        ...                                  "ras_covers": "additional_support"}}})
        >>> scheme.calculate({"reading": "some"}, setting="mainstream").element3  # 7,000 - 6,000
        Decimal('1000.00')
        """
        return cls(model_from_data(data))

    def with_changes(self, changes: Mapping[str, Any]) -> Scheme:
        """A new, validated scheme with values changed by readable path; this one is untouched.

        ``{"pricing.education.rate": 320, "pricing.social_care.bands.B.amount": 1600,
        "settings.mainstream.element2": 7000}``: list items are named by id (domains,
        questions, options) or label (bands). Every change is checked before any is applied,
        and all problems come in one SchemeError; an unknown path suggests the nearest ones
        (``ras.parameters(scheme)`` lists them all).

        Parameters
        ----------
        changes
            Readable path -> new value (numbers, decimal text, dates, text; None removes an
            optional value).

        Returns
        -------
        Scheme
            A new scheme, validated as a file is; save it with ``to_yaml()``.

        Raises
        ------
        SchemeError
            An unknown path (the nearest are suggested), a value of the wrong kind, or a scheme
            the changes make invalid, each problem naming the change that caused it.
        UsageError
            ``changes`` that is not a mapping.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> reform = scheme.with_changes({"pricing.education.rate": 300})
        >>> reform.model.pricing["education"].rate, scheme.model.pricing["education"].rate
        (Decimal('300'), Decimal('285'))
        """
        from ras._changes import apply_changes  # upward, deliberately: the contract names it

        return apply_changes(self, changes)

    def to_yaml(self) -> str:
        """This scheme as a scheme file, which loads to an equal scheme.

        The loaded scheme has the same fingerprint and dates; comments of the original file
        are not kept (a comment on top says which scheme this is). This is how a reform made
        with ``with_changes`` is saved for ``ras compare`` or for consultation.

        Returns
        -------
        str
            YAML text in the scheme format, numbers written exactly as they are held.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> reform = scheme.with_changes({"pricing.education.rate": 300})
        >>> again = ras.Scheme.from_yaml(reform.to_yaml())
        >>> again == reform, again.fingerprint == scheme.fingerprint
        (True, False)
        """
        from ras._base import __version__

        header = (f"{self.name}\n{self.id} version {self.version}, fingerprint "
                  f"{self.fingerprint[:12]}\nWritten by ras {__version__} (Scheme.to_yaml); "
                  "the comments of the original file are not kept.")
        return scheme_yaml(self._model, header=header)

    # identity -----------------------------------------------------------------------------

    @property
    def model(self) -> SchemeModel:
        """The validated scheme as frozen pydantic models."""
        return self._model

    @property
    def compiled(self) -> Compiled:
        return self._compiled

    @property
    def source(self) -> str | None:
        """The file the scheme was loaded from, if any."""
        return self._source

    @property
    def id(self) -> str:
        return self._model.id

    @property
    def name(self) -> str:
        return self._model.name

    @property
    def version(self) -> str:
        return self._model.version

    @property
    def effective_from(self) -> dt.date:
        return self._model.effective_from

    @property
    def effective_to(self) -> dt.date | None:
        return self._model.effective_to

    @property
    def format_version(self) -> int:
        """The file's ``ras_scheme``: 1 or 2."""
        return self._model.ras_scheme

    @property
    def period(self) -> str:
        """What every amount of the scheme is per: ``year`` (the default), ``term``, ``week``
        or ``one_off``. Nothing is converted: a termly scheme's figures are termly."""
        return self._model.amounts_per

    @property
    def points_word(self) -> PointsWord:
        """What the scheme calls its points (``.one``, ``.other``, ``.of(n)``): its
        ``points_word``, or point/points."""
        return self._model.words

    @property
    def letter(self) -> LetterText | None:
        """The council's own words for letters (council, contact, advice, next_steps, review),
        or None when the scheme has no ``letter:`` block (a letter must then say they are
        missing, never leave them out silently)."""
        return self._model.letter

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the scheme's content: not of its whitespace, comments or key order."""
        if self._fingerprint is None:
            object.__setattr__(self, "_fingerprint", _fingerprint(self._model))
        assert self._fingerprint is not None
        return self._fingerprint

    @property
    def question_ids(self) -> tuple[str, ...]:
        """The column order of the array API."""
        return self._compiled.question_ids

    @property
    def setting_ids(self) -> tuple[str, ...]:
        return self._compiled.setting_ids

    @property
    def domain_ids(self) -> tuple[str, ...]:
        return self._compiled.domain_ids

    @property
    def stream_ids(self) -> tuple[str, ...]:
        return self._compiled.stream_ids

    @property
    def option_ids(self) -> Mapping[str, tuple[str, ...]]:
        """Question id -> its option ids, in order (position 0 first). A number question's are
        the answers on its grid as text ("0", "0.25", ... "32.5"): code k is the k-th."""
        return MappingProxyType(self._option_ids)

    @property
    def settings(self) -> Mapping[str, Setting]:
        """Setting id -> its element 1, element 2, what the RAS covers and any own pricing."""
        return MappingProxyType(self._model.settings)

    @property
    def output_columns(self) -> tuple[str, ...]:
        """The columns of calculate_frame and calculate_codes, in order."""
        return tuple(column_names(self._compiled))

    def check(self) -> list[Finding]:
        """What is legal but probably wrong here, before a panel relies on it.

        Options that pay less for more need, bands no child can reach, a ``refer_above`` that
        never refers or hides bands, caps that make answers pointless, settings that never get
        a top-up, negative points, each table's largest jump for one more point, and ids
        that look alike but differ (mixed scripts, zero-width characters, case or width). Each
        ``ras.Finding`` has a key path, a severity (``warning`` or ``info``) and a message.

        Returns
        -------
        list of Finding
            Each with ``key_path``, ``severity`` and ``message``; empty when nothing is found.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> [finding.severity for finding in scheme.check()]
        ['info', 'info']
        """
        from ras._changes import check_scheme  # upward, deliberately: the contract names it

        return check_scheme(self._model)

    def in_force(self, date: dt.date | str) -> bool:
        """Whether the scheme covers this date (both ends inclusive).

        Parameters
        ----------
        date
            A date, or an ISO date text.

        Returns
        -------
        bool
            True from ``effective_from`` to ``effective_to`` (open-ended when there is none).

        Raises
        ------
        UsageError
            Something that is neither a date nor ISO date text.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> scheme.in_force(__import__("datetime").date(2026, 9, 1)), scheme.in_force("2027-04-01")
        (True, False)
        """
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise UsageError(f"in_force needs a date or ISO date text like 2026-09-01, "
                                 f"not {date!r}") from None
        if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
            raise UsageError(f"in_force needs a date or ISO date text like 2026-09-01, not "
                             f"{type(date).__name__}")
        return self.effective_from <= date and (self.effective_to is None
                                                 or date <= self.effective_to)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scheme) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __repr__(self) -> str:
        until = self.effective_to.isoformat() if self.effective_to else "open"
        return (f"<Scheme {self.id!r} version {self.version!r}, "
                f"{self.effective_from.isoformat()} to {until}: "
                f"{len(self.question_ids)} questions, {len(self.setting_ids)} settings, "
                f"fingerprint {self.fingerprint[:12]}>")

    # calculation --------------------------------------------------------------------------

    def calculate(self, answers: Mapping[str, str | int], *, setting: str | int) -> Budget:
        """One child's budget: the cohort kernel run on one row.

        `answers` maps every question id to an option id (text) or position (0 is first); a
        number question (version 2) to its number (23.5, Decimal("23.5") or "23.5").

        Parameters
        ----------
        answers
            Every question id -> an option id (text) or position (0 is the first); a number
            question (format version 2) -> its number.
        setting
            The setting id, or its position in ``setting_ids``.

        Returns
        -------
        Budget
            Decimal pounds: points by domain and stream, amounts, bands, ranges, reviews,
            elements 1 to 3 and the totals; ``explain()`` says how.

        Raises
        ------
        AnswerError
            A missing or unknown answer or setting, naming the question and what was expected.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> budget = scheme.calculate(dict.fromkeys(scheme.question_ids, 1), setting="mainstream")
        >>> budget.stream_points["education"], budget.element3  # 1500 + 26.5 x 285 -> 9050
        (Decimal('26.5'), Decimal('3050.00'))
        """
        c = self._compiled
        codes, settings = encode_one(answers, setting, c.question_ids, self._option_index,
                                     self._counts, self._setting_index, self._numerals,
                                     self._grids)
        raw = run(c, codes, settings, self._want_all)  # explain() adds the trace when asked
        row = codes[0].tolist()
        chosen = {q: self._option_ids[q][row[j]] for j, q in enumerate(c.question_ids)}
        return Budget.from_raw(self, raw, chosen, c.setting_ids[int(settings[0])])

    def calculate_frame(
        self, cohort: pd.DataFrame, *, errors: Literal["raise", "flag"] = "raise"
    ) -> pd.DataFrame:
        """A cohort's budgets: one row per input row, same index and order.

        The cohort has a column per question id (option ids, positions or categoricals) and a
        ``setting`` column; other columns are ignored. With ``errors="flag"`` bad rows are kept
        with their reason in ``error`` and missing figures; with ``"raise"`` an AnswerError
        names the first bad rows and questions.

        Parameters
        ----------
        cohort
            One row per child, as above.
        errors
            ``"raise"`` (the default) or ``"flag"``.

        Returns
        -------
        pandas.DataFrame
            The cohort's index; ``points_<domain>``, ``<stream>_points``, ``<stream>_amount``,
            bands, ranges and reviews, ``element1`` to ``element3``, ``personal_sen_budget`` and
            ``total_personal_budget`` (and ``error`` when flagging). Amounts are float pounds,
            equal to the penny to ``calculate``; a missing amount is NaN, never zero.

        Raises
        ------
        AnswerError
            With ``errors="raise"``, the first bad rows and questions.
        CalculationError
            With ``errors="raise"``, an amount of £2**46 or more, which float pounds cannot
            hold to the penny (flagging flags that row instead).
        UsageError
            A cohort that is not a DataFrame, or an ``errors`` that is neither value.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> cohort = pd.DataFrame({q: [1, 2] for q in scheme.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> scheme.calculate_frame(cohort)["element3"].tolist()
        [3050.0, 12740.0]
        """
        encoded = self.encode(cohort, errors=errors)
        c = self._compiled
        blocks = run_blocks(c, encoded.codes, encoded.settings, self._want_all)
        return to_frame(c, blocks, cohort.index, encoded.bad, encoded.errors)

    def explain_frame(
        self, cohort: pd.DataFrame, rows: Iterable[Hashable]
    ) -> dict[Hashable, Explanation]:
        """Explanations of chosen rows of a cohort, by index label, in the order asked.

        Each is what ``calculate(...).explain()`` gives for that child: the same kernel run on
        the chosen rows only, so a large cohort is not traced to explain a few children.

        Parameters
        ----------
        cohort
            One row per child, as for ``calculate_frame``.
        rows
            The index labels of the children to explain.

        Returns
        -------
        dict
            Row label -> ``Explanation``, in the order asked.

        Raises
        ------
        UsageError
            A label that is not in the cohort's index.
        AnswerError
            A chosen row whose answers cannot be scored.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> cohort = pd.DataFrame({q: [1, 2] for q in scheme.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> explanations = scheme.explain_frame(cohort, [1])
        >>> "£12,740.00" in explanations[1].to_text()
        True
        """
        from ras._reasons import explain_rows  # upward, deliberately: the contract names it

        return explain_rows(self, cohort, rows)

    def letters(
        self,
        cohort: pd.DataFrame,
        rows: Iterable[Hashable] | None = None,
        *,
        child: str | None = None,
        reference: str | None = None,
        date: dt.date | None = None,
        school: str | None = None,
    ) -> dict[Hashable, Letter]:
        """Budget letters for many children at once: {row label: Letter}, in cohort order (or
        the order of ``rows``), each equal to ``calculate(...).letter(**details)`` for that row.
        The chosen rows are traced by the kernel in one run.

        Parameters
        ----------
        cohort
            One row per child, as for ``calculate_frame``.
        rows
            The index labels of the children to write to (all by default).
        child
            The name the letters address (the same for each; usually given per child).
        reference
            The council's case reference.
        date
            The date of the letters (today by default).
        school
            The school or college named in the letters.

        Returns
        -------
        dict
            Row label -> ``Letter``.

        Raises
        ------
        UsageError
            A label that is not in the cohort's index, or a detail that is not text.
        AnswerError
            A chosen row whose answers cannot be scored.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> cohort = pd.DataFrame({q: [1, 2] for q in scheme.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> letters = scheme.letters(cohort, [0], child="Amir")
        >>> "Amir's personal SEN budget is £3,050 a year." in letters[0].to_text()
        True
        """
        from ras._reasons import (  # upward, deliberately: the contract names it
            Details,
            letters_for_rows,
        )

        return letters_for_rows(self, cohort, rows, Details(child, reference, date, school))

    def encode(
        self, cohort: pd.DataFrame, *, errors: Literal["raise", "flag"] = "raise"
    ) -> Encoded:
        """A cohort's answers as option codes, once, for repeated runs (sweeps, comparisons).

        ``.codes`` (n x questions) and ``.settings`` (n,) are what calculate_codes takes;
        ``.bad`` marks rows that could not be encoded (only with ``errors="flag"``), whose
        codes are 0 and whose figures must be treated as missing; ``.errors`` says why.

        Parameters
        ----------
        cohort
            One row per child, as for ``calculate_frame``.
        errors
            ``"raise"`` (the default) or ``"flag"``.

        Returns
        -------
        Encoded
            ``.codes``, ``.settings``, ``.bad`` and ``.errors``.

        Raises
        ------
        AnswerError
            With ``errors="raise"``, the bad rows and questions.
        UsageError
            A cohort that is not a DataFrame, or an ``errors`` that is neither value.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> cohort = pd.DataFrame({q: [1, 2] for q in scheme.question_ids}
        ...                       | {"setting": "mainstream"})
        >>> encoded = scheme.encode(cohort)
        >>> encoded.codes.shape, encoded.settings.tolist()
        ((2, 14), [0, 0])
        """
        if errors not in ("raise", "flag"):
            raise UsageError(f"errors must be 'raise' or 'flag', not {errors!r}")
        if not isinstance(cohort, pd.DataFrame):
            raise UsageError(f"cohort must be a pandas DataFrame, not {type(cohort).__name__}")
        c = self._compiled
        option_ids = tuple(tuple(self._option_index[q]) for q in c.question_ids)
        encoded, problems = encode_frame(cohort, c.question_ids, option_ids, c.setting_ids,
                                         collect_errors=errors == "flag", grids=self._grids)
        if problems and errors == "raise":
            raise AnswerError(problems, int(encoded.bad.sum()))
        return encoded

    def calculate_codes(
        self,
        codes: npt.ArrayLike,
        settings: npt.ArrayLike,
        columns: Iterable[str] | None = None,
    ) -> dict[str, Array]:
        """The raw array path: option positions (n x questions) and setting positions (n,).

        Returns column name -> numpy array, the columns of calculate_frame (or those asked for;
        work that no asked-for column needs is skipped). The float columns are rows of one
        shared block (one allocation is far faster than many): a column kept on its own keeps
        the block alive, so copy it if that memory matters.

        Parameters
        ----------
        codes
            Integer option positions, one row per child and one column per question, in the
            order of ``question_ids``.
        settings
            Integer setting positions, one per child, in the order of ``setting_ids``.
        columns
            The output columns wanted (default: all).

        Returns
        -------
        dict
            Column name -> numpy array, as above.

        Raises
        ------
        AnswerError
            Codes of the wrong shape, or a position out of range, naming the rows.
        UsageError
            An unknown output column.

        Examples
        --------
        >>> import ras
        >>> scheme = ras.load_scheme("scoring_schemes/points_rate.yaml")
        >>> import numpy as np
        >>> codes = np.ones((2, len(scheme.question_ids)), dtype=np.int64)
        >>> scheme.calculate_codes(codes, [0, 1], columns=["element3"])["element3"].tolist()
        [3050.0, 0.0]
        """
        c = self._compiled
        code_array = np.asarray(codes)
        setting_array = np.asarray(settings)
        check_codes(code_array, setting_array, c.question_ids, c.option_counts,
                    len(c.setting_ids), self._grids)
        names = [columns] if isinstance(columns, str) else (
            list(columns) if columns is not None else None)  # one name, or several
        blocks = run_blocks(c, code_array, setting_array, want_for(c, names))
        return to_arrays(c, blocks, code_array.shape[0], names)


def _unpickled(model: SchemeModel, source: str | None) -> Scheme:
    return Scheme(model, source=source)


def _grid(question: str, number: NumberAnswer) -> NumberGrid:
    def hundredths(value: Decimal) -> int:
        return int(value.scaleb(2, EXACT))

    return NumberGrid(question, hundredths(number.min), hundredths(number.step), number.steps,
                      number.unit)


def _canonical(value: Any) -> Any:
    """JSON-ready canonical form: equal decimals print alike, mappings sorted by key."""
    if isinstance(value, Decimal):  # exact: normalize() would round to 28 digits first
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


_NEUTRAL = (("base", 0), ("minimum", 0))  # pricing keys whose absence means this value
_DEFAULT_WORD = {"one": "point", "other": "points"}


def _fingerprint(model: SchemeModel) -> str:
    """Hash of what the scheme says, not how it is written.

    Absent and neutral spellings (``base: 0``, ``minimum: 0``, a default left out) hash alike;
    settings keep their order because the array API addresses them by position. The end date
    is left out: closing a version when the next one starts (as ``load_schemes`` asks) changes
    no figure, so the records made under it must still verify.
    """
    data = model.model_dump(exclude_none=True)
    data.pop("effective_to", None)
    tables = [data["pricing"], *(s.get("pricing") or {} for s in data["settings"].values())]
    for table in tables:
        for rule in table.values():
            for key, neutral in _NEUTRAL:
                if rule.get(key) == neutral:
                    del rule[key]
    # version 2's defaults written out hash as left out (a version 1 file has none of them)
    if data.get("period") == "year":
        del data["period"]
    if data.get("points_word") == _DEFAULT_WORD:
        del data["points_word"]
    for part in [*data.get("streams", {}).values(), *data["domains"]]:
        if part.get("combine") == "sum":
            del part["combine"]
    data["settings"] = [[k, v] for k, v in data["settings"].items()]
    text = json.dumps(_canonical(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
