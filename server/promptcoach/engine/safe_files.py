"""Reading files of a repository that may have been written by an attacker.

:func:`read_inside` reads a regular file only: never a FIFO, device or socket (opened
without blocking), never through a symbolic link out of the project's root, never more
than a size limit. Anything else is ``None``: the caller treats it as absent.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_CONTEXT_BYTES = 256 * 1024  # an instruction file larger than this is not read
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symbolic link resolved, lies inside ``root``."""
    return relative_inside(os.path.realpath(path), os.path.realpath(root)) is not None


def relative_inside(real: str, real_root: str) -> str | None:
    """``real`` relative to ``real_root`` (both with their links resolved already), with
    POSIX separators: "." for the root itself, None for a path outside it."""
    top = real_root.rstrip(os.sep)
    path_case, top_case = os.path.normcase(real), os.path.normcase(top)
    if path_case == top_case:
        return "."
    if not path_case.startswith(top_case + os.sep):
        return None
    return real[len(top) + 1 :].replace(os.sep, "/")


def repository_root(directory: str) -> str | None:
    """The root of the Git repository holding ``directory`` (an absolute path): the
    nearest directory at or above it with a ``.git``; None when there is none."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def holds_home(directory: str | Path) -> bool:
    """Whether ``directory`` is the home directory or one above it: a ``.git`` there (a
    dotfiles repository) does not make it the project of what lies under it, or a project
    unpacked under the home without a ``.git`` of its own would reach the home's files."""
    home = os.path.realpath(os.path.expanduser("~"))
    return relative_inside(home, os.path.realpath(directory)) is not None


def repository_of(directory: Path) -> Path | None:
    """:func:`repository_root` of ``directory``, unless that :func:`holds_home`."""
    root = repository_root(str(directory))
    return None if root is None or holds_home(root) else Path(root)


def command_line_root() -> Path:
    """The project a command runs in: the repository of the current directory, else the
    current directory. The user chose it; a path a repository names is measured against it."""
    here = Path.cwd()
    return repository_of(here) or here


def links_out(path: str | Path, root: Path) -> bool:
    """Whether ``path``, as it is named, goes through a symbolic link (of the file or of
    a directory on the way) to a place outside ``root``, or into a ``.git`` directory
    (``docs/x.prompt.md -> ../.git/config``: the checkout's token). Asked before the path
    is opened or even looked at, so the answer does not depend on whether the target exists."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return False
    inner = relative_inside(real, os.path.realpath(root))
    return inner is None or ".git" in inner.split("/")


class Unreadable(OSError):
    """Not a regular file, or larger than the limit: never read (``str()`` says which)."""


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes. It is
    opened without blocking (a FIFO with no writer cannot hang the reader) and read no
    further than the limit; anything else raises :class:`Unreadable` (an ``OSError``, as
    opening a missing file does)."""
    handle = os.open(path, _FLAGS)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"larger than {limit:,} bytes")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew since fstat
            raise Unreadable(f"larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(handle)


def read_inside(path: Path, root: Path, limit: int = MAX_CONTEXT_BYTES) -> str | None:
    """The text of ``path`` if it is a regular file inside ``root`` of at most ``limit``
    bytes (UTF-8, undecodable bytes replaced), else ``None``."""
    if not inside(path, root):
        return None
    try:
        return read_regular(path, limit).decode("utf-8", errors="replace")
    except OSError:
        return None


def stamp(path: str | Path) -> tuple[int, int] | None:
    """(mtime, size) of a file without following a final symbolic link; None if absent."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size
