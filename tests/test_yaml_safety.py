"""Whatever bytes a file holds, the loader answers quickly with a scheme or a SchemeError."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ras
from tests.paths import FIXTURES

VALID = (FIXTURES / "valid_small.yaml").read_bytes()


def _answer(data: bytes) -> ras.Scheme | ras.SchemeError:
    try:
        return ras.Scheme.from_yaml(data)
    except ras.SchemeError as error:
        return error


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    start = time.process_time()  # CPU time: a busy shared machine stretches wall time
    with pytest.raises(ras.SchemeError, match="alias bomb"):
        ras.Scheme.from_yaml("\n".join(lines))
    assert time.process_time() - start < 1.0


DEEP = {
    "flow sequences": "a: " + "[" * 5000 + "]" * 5000,
    "flow mappings": "a: " + "{b: " * 3000 + "1" + "}" * 3000,
    "block mappings": "a:\n" + "\n".join(" " * (i + 1) + f"k{i}:" for i in range(1500)) + " 1",
}


@pytest.mark.parametrize("loader", ["libyaml if present", "pure Python"])
@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_refused_in_our_words_whoever_stops_first(
    shape: str, loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml has a depth limit of its own (1,000 levels in PyYAML 6.0.4, worded its own way)
    # and the pure-Python composer recurses: either way the refusal names the line and depth
    import yaml

    import ras._format.yaml as reader

    if loader == "pure Python":
        monkeypatch.setattr(reader, "_Loader", yaml.SafeLoader)
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml(DEEP[shape])
    (problem,) = caught.value.problems
    assert problem.line is not None
    assert f"nested more than {reader.MAX_DEPTH} levels deep" in problem.message


def test_nesting_at_the_limit_is_not_refused_for_depth() -> None:
    import ras._format.yaml as reader

    depth = reader.MAX_DEPTH - 1  # below the top-level mapping
    with pytest.raises(ras.SchemeError) as caught:
        ras.Scheme.from_yaml("a: " + "[" * depth + "]" * depth)
    assert all("nested" not in p.message for p in caught.value.problems)


def test_binary_junk_is_a_scheme_error() -> None:
    with pytest.raises(ras.SchemeError, match="not UTF-8"):
        ras.Scheme.from_yaml(b"\xff\xfe\x00garbage")


def test_control_character_in_raw_text_is_refused() -> None:
    with pytest.raises(ras.SchemeError):
        ras.Scheme.from_yaml(VALID.replace(b"Small test", b"Small\x07test"))


def test_huge_file_is_refused_without_parsing() -> None:
    with pytest.raises(ras.SchemeError, match="at most"):
        ras.Scheme.from_yaml(b"# " + b"x" * 3_000_000)


def test_empty_and_non_mapping_documents() -> None:
    for text in ("", "# only a comment\n", "- a\n- b\n", "just text", "[1, 2"):
        with pytest.raises(ras.SchemeError):
            ras.Scheme.from_yaml(text)


@given(st.binary(max_size=2000))
@settings(max_examples=300)
def test_random_bytes_answer_with_scheme_error_quickly(data: bytes) -> None:
    start = time.perf_counter()
    assert isinstance(_answer(data), ras.SchemeError)
    assert time.perf_counter() - start < 1.0


@given(st.data())
@settings(max_examples=300)
def test_mutated_valid_files_answer_quickly_with_scheme_or_error(data: st.DataObject) -> None:
    text = bytearray(VALID)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            text[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del text[at]
        else:
            text[at:at] = data.draw(st.sampled_from(
                [b":", b"-", b"[", b"&a", b"*a", b"!!", b"\t", b"'", b"\n  ", b"-1", b".nan"]))
    start = time.perf_counter()
    result = _answer(bytes(text))
    assert isinstance(result, ras.Scheme | ras.SchemeError)
    assert time.perf_counter() - start < 1.0


def test_anchors_and_aliases_for_reuse_still_work() -> None:
    text = VALID.decode().replace(
        "      - id: listening\n        options:\n",
        "      - id: listening\n        options: &two\n",
    ).replace(
        "      - id: breaks\n        options:\n          - {id: none, points: 0}\n"
        "          - {id: some, points: 4}",
        "      - id: breaks\n        options: *two",
    )
    scheme = ras.Scheme.from_yaml(text)
    assert scheme.option_ids["breaks"] == ("none", "some")
    assert scheme.model.domains[1].questions[0].options[1].points == 2.5
