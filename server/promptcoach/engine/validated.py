"""Remembering which built-in data files passed their schema.

Compiling a JSON Schema validator costs tens of milliseconds and several MB of
memory for the life of the process, while the built-in files only change when
Prompt Coach is upgraded. So a file is validated once per content: a digest of
the file's text, its schema and the validator's version is then kept in the
user's cache directory, and while that digest is there the file is known to be
valid and no validator is compiled. A missing or unwritable cache directory only
means validating every time.

The directory is ``$PROMPTCOACH_CACHE_DIR``, else ``$XDG_CACHE_HOME/promptcoach``,
else ``~/.cache/promptcoach``; ``PROMPTCOACH_CACHE_DIR=off`` turns the cache off.
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
        return None if configured.strip().lower() in ("", "off", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "promptcoach"


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
        path = directory / FILE_NAME
        if len(known) > _MAX_ENTRIES:
            _replace(path, [key])
            known.clear()
            known.add(key)
        else:
            with open(path, "a", encoding="ascii") as handle:
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
    try:
        text = (directory / FILE_NAME).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line for line in text.split() if len(line) == 64}


def _replace(path: Path, keys: list[str]) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text("".join(key + "\n" for key in keys), encoding="ascii")
    os.replace(temporary, path)
