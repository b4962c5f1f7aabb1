"""Ids that look alike but are not the same: the checker's warnings about them.

The loader reads ids in one Unicode form (NFC), so "café" typed two ways is one id. What it
cannot know is intent: Latin "some" and "sоme" with a Cyrillic "о" are two options with
different points that print identically in a letter; a zero-width space makes "none" and
"none\u200b" two settings; "Some" and "some" differ only in case. Each is legal, and each is
probably a mistake, so ``scheme.check()`` warns of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from ras._format import KeyPath, SchemeModel, format_key_path

__all__ = ["confusable_ids"]

# Scripts written together in one word, which mixing is no sign of a lookalike.
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "IDEOGRAPHIC": "CJK", "HANGUL": "HANGUL"}
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def confusable_ids(model: SchemeModel) -> Iterator[tuple[KeyPath, str]]:
    """(key path, message) for every id that hides a character, mixes scripts, or differs from
    another id of its kind only in case, width or invisible characters."""
    for what, ids in _kinds(model):
        seen: dict[str, tuple[str, KeyPath]] = {}
        for id_, path in ids:
            yield from ((path, message) for message in _alone(what, id_))
            key = _folded(id_)
            if key in seen and seen[key][0] != id_:
                other, where = seen[key]
                yield (path, f"{what} id {id_!r} differs from {other!r} "
                             f"({format_key_path(where)}) only in case, width or invisible "
                             "characters: a person reading a letter cannot tell them apart")
            seen.setdefault(key, (id_, path))


def _kinds(model: SchemeModel) -> Iterator[tuple[str, Iterable[tuple[str, KeyPath]]]]:
    """Each set of ids that must be told apart, with the key path of each."""
    yield "domain", [(d.id, ("domains", i, "id")) for i, d in enumerate(model.domains)]
    yield "question", [(q.id, ("domains", i, "questions", j, "id"))
                       for i, d in enumerate(model.domains) for j, q in enumerate(d.questions)]
    for i, d in enumerate(model.domains):
        for j, q in enumerate(d.questions):
            yield "option", [(o.id, ("domains", i, "questions", j, "options", k, "id"))
                             for k, o in enumerate(q.options or ())]
    yield "setting", [(s, ("settings", s)) for s in model.settings]
    yield "stream", [(s, ("streams", s)) for s in model.streams or {}]


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (category == "Cf" or ch in _BLANK_LETTERS
            or (category == "Zs" and ch != " "))


def _folded(text: str) -> str:
    """What a reader sees: compatibility forms folded, case ignored, invisible characters gone."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not _invisible(ch))


def _script(ch: str) -> str | None:
    """The script of a letter, by the first word of its Unicode name (LATIN, CYRILLIC, GREEK)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    first = unicodedata.name(ch, "UNKNOWN").split()[0]
    return _SAME_SCRIPT.get(first, "CJK" if first == "CJK" else first)


def _alone(what: str, id_: str) -> Iterator[str]:
    hidden = [ch for ch in id_ if _invisible(ch)]
    if hidden:
        names = ", ".join(dict.fromkeys(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"
                                        for ch in hidden))
        yield (f"{what} id {id_!r} holds invisible characters ({names}): it looks like "
               f"{''.join(ch for ch in id_ if not _invisible(ch))!r} but is not the same")
    scripts: dict[str, str] = {}
    for ch in id_:
        script = _script(ch)
        if script is not None:
            scripts.setdefault(script, ch)
    if len(scripts) > 1:
        mixed = " and ".join(f"{script.title()} ({ch!r})" for script, ch in scripts.items())
        yield (f"{what} id {id_!r} mixes the letters of {mixed}: it may look like an id "
               "written in one of them")
