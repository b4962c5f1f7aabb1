"""``one_line``: its quick path (a printable text with single spaces) says exactly what the
full rule says: every run of line breaks and spaces is one space, none at the ends."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from ras._base import LINE_BREAKS, one_line

_RULE = re.compile(f"[\\s{re.escape(LINE_BREAKS)}]+")


def _by_the_rule(text: str) -> str:
    return _RULE.sub(" ", text).strip()


SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()] + list(LINE_BREAKS)
SEEN_AS_NOTHING = ["\u200b", "\u200d", "\ufeff", "\u180e", "\u2060", "\u00ad"]


def test_every_space_and_line_break_is_collapsed() -> None:
    for ch in SPACES + SEEN_AS_NOTHING:
        for text in (f"a{ch}b", f"{ch}a", f"a{ch}", f"a {ch} b", ch, ch * 2):
            assert one_line(text) == _by_the_rule(text), repr(text)


@given(st.text(alphabet=st.sampled_from([*SPACES, *SEEN_AS_NOTHING, "a", "£", "é", " "])
               | st.characters(), max_size=40))
def test_one_line_is_the_rule(text: str) -> None:
    assert one_line(text) == _by_the_rule(text)
