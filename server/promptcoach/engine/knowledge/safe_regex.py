"""A lint for the built-in knowledge's patterns: a safe subset of Python's ``re``.

Users' patterns run on RE2 (knowledge/user_regex.py) and need no such check. Ours
run on Python's ``re``, on every prompt, so a test keeps them where they cannot
backtrack catastrophically. A pattern is accepted when it is at most
``MAX_PATTERN_LENGTH`` characters, compiles, and stays in a safe subset:

* no backreferences, no named groups (we name groups ourselves), no
  conditional groups;
* a quantified part may not contain another unbounded quantifier
  (``(a+)+``, ``(\\w+ )*``);
* an unbounded quantifier may not apply to a group containing alternation or
  quantifiers (``(a|ab)*``).

Bounded repeats such as ``(?:\\w{1,30} ){0,3}`` are fine.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import re._constants as _sre_constants
    import re._parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

MAX_PATTERN_LENGTH = 200

_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(_sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEATS.add(_POSSESSIVE)
_MAXREPEAT = _sre_constants.MAXREPEAT
_ATOMIC_GROUP = getattr(_sre_constants, "ATOMIC_GROUP", None)  # Python 3.11+


class UnsafePattern(ValueError):
    """A pattern outside the safe subset; the message says why."""


def check_pattern(pattern: str) -> None:
    """Raise :class:`UnsafePattern` unless ``pattern`` is short, valid and safe."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    try:
        re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except re.error as error:
        raise UnsafePattern(f"invalid regular expression: {error}") from None
    if parsed.state.groupdict:
        raise UnsafePattern("named groups are not allowed")
    _check_items(list(parsed.data), inside_repeat=False)


def _check_items(items: list[tuple[Any, Any]], inside_repeat: bool) -> None:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            unbounded = high == _MAXREPEAT
            if unbounded and inside_repeat:
                raise UnsafePattern("nested quantifiers: an unbounded quantifier inside a quantified group")
            if unbounded and _has_branch_or_repeat(list(body)):
                raise UnsafePattern("an unbounded quantifier over a group with alternation or quantifiers")
            _check_items(list(body), inside_repeat=True)
        elif op == _sre_constants.GROUPREF or op == _sre_constants.GROUPREF_EXISTS:
            raise UnsafePattern("backreferences and conditional groups are not allowed")
        else:
            for sub in _children(op, arg):
                _check_items(sub, inside_repeat)


def _children(op: object, arg: Any) -> list[list[tuple[Any, Any]]]:
    """Sub-patterns of a parsed item (groups, alternation branches, lookarounds)."""
    if op == _sre_constants.SUBPATTERN:
        return [list(arg[-1])]
    if op == _sre_constants.BRANCH:
        return [list(branch) for branch in arg[1]]
    if op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
        return [list(arg[1])]
    if _ATOMIC_GROUP is not None and op == _ATOMIC_GROUP:
        return [list(arg)]
    return []


def _has_branch_or_repeat(items: list[tuple[Any, Any]]) -> bool:
    for op, arg in items:
        if op in _REPEATS or op == _sre_constants.BRANCH:
            return True
        if op == _sre_constants.IN:
            continue
        if any(_has_branch_or_repeat(sub) for sub in _children(op, arg)):
            return True
    return False
