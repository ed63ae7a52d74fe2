"""Checking many files for the CLI: read them, analyse them, make reports.

Every file is read and analysed before anything is printed, so an unreadable or
binary file stops the run with a clear message and no half-written report.
Large runs are spread over a pool of worker processes, one :class:`Engine` per
worker; small runs stay in this process, where starting workers would cost more
than it saves.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from promptcoach.output.report import FileReport, file_report, from_plain, to_plain

if TYPE_CHECKING:
    from promptcoach.engine.analyze import Engine

# Below both of these a run stays in one process.
PARALLEL_MIN_FILES = 64
PARALLEL_MIN_BYTES = 512 * 1024
TASKS_PER_WORKER = 4
# Opening a FIFO for reading must not wait for a writer (O_NONBLOCK: POSIX only; it
# changes nothing for regular files); O_BINARY: no newline translation on Windows.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class InputError(Exception):
    """A file that cannot be checked; ``str()`` is ``path: reason``."""


class TooLarge(Exception):
    """A file over ``maxFileSize``: not read, reported by a file-too-large finding."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size  # None: over the limit by an unknown amount (only the limit was read)


class Target(NamedTuple):
    """One thing to check: a file, or standard input (``fs_path`` None, ``text`` set)."""

    display: str  # the path shown in reports
    fs_path: str | None
    explicit: bool  # named on the command line: checked whatever its name
    text: str | None = None
    size: int = 0
    # the path the engine matches globs and languages against: the file's absolute
    # path, which the engine sees from the configuration's directory as the walk did
    analysis_path: str | None = None
    too_large: bool = False  # standard input over maxFileSize (not kept)


def decode(data: bytes, display: str) -> str:
    """The text of a file's bytes; binary (NUL bytes) and non-UTF-8 data are errors."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{display}: UTF-16 text, not checked (save it as UTF-8)")
    if b"\0" in data:
        raise InputError(f"{display}: binary file (contains NUL bytes), not checked")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{display}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_file(path: str, display: str, limit: int) -> str:
    """The text of a regular file of at most ``limit`` bytes (else :class:`TooLarge`,
    before anything is read). Opening does not wait (a FIFO without a writer), and
    anything but a regular file (a FIFO, device or socket) is not read."""
    try:
        with open(os.open(path, _READ_FLAGS), "rb") as handle:
            status = os.fstat(handle.fileno())
            _check_regular(status.st_mode, display)
            if status.st_size > limit:
                raise TooLarge(status.st_size)
            data = _read_at_most(handle, limit)
    except IsADirectoryError:
        raise InputError(f"{display}: is a directory") from None
    except OSError as error:
        raise InputError(f"{display}: cannot read: {error.strerror or error}") from None
    return decode(data, display)


def _check_regular(mode: int, display: str) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{display}: is a directory")
    if not stat.S_ISREG(mode):
        raise InputError(f"{display}: not a regular file")


def read_stdin(display: str, limit: int) -> str:
    return decode(_read_at_most(sys.stdin.buffer, limit), display)


def _read_at_most(handle, limit: int) -> bytes:
    """All of ``handle`` if it holds at most ``limit`` bytes (a file may grow after it
    was measured, standard input has no size), else :class:`TooLarge`."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(None)
    return data


# --- analysis ---------------------------------------------------------------------------------

_engine: Engine | None = None  # the engine of this (worker) process
_engine_factory: Callable[[], Engine] | None = None  # the factory that made it


def check_one(engine: Engine, target: Target) -> FileReport:
    try:
        analysis = engine.analyze(
            _text_of(target, engine.settings.max_file_size), _analysis_path(target), explicit=target.explicit
        )
    except TooLarge as large:
        analysis = engine.too_large(_analysis_path(target), large.size, explicit=target.explicit)
    return file_report(analysis, target.display)


def _text_of(target: Target, limit: int) -> str:
    """The text to check: standard input's (read already) or the file's; :class:`TooLarge`
    over ``limit`` bytes."""
    if target.too_large:
        raise TooLarge(None)
    if target.text is not None:
        return target.text
    return read_file(target.fs_path or "", target.display, limit)


def _analysis_path(target: Target) -> str:
    return target.analysis_path or target.fs_path or target.display


def check_all(
    targets: list[Target],
    engine_factory: Callable[[], Engine],
    workers: int | None = None,
) -> tuple[list[FileReport], list[str]]:
    """Reports for all targets in order, and the error messages of those that failed."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and _worth_parallel(targets):
        outcomes = _check_parallel(targets, engine_factory, workers)
    else:
        engine = engine_factory()
        outcomes = [_outcome(engine, target) for target in targets]
    reports = [outcome for outcome in outcomes if isinstance(outcome, FileReport)]
    errors = [outcome for outcome in outcomes if isinstance(outcome, str)]
    return reports, errors


def _worth_parallel(targets: list[Target]) -> bool:
    files = [t for t in targets if t.text is None]
    return len(files) >= PARALLEL_MIN_FILES or sum(t.size for t in files) >= PARALLEL_MIN_BYTES


def _outcome(engine: Engine, target: Target) -> FileReport | str:
    try:
        return check_one(engine, target)
    except InputError as error:
        return str(error)


def _check_parallel(
    targets: list[Target], engine_factory: Callable[[], Engine], workers: int
) -> list[FileReport | str]:
    import multiprocessing

    chunks = list(_chunks(targets, workers * TASKS_PER_WORKER))
    if "fork" in multiprocessing.get_all_start_methods():
        # Build the engine (and load the knowledge base) once; workers inherit it.
        _worker_init(engine_factory)
        context: multiprocessing.context.BaseContext = multiprocessing.get_context("fork")
    else:  # pragma: no cover - Windows and macOS spawn fresh interpreters
        context = multiprocessing.get_context("spawn")
    workers = min(workers, len(chunks))
    with context.Pool(workers, initializer=_worker_init, initargs=(engine_factory,)) as pool:
        results = pool.map(_check_chunk, chunks, chunksize=1)
    return [outcome if isinstance(outcome, str) else from_plain(outcome) for chunk in results for outcome in chunk]


def _chunks(targets: list[Target], count: int) -> Iterable[list[Target]]:
    """``count`` runs of consecutive targets with about the same number of bytes each."""
    total = sum(max(t.size, 1) for t in targets)
    share = total / max(count, 1)
    chunk: list[Target] = []
    weight = 0
    for target in targets:
        chunk.append(target)
        weight += max(target.size, 1)
        if weight >= share:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _worker_init(engine_factory: Callable[[], Engine]) -> None:
    """The engine of this process, made by ``engine_factory``: a run over several
    projects makes one per project (each with its own settings)."""
    global _engine, _engine_factory
    if _engine is None or _engine_factory is not engine_factory:
        _engine_factory = engine_factory
        _engine = engine_factory()
        _engine.warm_up()  # set up now (before the fork, when there is one), not in the first task


def _check_chunk(chunk: list[Target]) -> list[tuple | str]:
    """Reports as plain tuples (they pickle fast), or error messages."""
    assert _engine is not None
    outcomes = [_outcome(_engine, target) for target in chunk]
    return [outcome if isinstance(outcome, str) else to_plain(outcome) for outcome in outcomes]


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
