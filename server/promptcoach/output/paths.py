"""File names in the reports.

A POSIX file name is bytes. Python shows the bytes of a name that are not UTF-8 as
lone surrogates (``os.fsdecode``'s "surrogateescape"), which UTF-8 and so JSON
cannot carry. Text output writes such a name as its bytes; these functions give the
JSON report and SARIF a valid string.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

_SURROGATE = re.compile("[\ud800-\udfff]")
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
    return quote(os.fsencode(path.replace("\\", "/")))
