"""Write a file whole or not at all, and never through a link someone planted.

Every file ras writes (budgets, reports, the JSON Schema) goes through ``replacing``: the bytes
go to a temporary file created exclusively (``O_CREAT | O_EXCL | O_NOFOLLOW``) under a random
name in the target's folder, are flushed to disk, and the temporary file is then renamed over
the target. So:

- a failed or interrupted run leaves the old target as it was;
- two calls writing the same target at once each have their own temporary file, and the last
  rename wins whole (never rows of both);
- a symbolic link planted at a predictable temporary name cannot redirect the write, since the
  name is neither predictable nor followed; a target that is itself a link is replaced, not
  written through;
- a target that existed keeps its permission bits (a 0600 file stays 0600);
- the data is on disk (``fsync``) before the rename makes it the target.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ras._base.errors import CalculationError

__all__ = ["check_target", "replacing", "same_file", "write_failure"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def check_target(target: Path, what: str = "output") -> None:
    """Refuse, before any work is done, a target that cannot be written: a folder that does not
    exist or is not a folder, or a target that is a folder (or another non-file) itself."""
    folder = target.parent
    if not folder.exists():
        raise CalculationError(f"{target}: cannot write the {what} here: the folder {folder} "
                               "does not exist")
    if not folder.is_dir():
        raise CalculationError(f"{target}: cannot write the {what} here: {folder} is not a "
                               "folder")
    if target.is_dir():
        raise CalculationError(f"{target}: cannot write the {what} here: it is a folder; give "
                               "a file name")
    if target.exists() and not target.is_file():
        raise CalculationError(f"{target}: cannot write the {what} here: it is not a regular "
                               "file (a device or a pipe)")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, hard links or different spellings)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_failure(target: Path, error: OSError) -> CalculationError:
    """An operating system failure while writing, in words: what, where, and that the old
    target is untouched."""
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
              errno.EACCES: "permission denied", errno.EPERM: "permission denied",
              errno.EROFS: "the file system is read-only"}.get(
        error.errno or 0, (error.strerror or str(error)).lower())
    return CalculationError(f"{target}: cannot write the file: {reason}; nothing was written "
                            "and any earlier file of this name is unchanged")


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str], what: str = "output") -> Iterator[BinaryIO]:
    """A binary handle whose bytes replace ``target`` when the block ends without an error.

    Operating system failures (a full disk, no permission) become one ``CalculationError``
    naming the target; on any failure the temporary file is removed and the target is left as
    it was.
    """
    path = Path(target)
    check_target(path, what)
    try:
        kept = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        kept = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
        try:
            # a new target gets the usual mode (0666 less the umask); while an existing one is
            # being replaced, the copy is private until it takes the target's own mode
            fd = os.open(partial, flags, 0o600 if kept is not None else 0o666)
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise write_failure(path, error) from None
    else:  # pragma: no cover - 100 random 64-bit names all taken
        raise CalculationError(f"{path}: cannot create a temporary file beside it")
    try:
        with io.BufferedWriter(_Sink(fd, path), buffer_size=1 << 20) as handle:
            yield handle
            try:
                handle.flush()
                if kept is not None:
                    os.fchmod(fd, kept)
                os.fsync(fd)
            except OSError as error:
                raise write_failure(path, error) from None
        try:
            os.replace(partial, path)
        except OSError as error:
            raise write_failure(path, error) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


class _Sink(io.FileIO):
    """The temporary file: a failed write is a CalculationError naming the target, so that an
    OSError from reading the source (a truncated gzip file) is never mistaken for one."""

    def __init__(self, fd: int, target: Path) -> None:
        super().__init__(fd, "wb", closefd=True)
        self.target = target

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except OSError as error:
            raise write_failure(self.target, error) from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
