"""Read a small input file (a scheme, a child's answers, a record) without being made to hang or
to read without end.

A path may name a FIFO (opening it for reading waits for a writer for ever) or a device such as
``/dev/zero`` (reading it never ends). Files are opened without blocking, checked to be regular
files from the open handle (so a swap after the check is not possible), and read at most one
byte past their limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ras._base.errors import UsageError
from ras._base.text import a_kind

__all__ = ["InputFileError", "is_regular", "kind_of_file", "path_text", "read_bounded"]

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class InputFileError(Exception):
    """Why a file cannot be read, in words (the callers raise their own RasError with it)."""


def kind_of_file(mode: int) -> str:
    """A file that is not a regular one, by what it is."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; else InputFileError saying why.

    ``what`` names the file's kind in the message ("a scheme file", "an answers file").
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    except OSError as error:
        raise InputFileError(f"cannot read the file: {error.strerror or error}"
                             ) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError(f"{kind_of_file(mode)}, not a file: {what} must be a regular "
                                 "file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputFileError(f"cannot read the file: {error.strerror or error}"
                             ) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputFileError(f"the file is more than {limit:,} bytes; {what} is at most "
                             f"{limit:,}")
    return data


def is_regular(path: Path) -> tuple[bool, str]:
    """Whether a path is a regular file (following links), and what it is if not."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False, "missing"
    return stat.S_ISREG(mode), kind_of_file(mode)


def path_text(path: object, taker: str) -> str:
    """A path given to ``taker`` as text, or a UsageError naming what was given instead
    (os.fspath's own TypeError said nothing of what the call takes)."""
    if isinstance(path, str | os.PathLike):
        text = os.fspath(path)
        if isinstance(text, str):
            return text
    raise UsageError(f"{taker} takes a path (text or a pathlib.Path), not {a_kind(path)}")
