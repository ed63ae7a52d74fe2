"""Remembering which built-in data files passed their schema.

Compiling a JSON Schema validator costs tens of milliseconds and several MB of
memory for the life of the process, while the built-in files only change when
Prompt Coach is upgraded. So a file is validated once per content: a digest of
the file's text, its schema and the validator's version is then kept in the
user's cache directory, and while that digest is there the file is known to be
valid and no validator is compiled. A missing or unwritable cache directory only
means validating every time.

The directory is ``$PROMPTCOACH_CACHE_DIR``, else ``$XDG_CACHE_HOME/promptcoach``
(when it is an absolute path, as the XDG specification asks), else
``~/.cache/promptcoach``; with no home directory to be found there is no cache, never
one in the current directory. ``PROMPTCOACH_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import fastjsonschema

ENV = "PROMPTCOACH_CACHE_DIR"
FILE_NAME = "validated-v1.txt"
_MAX_ENTRIES = 512  # older digests are dropped beyond this (they belong to older versions)


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


def digest(text: str, schema_text: str) -> str:
    h = hashlib.sha256()
    for part in (fastjsonschema.VERSION, schema_text, text):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def is_known(key: str) -> bool:
    return key in _known()


def remember(key: str) -> None:
    """Record a digest that passed; failures to write are ignored."""
    known = _known()
    if key in known:
        return
    known.add(key)
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / FILE_NAME, "a", encoding="ascii") as handle:
            handle.write(key + "\n")
    except OSError:
        pass


def forget() -> None:
    """Drop what this process read from the cache (tests)."""
    _known.cache_clear()


@lru_cache(maxsize=1)
def _known() -> set[str]:
    directory = cache_dir()
    if directory is None:
        return set()
    path = directory / FILE_NAME
    try:
        lines = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return set()
    keys = {line for line in lines if len(line) == 64}
    if len(lines) > _MAX_ENTRIES:  # compact: repeats from processes that started together, old versions
        keys = keys if len(keys) <= _MAX_ENTRIES else set()
        try:
            _replace(path, sorted(keys))
        except OSError:
            pass
    return keys


def _replace(path: Path, keys: list[str]) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text("".join(key + "\n" for key in keys), encoding="ascii")
    os.replace(temporary, path)
