"""Writing the CLI's output to standard output.

Text output goes out in the stream's encoding with the undecodable bytes of a file
name written back as the bytes they were (as ``ls`` and ``grep`` do); JSON and SARIF
always go out as UTF-8 (RFC 8259), whatever the terminal's encoding.
"""

from __future__ import annotations

import sys


def write_output(text: str, utf8: bool = False) -> None:
    """Write ``text`` to standard output and flush it; ``utf8``: as UTF-8."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stand-in (tests)
        stream.write(text)
        stream.flush()
        return
    stream.flush()  # what was written as text goes first
    if utf8:
        binary.write(_encode(text, "utf-8", "strict"))
    else:
        binary.write(_encode(text, stream.encoding or "utf-8", "surrogateescape"))
    binary.flush()


def _encode(text: str, encoding: str, errors: str) -> bytes:
    """``text`` in ``encoding``. ``errors="surrogateescape"`` turns surrogate escapes
    (a file name's bytes that are not UTF-8) back into their bytes; ``"strict"`` keeps
    UTF-8 valid. What still cannot be encoded becomes an escape such as ``\\u2192``
    (in JSON a valid string escape) rather than an error."""
    try:
        return text.encode(encoding, errors)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace")
