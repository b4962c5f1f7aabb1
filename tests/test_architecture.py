"""ARCHITECTURE.md mirrors the folders: a row for every room and every module in it, no more."""

from __future__ import annotations

import re

from tests.paths import ROOT

SRC = ROOT / "src" / "ras"


def _documented() -> dict[str, set[str]]:
    rooms: dict[str, set[str]] = {}
    room = None
    for line in (ROOT / "ARCHITECTURE.md").read_text().splitlines():
        heading = re.match(r"\| \*\*`(_\w+)/`\*\* \|", line)
        if heading:
            room = heading.group(1)
            rooms[room] = set()
            continue
        row = re.match(r"\| `(\w+)\.py` \|", line)
        if row and room is not None:
            rooms[room].add(row.group(1))
    return rooms


def test_every_room_and_module_has_its_line() -> None:
    on_disk = {
        room.name: {p.stem for p in room.glob("*.py") if p.name != "__init__.py"}
        for room in SRC.iterdir()
        if room.is_dir() and room.name.startswith("_") and (room / "__init__.py").exists()
    }
    documented = _documented()
    for room in sorted(set(on_disk) | set(documented)):
        missing = sorted(on_disk.get(room, set()) - documented.get(room, set()))
        stale = sorted(documented.get(room, set()) - on_disk.get(room, set()))
        assert not missing, f"ARCHITECTURE.md needs a row for {room}/: {missing}"
        assert not stale, f"ARCHITECTURE.md lists {room}/ modules that are gone: {stale}"


def test_every_room_says_what_it_is_for_and_may_use() -> None:
    for init in SRC.glob("_*/__init__.py"):
        text = init.read_text()
        assert text.startswith('"""'), init
        docstring = text[3:text.index('"""', 3)]
        assert "\n\n" in docstring.strip(), f"{init}: what the room is for, then what it may use"
