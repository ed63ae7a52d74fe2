"""File names in the reports.

A POSIX file name is bytes. Python shows the bytes of a name that are not UTF-8 as
lone surrogates (``os.fsdecode``'s "surrogateescape"), which UTF-8 and so JSON
cannot carry. Text output writes such a name as its bytes; these functions give the
JSON report and SARIF a valid string.
"""

from __future__ import annotations

import os
import re

from promptcoach.engine import regexcache

_SURROGATE = regexcache.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def unicode_path(path: str) -> str:
    """``path`` as valid Unicode: each byte of the name that is not UTF-8 becomes
    U+FFFD, as ruff and Node-based linters show such names (lossy; SARIF's URIs keep
    the bytes)."""
    if path.isascii():  # nearly every name
        return path
    return _SURROGATE.sub(REPLACEMENT, path)


def uri_reference(path: str) -> str:
    """A relative URI reference for a displayed path: forward slashes, and the name's
    bytes as the file system has them percent-encoded (RFC 3986), so ``\\xff`` is
    ``%FF`` and nothing is lost."""
    from urllib.parse import quote  # (here: only SARIF needs it)

    return quote(os.fsencode(path.replace("\\", "/")))


# C0 and C1 control characters, DEL, line and paragraph separators, the bidirectional
# marks and overrides: in a terminal they move the cursor, retitle the window, clear the screen or
# plant hyperlinks, and a line break forges a line of its own (``::error`` for a CI runner).
INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"  # (a character class's body)
_CONTROL = regexcache.compile(f"[\x00-\x1f{INVISIBLE}]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\n``,
    ``\\u202e``): what a repository names (files, pack titles) reaches a terminal as text."""
    if text.isprintable():
        return text
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    return repr(char)[1:-1] if ord(char) < 0x100 else f"\\u{ord(char):04x}"
