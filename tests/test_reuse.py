"""``ByIdentity``: a value is reused only for the very same objects, never for equal ones."""

from __future__ import annotations

from ras._reasons.reuse import ByIdentity


class Step:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]


def test_the_same_objects_reuse_their_value_and_equal_ones_do_not() -> None:
    made: list[int] = []
    cache: ByIdentity[int] = ByIdentity()

    def make(step: Step) -> int:
        made.append(step.value)
        return step.value * 10

    a, b = Step(1), Step(1)
    assert cache.get((a,), "x", lambda: make(a)) == 10
    assert cache.get((a,), "x", lambda: make(a)) == 10
    assert made == [1]
    assert cache.get((b,), "x", lambda: make(b)) == 10  # equal, not the same: made again
    assert cache.get((a,), "y", lambda: make(a)) == 10  # another extra: made again
    assert made == [1, 1, 1]


def test_it_empties_at_its_bound_and_keeps_working() -> None:
    cache: ByIdentity[int] = ByIdentity(bound=2)
    steps = [Step(i) for i in range(5)]
    for step in steps:
        assert cache.get((step,), None, lambda step=step: step.value) == step.value
    assert len(cache._entries) <= 2
    assert cache.get((steps[0],), None, lambda: -1) == -1  # emptied: made again


def test_an_entry_keeps_its_objects_alive_so_their_ids_are_not_reused() -> None:
    import gc
    import weakref

    cache: ByIdentity[int] = ByIdentity()
    step = Step(7)
    alive = weakref.ref(step)
    cache.get((step,), None, lambda: 70)
    del step
    gc.collect()
    assert alive() is not None  # held by the entry: no new object can take its id
