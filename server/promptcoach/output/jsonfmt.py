"""JSON that is readable and fast: containers are indented down to a depth, deeper
values are written on one line by the C encoder (``json.dumps(indent=...)`` falls
back to the pure-Python encoder, several times slower on large reports)."""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring

from promptcoach.output.paths import INVISIBLE

# Left as they are by ``ensure_ascii=False`` (which escapes C0 controls only): what text
# output escapes besides them (C1 controls, DEL, line and paragraph separators, bidi marks
# and overrides). Written as \u escapes, the decoded string is the same, and a terminal
# showing the report cannot be steered by a file name.
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def protect(encoded: str) -> str:
    """JSON text with the characters above written as ``\\uXXXX`` (they only occur in strings)."""
    if encoded.isprintable():
        return encoded  # (nearly all: none of them is printable)
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def json_string(text: str) -> str:
    """A JSON string literal of ``text``: UTF-8 as it is, but see :func:`protect`."""
    return protect(encode_basestring(text))


def dumps(value, compact_depth: int, indent: int = 2, _level: int = 0) -> str:
    if _level >= compact_depth or not isinstance(value, (dict, list)) or not value:
        return protect(json.dumps(value, ensure_ascii=False))
    pad = " " * (indent * (_level + 1))
    close = " " * (indent * _level)
    if isinstance(value, dict):
        items = (
            f"{pad}{json_string(key)}: {dumps(item, compact_depth, indent, _level + 1)}" for key, item in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{close}}}"
    items = (f"{pad}{dumps(item, compact_depth, indent, _level + 1)}" for item in value)
    return "[\n" + ",\n".join(items) + f"\n{close}]"
