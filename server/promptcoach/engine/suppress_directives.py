"""Finding suppression directives: the comments of a document that may hold one
(extraction's lexer; in Markdown and other prompt files, HTML comments outside
fenced code), the directives in them and the lines they apply to, and the comment
syntax a new directive is written in (:func:`comment_style`).

:mod:`promptcoach.engine.suppress` applies the directives and writes the quick fixes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.positions import LineIndex

if TYPE_CHECKING:
    from promptcoach.engine.extract.lexer import Comment

_DIRECTIVE = regexcache.compile(r"promptcoach-disable-(next-line|line|file)(?![\w-])")
_RULE_ID = regexcache.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_REASON = regexcache.compile(r"(?:^|\s)--(?:\s|$)")  # starts the free-text reason after the rule ids
_RULE_SEPARATOR = regexcache.compile(r"[\s,]+")
_FENCE = regexcache.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.MULTILINE)
LINE_BREAK = regexcache.compile(r"\r\n|\r|\n")


class Directive(NamedTuple):
    kind: str  # "next-line" | "line" | "file"
    rules: frozenset[str]  # empty: every rule
    line: int | None  # the 0-based line it applies to; None for the whole file
    start: int  # document span of the directive text
    end: int

    def covers(self, rule: str, first_line: int, last_line: int) -> bool:
        if self.rules and rule not in self.rules:
            return False
        return self.line is None or first_line <= self.line <= last_line


class CommentStyle(NamedTuple):
    """How to write a one-line comment in a document."""

    open: str
    close: str = ""
    markdown: bool = False  # prompt files: keep block-quote markers in front

    def wrap(self, body: str) -> str:
        return f"{self.open} {body} {self.close}".rstrip() if self.close else f"{self.open} {body}"


MARKDOWN_STYLE = CommentStyle("<!--", "-->", markdown=True)


def _syntax_spec(path: str, language_id: str | None) -> tuple[str | None, dict[str, Any] | None]:
    """The extraction table's syntax name and spec for a document; (None, None) for prompt files."""
    from promptcoach.engine.extract.languages import is_text_document, language_table

    table = language_table()
    language = table.language_for(path, language_id)
    if (
        language is None
        or (language.syntax == "markdown")
        or (is_text_document(path, language_id) and language_id not in table.by_id)
    ):
        return None, None
    return language.syntax, table.spec(language.syntax)


@lru_cache(maxsize=64)
def comment_style(path: str, language_id: str | None = None) -> CommentStyle:
    """The comment syntax suppression comments are written in for this document."""
    name, spec = _syntax_spec(path, language_id)
    if spec is None:
        return MARKDOWN_STYLE
    for line in spec.get("line", []):
        token = line if isinstance(line, str) else line["token"]
        return CommentStyle(token)
    for block in spec.get("block", []):
        if isinstance(block, dict) and block.get("at") != "line-start":
            return CommentStyle(block["open"], block["close"])
    return MARKDOWN_STYLE


@lru_cache(maxsize=8)
def comments(text: str, path: str, language_id: str | None) -> tuple[Comment, ...]:
    """The comments of a document that may hold a directive (extraction's lexer)."""
    from promptcoach.engine.extract.languages import language_table

    table = language_table()
    name, _ = _syntax_spec(path, language_id)
    if name is not None:
        return tuple(table.syntax(name).scan(text))
    fenced = _fenced_regions(text)
    fence_starts = [start for start, _ in fenced]
    return tuple(
        comment
        for comment in table.syntax("markdown").scan(text)
        if not _in_regions(comment.start, fenced, fence_starts)
    )


def _in_regions(offset: int, regions: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``offset`` lies in one of ``regions`` (sorted, disjoint; ``starts`` their starts)."""
    at = bisect_right(starts, offset) - 1
    return at >= 0 and offset < regions[at][1]


def _fenced_regions(text: str) -> list[tuple[int, int]]:
    regions = []
    opened: re.Match[str] | None = None
    for match in _FENCE.finditer(text):
        if opened is None:
            opened = match
        elif match.group(1)[0] == opened.group(1)[0] and len(match.group(1)) >= len(opened.group(1)):
            regions.append((opened.start(), match.end()))
            opened = None
    if opened is not None:
        regions.append((opened.start(), len(text)))
    return regions


def directives_in(
    text: str, comment: Comment, lines: LineIndex, rules_read: dict[str, frozenset[str]] | None = None
) -> list[Directive]:
    """The directives of ``comment``. ``rules_read``: the rule lists read so far in this
    document and their ids, to reuse (a document repeats the same few lists, and
    reading one cost more than the rest of its directive)."""
    found = []
    blank_from: int | None = None  # where the comment's body turns blank, for next-line directives
    for match in _DIRECTIVE.finditer(text, comment.body_start, comment.body_end):
        kind = match.group(1)
        line_end = _line_end(text, match.end(), comment.body_end)
        rules = _rules_after(text[match.end() : line_end], rules_read)
        directive_line = lines.line_of(match.start())
        if kind == "file":
            target = None
        elif kind == "line":
            target = directive_line
        else:
            if blank_from is None:
                blank_from = _blank_tail_start(text, comment)
            target = _next_line(comment, directive_line, lines, blank_from)
        found.append(Directive(kind, rules, target, match.start(), line_end))
    return found


def _line_end(text: str, start: int, limit: int) -> int:
    found = LINE_BREAK.search(text, start, limit)
    return found.start() if found else limit


def _rules_after(rest: str, rules_read: dict[str, frozenset[str]] | None) -> frozenset[str]:
    if rules_read is None:
        return _rule_ids(rest)
    rules = rules_read.get(rest)
    if rules is None:
        rules = rules_read[rest] = _rule_ids(rest)
    return rules


def _rule_ids(rest: str) -> frozenset[str]:
    rest = _REASON.split(rest, maxsplit=1)[0]
    ids = []
    for token in _RULE_SEPARATOR.split(rest.strip()):
        if not _RULE_ID.fullmatch(token.lower()):
            break
        ids.append(token.lower())
    return frozenset(ids)


def _blank_tail_start(text: str, comment: Comment) -> int:
    """The offset from which the comment's body holds only blanks and gutter characters
    (computed once per comment: copying the rest of the comment for each of its
    directives was quadratic)."""
    body = text[comment.body_start : comment.body_end]
    return comment.body_start + len(body.rstrip(" \t\r\n" + (comment.gutter or "")))


def _next_line(comment: Comment, directive_line: int, lines: LineIndex, blank_from: int) -> int:
    """The line a next-line directive applies to: the following line, or the line
    after the comment when the rest of the comment is only its closing token
    (``blank_from``: see :func:`_blank_tail_start`)."""
    following = directive_line + 1
    if following >= lines.line_count or lines.line_starts[following] >= comment.end:
        return following
    if lines.line_starts[following] >= blank_from:
        return lines.line_of(max(comment.start, comment.end - 1)) + 1
    return following


def comment_around(offset: int, text: str, path: str, language_id: str | None) -> Comment | None:
    """The comment that starts before ``offset`` and ends after it, if any. Comments come
    in document order and do not overlap, so only the last one starting before can."""
    found = comments(text, path, language_id)
    at = bisect_left(_comment_starts(text, path, language_id), offset) - 1
    if at >= 0 and offset < found[at].end:
        return found[at]
    return None


@lru_cache(maxsize=8)
def _comment_starts(text: str, path: str, language_id: str | None) -> list[int]:
    return [comment.start for comment in comments(text, path, language_id)]
