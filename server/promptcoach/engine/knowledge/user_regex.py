"""Patterns from users' knowledge packs run on RE2 (the google-re2 module).

A pattern in ``.promptcoach.yaml`` or a pack it extends comes from the repository,
which may be anyone's. RE2 matches in time linear in the text whatever the pattern
(no backtracking), so no pattern can make a check hang: safe by construction, not by
a checker that tries to recognise dangerous patterns. The price is RE2's syntax: no
look-around, no backreferences, and ``\\w``/``\\b`` are ASCII-only. The built-in
knowledge's own patterns keep Python's ``re`` (they are ours, and the scaling harness
runs them on adversarial text).

Matching is case-insensitive, as for built-in patterns; a compiled pattern has the
``search``/``finditer`` methods and match objects of ``re`` that the engine uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptcoach.engine.knowledge.safe_regex import MAX_PATTERN_LENGTH

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.knowledge.model import CompiledPattern

# RE2's memory budget per pattern (its default is 8 MiB); a pattern that needs more is refused.
_MAX_MEMORY = 8 << 20


class UserPatternError(ValueError):
    """A pattern RE2 cannot run; the message says why."""


def compile_user_pattern(source: str) -> CompiledPattern:
    """``source`` compiled by RE2, case-insensitive; raises :class:`UserPatternError`."""
    if len(source) > MAX_PATTERN_LENGTH:
        raise UserPatternError(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    try:
        import re2  # only when a pack has patterns: most runs never load it
    except ImportError:  # pragma: no cover - an installation without google-re2
        raise UserPatternError(
            "patterns in knowledge packs need the google-re2 module, which this installation lacks"
        ) from None
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the error is raised, not printed
    options.max_mem = _MAX_MEMORY
    try:
        compiled: CompiledPattern = re2.compile(source, options)
        return compiled
    except re2.error as error:
        reason = error.args[0] if error.args else error
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise UserPatternError(f"not a pattern RE2 can run: {reason}") from None
