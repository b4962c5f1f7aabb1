"""The loaded schemes, found by id and date, or by the fingerprint an audit record names."""

from __future__ import annotations

import datetime as dt

from ras._faces.service.problems import Refusal
from ras._plans import SchemeSet
from ras._scheme import Scheme

__all__ = ["Catalogue"]


class Catalogue:
    """Read-only: the service never changes or adds a scheme."""

    def __init__(self, schemes: SchemeSet) -> None:
        self.schemes = schemes
        self._versions: dict[str, list[Scheme]] = {}
        for scheme in schemes:
            self._versions.setdefault(scheme.id, []).append(scheme)
        self._by_fingerprint = {s.fingerprint: s for s in schemes}

    def find(self, scheme_id: str, day: dt.date | None) -> Scheme:
        """The version of `scheme_id` in force on `day` (default today), or a 404."""
        versions = self._versions.get(scheme_id)
        if versions is None:
            known = ", ".join(self._versions) or "(none)"
            raise Refusal(404, f"there is no scheme {scheme_id!r}; the schemes are {known}",
                          kind="unknown-scheme")
        when = day if day is not None else dt.date.today()
        for scheme in versions:
            if scheme.in_force(when):
                return scheme
        covered = "; ".join(
            f"version {s.version!r} from {s.effective_from} to {s.effective_to or 'open'}"
            for s in versions)
        raise Refusal(404, f"no version of scheme {scheme_id!r} is in force on {when}: "
                      f"{covered}", kind="not-in-force")

    def by_fingerprint(self, fingerprint: object) -> Scheme | None:
        return self._by_fingerprint.get(fingerprint) if isinstance(fingerprint, str) else None
