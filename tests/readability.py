"""Readability measures for the letters' tests: Flesch reading ease and Flesch-Kincaid grade.

Flesch (1948) and Kincaid et al. (1975):
    reading ease = 206.835 - 1.015 x (words / sentences) - 84.6 x (syllables / words)
    grade        = 0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59

Syllables are counted the usual heuristic way, documented here so the figure can be checked by
hand: a word's syllables are its groups of vowels (a, e, i, o, u, y), less a silent final "e"
("page": 1), less a silent "-es"/"-ed" ("takes", "asked": 1), and at least one. An acronym
(every letter a capital: SEN, EHC) is read letter by letter, one syllable a letter and three for
W, except the few said as words (SEND). A figure is one word. Its syllables are counted one of
two ways: ``figures="groups"`` (the default, as automated readability tools count them): one
syllable for each group of digits, "£9,180" 2 and "£60" 1; ``figures="spoken"`` (Flesch's own
rule, as read aloud): "£9,180" is "nine thousand one hundred and eighty pounds", 10. Spoken,
one amount weighs as much as ten plain words, so no sentence that states an amount can score
70 however plain its words; the tests hold the letters to the default and the closing note
reports both. Sentences end at ".", "!" or "?" followed by a space or the end.
Square-bracketed gaps ("[Add the council's contact details here]") are counted as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Readability", "readability", "sentences", "syllables", "words"]

_SAID_AS_WORDS = {"SEND", "SENDIASS"}
_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD = re.compile(r"£?[0-9][0-9,]*(?:\.[0-9]+)?|[A-Za-z][A-Za-z'’-]*")


def _spoken(n: int) -> list[str]:
    """An integer's words as said in British English: 4050 -> four thousand and fifty."""
    if n == 0:
        return ["zero"]
    out: list[str] = []
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            out += [*_spoken(n // size), name]
            n %= size
    if n >= 100:
        out += [_ONES[n // 100], "hundred"]
        n %= 100
    if n and out:
        out.append("and")
    if n >= 20:
        out.append(_TENS[n // 10])
        n %= 10
    if n:
        out.append(_ONES[n])
    return out


def _word_syllables(word: str) -> int:
    w = word.lower().strip("'’-")
    if not w:
        return 0
    groups = len(re.findall(r"[aeiouy]+", w))
    silent_e = w.endswith("e") and not w.endswith(("le", "ee", "ye"))
    silent_ending = w.endswith(("es", "ed")) and not w.endswith(
        ("ted", "ded", "ses", "zes", "ces", "ges", "shes", "ches", "xes"))
    if (silent_e or silent_ending) and groups > 1:
        groups -= 1
    return max(1, groups)


def syllables(token: str, figures: str = "groups") -> int:
    """The syllables of one token of `words`: a word, an acronym or a figure."""
    if token[0] in "£0123456789" and figures == "groups":
        return len([g for g in re.split(r"[,.]", token.lstrip("£")) if g.strip("0") or g])
    if token[0] in "£0123456789":
        money = token.startswith("£")
        whole, _, pence = token.lstrip("£").replace(",", "").partition(".")
        spoken = _spoken(int(whole)) + (["pounds"] if money else [])
        if pence.strip("0"):
            spoken += ["and", *_spoken(int(pence))] + (["pence"] if money else [])
        return sum(_word_syllables(w) for w in spoken)
    letters = token.strip("'’-")
    if len(letters) > 1 and letters.isupper() and letters not in _SAID_AS_WORDS:
        return sum(3 if ch == "W" else 1 for ch in letters if ch.isalpha())
    return sum(_word_syllables(part) for part in re.split(r"-", token) if part)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p for p in parts if words(p)]


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def reading_ease(self) -> float:
        return (206.835 - 1.015 * self.words / self.sentences
                - 84.6 * self.syllables / self.words)

    @property
    def grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def readability(text: str, figures: str = "groups") -> Readability:
    tokens = words(text)
    return Readability(len(tokens), len(sentences(text)),
                       sum(syllables(t, figures) for t in tokens))
