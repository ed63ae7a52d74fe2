"""Inline suppression comments.

Three directives, each inside a comment (an HTML comment in Markdown and other
prompt files, any comment of the language in source code):

* ``promptcoach-disable-next-line [RULE...]`` -- the next line (for a
  directive in a comment that spans lines: the line after the comment);
* ``promptcoach-disable-line [RULE...]`` -- the line of the directive;
* ``promptcoach-disable-file [RULE...]`` -- the whole document.

Without rule ids every rule is disabled. Ids are separated by spaces or commas;
``--`` starts a free-text reason. A finding is suppressed when a matching
directive covers any line of the finding or of the prompt it belongs to, so a
directive right above a multi-line prompt silences that prompt.

Comment syntaxes come from the extraction language table
(:mod:`promptcoach.engine.extract.languages`); a directive in a string or in
plain prose is ignored, as is one inside fenced code in Markdown.

The directives are found by :mod:`promptcoach.engine.suppress_directives`; this
module applies them (:class:`Suppressions`) and writes the "Disable <rule> for this line"
quick fix.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.model import Edit, Finding, Fix, Prompt
from promptcoach.engine.positions import LineIndex
from promptcoach.engine.suppress_directives import (
    LINE_BREAK,
    CommentStyle,
    Directive,
    comment_around,
    comment_style,
    comments,
    directives_in,
)

TOKEN = "promptcoach-disable"
_MARKDOWN_PREFIX = regexcache.compile(r"[ \t]*(?:>[ \t]?)*")
_INDENT = regexcache.compile(r"[ \t]*")
_LEADING_SPACE = regexcache.compile(r"\s*")  # what str.lstrip() removes


class _CoverageIndex:
    """The directives of a document arranged for one lookup per finding: whole-file
    directives as rule sets, line directives as sorted line lists per rule (key None:
    every rule). Testing each finding against every directive was quadratic (issue 16)."""

    __slots__ = ("file_wide", "file_rules", "lines_by_rule", "next_line_at", "lines", "rules_at")

    def __init__(self, directives: tuple[Directive, ...]) -> None:
        self.file_wide = False  # a whole-file directive for every rule
        file_rules: set[str] = set()
        self.lines_by_rule: dict[str | None, list[int]] = {}
        self.next_line_at: dict[int, Directive] = {}  # the first next-line directive per line
        by_line = []
        for directive in directives:
            if directive.line is None:
                self.file_wide = self.file_wide or not directive.rules
                file_rules.update(directive.rules)
                continue
            for rule in directive.rules or (None,):
                self.lines_by_rule.setdefault(rule, []).append(directive.line)
            if directive.kind == "next-line":
                self.next_line_at.setdefault(directive.line, directive)
            by_line.append((directive.line, directive.rules))
        self.file_rules = frozenset(file_rules)
        for lines in self.lines_by_rule.values():
            lines.sort()
        by_line.sort(key=lambda item: item[0])
        self.lines = [line for line, _ in by_line]  # the line directives' lines, sorted
        self.rules_at = [rules for _, rules in by_line]  # and their rules (empty: every rule)

    def rules_on(self, first_line: int, last_line: int) -> frozenset[str] | None:
        """The rules some directive covers on a line of ``first_line..last_line``; None:
        every rule."""
        if self.file_wide:
            return None
        lines = self.lines
        at = bisect_left(lines, first_line)
        if at == len(lines) or lines[at] > last_line:
            return self.file_rules  # no line directive there (most prompts): nothing to copy
        found = set(self.file_rules)
        while at < len(lines) and lines[at] <= last_line:
            rules = self.rules_at[at]
            if not rules:
                return None
            found.update(rules)
            at += 1
        return frozenset(found)

    def covers(self, rule: str, first_line: int, last_line: int) -> bool:
        if self.file_wide or rule in self.file_rules:
            return True
        return _any_between(self.lines_by_rule.get(None), first_line, last_line) or _any_between(
            self.lines_by_rule.get(rule), first_line, last_line
        )


def _any_between(sorted_lines: list[int] | None, first: int, last: int) -> bool:
    if not sorted_lines:
        return False
    at = bisect_left(sorted_lines, first)
    return at < len(sorted_lines) and sorted_lines[at] <= last


class Suppressions:
    """The suppression directives of one document."""

    def __init__(self, directives: tuple[Directive, ...] = (), lines: LineIndex | None = None) -> None:
        self.directives = directives
        self._lines = lines
        self._index: _CoverageIndex | None = None  # built on the first lookup

    @property
    def index(self) -> _CoverageIndex:
        if self._index is None:
            self._index = _CoverageIndex(self.directives)
        return self._index

    def __bool__(self) -> bool:
        return bool(self.directives)

    @classmethod
    def parse(cls, text: str, path: str = "", language_id: str | None = None) -> Suppressions:
        if TOKEN not in text:
            return NO_SUPPRESSIONS  # the common case costs one substring search
        return _parse(text, path, language_id)

    def suppresses(self, finding: Finding, prompt: Prompt | None = None) -> bool:
        if not self.directives:
            return False
        assert self._lines is not None  # a document with directives has its line index
        start, end = finding.start, finding.end
        if prompt is not None:
            start, end = min(start, prompt.start), max(end, prompt.end)
        first = self._lines.line_of(start)
        last = self._lines.line_of(max(start, end - 1))
        return self.index.covers(finding.rule, first, last)

    def silenced(self, prompt: Prompt, rules: Iterable[str]) -> frozenset[str]:
        """Those of ``rules`` a directive covers on some line of ``prompt``: every finding
        of theirs on the prompt is suppressed (:meth:`suppresses` tests the lines of the
        finding and of its prompt), so they need not run on it."""
        if not self.directives:
            return _NO_RULES
        start, end = prompt.start, prompt.end  # (each a property: read once)
        if end <= start:
            return _NO_RULES
        assert self._lines is not None  # a document with directives has its line index
        covered = self.index.rules_on(self._lines.line_of(start), self._lines.line_of(end - 1))
        if covered is None:
            return frozenset(rules)
        return covered.intersection(rules) if covered else _NO_RULES

    def filter(self, findings: Iterable[Finding], prompt: Prompt | None = None) -> list[Finding]:
        """The findings no directive suppresses."""
        if not self.directives:
            return list(findings)
        return [finding for finding in findings if not self.suppresses(finding, prompt)]


NO_SUPPRESSIONS = Suppressions()
_NO_RULES: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def _parse(text: str, path: str, language_id: str | None) -> Suppressions:
    lines = _line_index(text)
    directives = []
    rules_read: dict[str, frozenset[str]] = {}
    for comment in comments(text, path, language_id):
        # most comments of a source file hold no directive: one substring search rules them out
        if text.find(TOKEN, comment.body_start, comment.body_end) >= 0:
            directives.extend(directives_in(text, comment, lines, rules_read))
    return Suppressions(tuple(directives), lines) if directives else NO_SUPPRESSIONS


@lru_cache(maxsize=8)
def _line_index(text: str) -> LineIndex:
    return LineIndex(text)


# --------------------------------------------------------------------------- quick fixes


def disable_line_fix(
    document_text: str,
    finding: Finding,
    prompt: Prompt | None = None,
    path: str = "",
    language_id: str | None = None,
    suppressions: Suppressions | None = None,
    eol: str | None = None,
) -> Fix | None:
    """ "Disable <rule> for this line": a ``promptcoach-disable-next-line`` comment above
    the prompt's first line (or the rule added to one already there). None when the
    rule is already disabled there. ``suppressions``: the document's, when the caller
    has parsed them already (saves a search of the whole text per finding); ``eol``:
    the document's line break, when ``document_text`` is only a part of it."""
    rule = finding.rule
    anchor = prompt.start if prompt is not None else finding.start
    lines = _line_index(document_text)
    line = lines.line_of(anchor)
    line_start = lines.line_starts[line]
    title = f"Disable {rule} for this line"
    if suppressions is None:
        suppressions = Suppressions.parse(document_text, path, language_id)
    existing = _existing_next_line_directive(document_text, line, suppressions)
    if existing is not None:
        if not existing.rules or rule in existing.rules:
            return None
        return Fix(title, (Edit(existing.end_of_rules, existing.end_of_rules, f" {rule}"),))
    style = comment_style(path, language_id)
    prefix, in_block = _line_prefix(document_text, line, lines, style, path, language_id)
    body = f"{TOKEN}-next-line {rule}"
    comment = body if in_block else style.wrap(body)
    return Fix(title, (Edit(line_start, line_start, prefix + comment + (eol or _eol(document_text))),))


class _Existing(NamedTuple):
    rules: frozenset[str]
    end_of_rules: int


def _existing_next_line_directive(text: str, line: int, suppressions: Suppressions) -> _Existing | None:
    if line == 0 or not suppressions:
        return None
    directive = suppressions.index.next_line_at.get(line)
    if directive is None:
        return None
    body = text[directive.start : directive.end]
    rules_end = directive.start + len(body.split(" --", 1)[0].rstrip())
    return _Existing(directive.rules, rules_end)


def _line_prefix(
    text: str, line: int, lines: LineIndex, style: CommentStyle, path: str, language_id: str | None
) -> tuple[str, bool]:
    """What goes before the inserted comment -- the line's indentation (and block-quote
    markers in Markdown) -- and whether the line lies inside a block comment (then
    the directive is written as plain text after the comment's gutter). Matched in
    place: copying the line for each finding on it was quadratic on a long line."""
    start, end = _line_bounds(text, lines, line)
    if style.markdown:
        prefix = _MARKDOWN_PREFIX.match(text, start, end)
        assert prefix is not None  # the pattern matches the empty string
        return prefix.group(0), False
    indent_match = _INDENT.match(text, start, end)
    assert indent_match is not None  # the pattern matches the empty string
    indent = indent_match.group(0)
    comment = comment_around(start, text, path, language_id)
    if comment is not None and comment.block:
        leading = _LEADING_SPACE.match(text, start, end)
        assert leading is not None  # the pattern matches the empty string
        visible = leading.end()
        gutter = comment.gutter if comment.gutter and text.startswith(comment.gutter, visible, end) else ""
        return indent + (gutter + " " if gutter else ""), True
    return indent, False


def _line_bounds(text: str, lines: LineIndex, line: int) -> tuple[int, int]:
    """Start and end of ``line`` without its line break (the span of ``lines.line_text``)."""
    start = lines.line_starts[line]
    end = lines.line_starts[line + 1] if line + 1 < lines.line_count else len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return start, end


def document_eol(text: str) -> str:
    """The line break a document uses (its first one; ``\n`` when it has none)."""
    return _eol(text)


@lru_cache(maxsize=8)  # called once per finding: without it a long line is quadratic
def _eol(text: str) -> str:
    match = LINE_BREAK.search(text)
    return match.group(0) if match else "\n"
