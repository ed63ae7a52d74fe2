"""JSON that is readable and fast: containers are indented down to a depth, deeper
values are written on one line by the C encoder (``json.dumps(indent=...)`` falls
back to the pure-Python encoder, several times slower on large reports)."""

from __future__ import annotations

import json


def dumps(value, compact_depth: int, indent: int = 2, _level: int = 0) -> str:
    if _level >= compact_depth or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = " " * (indent * (_level + 1))
    close = " " * (indent * _level)
    if isinstance(value, dict):
        items = (
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {dumps(item, compact_depth, indent, _level + 1)}"
            for key, item in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{close}}}"
    items = (f"{pad}{dumps(item, compact_depth, indent, _level + 1)}" for item in value)
    return "[\n" + ",\n".join(items) + f"\n{close}]"
