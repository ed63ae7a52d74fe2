"""Compiled regular expressions kept across runs, for the patterns built from data.

The vocabularies of the knowledge base and the rules become a few dozen large
regular expressions (alternations of hundreds of phrases). Python's ``re`` compiles
a pattern in pure Python, parsing it and generating the matcher's code, and that
costs a start tens of milliseconds, though the patterns only change with the data.
So :func:`compile` keeps the generated code in the cache directory of
:mod:`promptcoach.engine.datacache` (one JSON entry for this interpreter's regex
engine) and later runs hand it straight to the engine (``_sre.compile``), which
checks the code before it accepts it.

This uses the ``re`` package's internals as CPython 3.10 to 3.13 have them
(``_parser.parse``, ``_compiler._code`` and ``_sre.compile`` with the same six
arguments); the entry's key holds the interpreter's version and the engine's
``MAGIC``, so another version never reads it, and any surprise (a missing
internal, code the engine refuses) falls back to ``re.compile``.
``tests/engine/test_regexcache.py`` checks that every pattern compiled this way
equals the one ``re.compile`` makes (a pattern's equality compares its code), so
a Python release that changes these internals fails that test.

The modules' own fixed patterns go through here too (``NAME = regexcache.compile(...)``
at module level): compiling the hundred or so of them cost every start about ten
milliseconds.

Building some sources costs as much as compiling them (a vocabulary of hundreds of
phrases made into a character trie, :func:`promptcoach.engine.phrases.phrase_pattern`):
:func:`built_source` keeps those in the same entry, under the digest of the strings
they are built from.

Only patterns from Prompt Coach's own data and code go through here; patterns from
a user's knowledge pack run on RE2 (``knowledge/user_regex.py``) and are never
cached.
"""

from __future__ import annotations

import atexit
import hashlib
import re
import sys
from array import array
from collections.abc import Callable, Sequence
from typing import Any

try:  # CPython 3.11+
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - CPython 3.10
    import sre_compile as _compiler
    import sre_parse as _parser

import _sre  # type: ignore[import-not-found]  # CPython's regex engine: no stubs

from promptcoach.engine import datacache

_MAX_PATTERNS = 2_000  # beyond this the entry starts afresh (patterns of older data)
_ENGINE = f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.byteorder}"
# The engine's code words are kept as one hexadecimal string per pattern (the bytes of
# an array of them in this machine's order): JSON reads a string of 600 KB in well under
# a millisecond, the same code as lists of 73,000 numbers in about 10 ms, every start.
_CODE_TYPE = next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), None)


class _Store:
    """The entry's patterns, read on first use and written at exit when it grew."""

    def __init__(self) -> None:
        self.key = datacache.digest("compiled-regex-hex", _ENGINE)
        self.codes: dict[str, Any] | None = None  # name -> its parts (the code as a hex string) or source
        self.changed = False

    def get(self, name: str) -> Any:
        if self.codes is None:
            loaded = datacache.load(self.key)
            self.codes = loaded if isinstance(loaded, dict) else {}
        return self.codes.get(name)

    def add(self, name: str, parts: Any) -> None:
        assert self.codes is not None
        if len(self.codes) >= _MAX_PATTERNS:
            self.codes = {}
        self.codes[name] = parts
        if not self.changed:
            self.changed = True
            atexit.register(self.save)

    def save(self) -> None:
        if self.changed and self.codes is not None:
            datacache.store(self.key, self.codes)
            self.changed = False


_store = _Store()


def compile(source: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - the name re uses
    """``re.compile(source, flags)``, with the code generated in an earlier run when
    there was one. ``flags`` are ``re`` flags (not ``re.DEBUG``)."""
    flags = int(flags)
    name = f"{flags}:{source}"
    parts = _store.get(name)
    if isinstance(parts, list):
        pattern = _from_parts(source, parts)
        if pattern is not None:
            return pattern
    parts = _parts(source, flags)
    pattern = _from_parts(source, parts) if parts is not None else None
    if parts is None or pattern is None:
        return re.compile(source, flags)
    _store.add(name, parts)
    return pattern


def built_source(inputs: Sequence[str], build: Callable[[], str]) -> str:
    """``build()``, a pattern's source built from the strings ``inputs`` (a vocabulary
    made into a trie, say), kept in the same entry under the digest of ``inputs``: a
    later run with the same vocabulary skips building it. ``build`` must read nothing
    but ``inputs``."""
    text = "\0".join(inputs).encode("utf-8", "surrogatepass")
    name = "source:" + hashlib.sha256(text).hexdigest()
    source = _store.get(name)
    if not isinstance(source, str):
        source = build()
        _store.add(name, source)
    return source


def _parts(source: str, flags: int) -> list[Any] | None:
    """What ``re``'s compiler hands the engine: final flags, code (its words as hexadecimal),
    group count and names."""
    try:
        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        if _CODE_TYPE is None:  # pragma: no cover - no array type of the engine's word size
            return None
        return [flags | state.flags, array(_CODE_TYPE, code).tobytes().hex(), state.groups - 1, dict(state.groupdict)]
    except Exception:  # noqa: BLE001 - internals that changed: re.compile decides
        return None


def _from_parts(source: str, parts: Any) -> re.Pattern[str] | None:
    try:
        flags, hex_code, groups, groupindex = parts
        assert _CODE_TYPE is not None
        code = array(_CODE_TYPE, bytes.fromhex(hex_code)).tolist()
        indexgroup: list[str | None] = [None] * (groups + 1)
        for group_name, index in groupindex.items():
            indexgroup[index] = group_name
        pattern: re.Pattern[str] = _sre.compile(source, flags, code, groups, groupindex, tuple(indexgroup))
        return pattern
    except Exception:  # noqa: BLE001 - a damaged entry or changed internals: compile afresh
        return None
