"""file-too-large: a document over ``maxFileSize`` is not analysed, and says so.

No file may keep the editor or a CI run busy (issue 16): a document whose UTF-8 size
is over the limit gets this one finding on its first line instead of an analysis.
The CLI checks a file's size before reading it, so an oversized file is never read;
the editor, which is sent the text, checks the text.
"""

from __future__ import annotations

from promptcoach.engine.model import Finding
from promptcoach.engine.rules.base import Rule, RuleContext, resolve_severity
from promptcoach.engine.settings import Settings

RULE_ID = "file-too-large"


def _no_prompt_findings(ctx: RuleContext, severity: str) -> list[Finding]:
    return []  # a rule of whole files, see too_large_finding


RULE = Rule(RULE_ID, _no_prompt_findings, gate=lambda ctx, words: False, scope="document")


def oversize(text: str, limit: int) -> int | None:
    """The UTF-8 size of ``text`` when it is over ``limit`` bytes, else None. A text of
    at most a quarter of the limit in characters (1-4 bytes each) is not measured, and
    only a text that is not ASCII is encoded."""
    if len(text) * 4 <= limit:
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    return size if size > limit else None


def too_large_finding(size: int | None, settings: Settings) -> list[Finding]:
    """The finding of a file of ``size`` bytes over ``settings.max_file_size`` (none when
    the rule is off); ``size`` None: over it by an unknown amount (standard input, read
    only up to the limit)."""
    severity = resolve_severity(RULE, settings)
    if severity is None:
        return []
    limit = settings.max_file_size
    if size is None:
        message = RULE.meta.message("unmeasured", limit=readable_size(limit))
    else:
        message = RULE.meta.message("message", size=readable_size(size), limit=readable_size(limit))
    return [Finding(RULE_ID, severity, message, 0, 0, {"size": size, "limit": limit}, ())]


def readable_size(size: int) -> str:
    """``size`` bytes as people read it: 512 bytes, 4.2 KB, 1.23 MB, 20 GB (decimal units)."""
    if size < 1000:
        return f"{size} bytes"
    unit, scale = next(((u, s) for u, s in (("KB", 1e3), ("MB", 1e6)) if size < s * 1000), ("GB", 1e9))
    return f"{size / scale:.3g} {unit}" if size < scale * 100 else f"{round(size / scale):,} {unit}"
