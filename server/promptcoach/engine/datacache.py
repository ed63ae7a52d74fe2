"""A cache of the parsed built-in data files, as JSON, in the user's cache directory.

Parsing the YAML files that ship with Prompt Coach and checking them against their
schemas costs a one-file ``promptcoach check`` most of its time, while the files only
change when Prompt Coach is upgraded. So each parsed file is kept as JSON under the
digest of everything it was made from (its text, its schema, this format's version):
while the file and its schema are unchanged, a start reads one small JSON file
instead of importing a YAML parser and a schema validator. A changed file has a new
digest, so a stale entry is never read; a corrupt one is ignored and written again.

Other parts keep what they derive from a text under the digest of that text the same
way: compiled regular expressions (:mod:`.regexcache`), that a configuration is
valid (:mod:`.config_settings`), the dependency names of a pyproject.toml
(:mod:`.manifests`). An entry is found only by its digest, so a repository can add
entries for its own texts but never change what another text reads.

Nothing is ever read from the workspace: the directory is ``$PROMPTCOACH_CACHE_DIR``,
else ``$XDG_CACHE_HOME/promptcoach`` (when absolute, as the XDG specification asks),
else ``~/.cache/promptcoach``; with no home directory there is no cache.
``PROMPTCOACH_CACHE_DIR=off`` turns it off. The directory is created private (0700);
an entry, or a directory on its path, that another user owns or can write is
ignored, and entries are plain JSON, so loading one cannot run code. A directory that
cannot be created or written only means parsing every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

ENV = "PROMPTCOACH_CACHE_DIR"
FORMAT = "data-v1"  # the subdirectory, and part of every digest: a new format never reads an old one
_MAX_ENTRY_BYTES = 4_000_000
MAX_ENTRIES = 200  # beyond this the oldest entries (earlier versions' files) are removed
MISSING = object()  # what load returns when there is no usable entry


def cache_dir() -> Path | None:
    configured = os.environ.get(ENV)
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "none") else Path(configured).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "promptcoach"
    home = os.path.expanduser("~")
    if not os.path.isabs(home):  # no HOME and no passwd entry: "~" is returned as it is
        return None
    return Path(home) / ".cache" / "promptcoach"


def digest(*parts: str) -> str:
    h = hashlib.sha256(FORMAT.encode("ascii"))
    for part in parts:
        h.update(b"\0")
        h.update(part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def load(key: str) -> Any:
    """The data stored under ``key``, or :data:`MISSING` when there is no usable entry."""
    directory = _entries()
    if directory is None or not _is_private(directory):
        return MISSING
    path = directory / f"{key}.json"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return MISSING
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned(info) or info.st_size > _MAX_ENTRY_BYTES:
            return MISSING
        with os.fdopen(fd, "rb", closefd=False) as handle:
            entry = json.loads(handle.read(_MAX_ENTRY_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        return MISSING
    finally:
        os.close(fd)
    if not isinstance(entry, dict) or entry.get("key") != key or "data" not in entry:
        return MISSING
    return entry["data"]


def store(key: str, data: Any) -> None:
    """Keep ``data`` under ``key`` when JSON holds it exactly; failures are ignored."""
    directory = _entries()
    if directory is None:
        return
    try:
        text = json.dumps({"key": key, "data": data}, separators=(",", ":"))  # ASCII: a lone surrogate survives
        if json.loads(text)["data"] != data:  # a value JSON would change (a tuple, a non-string key)
            return
        directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # ~/.cache itself keeps its mode
        directory.mkdir(mode=0o700, exist_ok=True)
        if not _is_private(directory):
            return
        temporary = directory / f"{key}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, directory / f"{key}.json")
        _prune(directory, keep=directory / f"{key}.json")
    except (OSError, ValueError, TypeError, RecursionError):
        pass


def _prune(directory: Path, keep: Path) -> None:
    """Keep ``keep`` and the newest of the other entries, MAX_ENTRIES in all (a store
    is rare: only after Prompt Coach or its data changed)."""
    entries = [path for path in directory.glob("*.json") if path != keep]
    if len(entries) < MAX_ENTRIES:
        return
    entries.sort(key=lambda path: path.stat().st_mtime_ns)
    for path in entries[: len(entries) - MAX_ENTRIES + 1]:
        path.unlink(missing_ok=True)


def _entries() -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / FORMAT


def _owned(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (always true where there are no uids)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _is_private(directory: Path) -> bool:
    """The entries' directory and its parent (the cache directory) are this user's own."""
    try:
        return all(_owned(os.stat(path)) for path in (directory, directory.parent))
    except OSError:
        return False
