"""Find the comments of a source document, skipping strings.

Each comment syntax (``languages.yaml``) becomes one combined regular expression
whose alternatives are its block comments, line comments and string-like tokens.
Scanning is ``pattern.finditer`` from one token to the next, so a ``#`` or ``//``
inside a string is consumed by the string alternative and never seen as a comment.
Only nested block comments (Rust, Swift, Haskell ...) and embedded regions (HTML
``<script>``/``<style>``) need a little Python on top; and tokens whose regex
would look for their end again from every later candidate start (a JavaScript
regex literal with an unclosed ``[class]``, a ``<script`` with no ``>`` after it):
there the Python remembers what the first failure taught (``_ScanState``) and
scans on with a regex that reads those tokens in a way that cannot fail slowly,
so scanning stays linear in the text. The string-like tokens' regular expressions
are in :mod:`.string_tokens`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from promptcoach.engine.extract.string_tokens import (
    CHECKED_STRINGS,
    JS_REGEX_INSIDE_CLASS,
    JS_REGEX_OUTSIDE_CLASS,
    LINE_START,
    REFUSED_VARIANTS,
    STRING_KINDS,
)

# Scanning after a refused literal also stops at line breaks, so that the first
# token after the refused stretch is never far beyond it.
_LINE_BREAK = "line_break"

_LUA_LONG_COMMENT = ("-", r"(?P<{g}o>-\[(?P<{g}>=*)\[)[\s\S]*?(?:(?P<{g}c>\](?P={g})\])|\Z)")

# The tag name only: the rest of the opening tag, up to the next '>', is found by
# _ScanState.tag_end (a `[^>]*>` in the regex would run to the end of the text
# from every '<script' once no '>' is left).
_EMBED_OPEN = {"script": ("<", r"(?i:script)\b"), "style": ("<", r"(?i:style)\b")}
_EMBED_CLOSE = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}


class Comment(NamedTuple):
    """One comment: ``text[start:end]``; its text between the tokens is
    ``text[body_start:body_end]``. (A tuple: thousands are made per document.)"""

    start: int
    body_start: int
    body_end: int
    end: int
    opener: str  # the opening token as written: "//", "#", "/*", "<!--", "--[[" ...
    block: bool
    gutter: str = ""  # decoration character of block continuation lines ("*")


class _Alternative(NamedTuple):
    kind: str  # "line" | "block" | "nested" | "lua" | "string" | "checked-string" | "embed"
    opener: str = ""
    closer: str = ""
    gutter: str = ""
    line_start: bool = False  # only blanks may precede it on its line
    nested_pattern: re.Pattern[str] | None = None
    embedded: str = ""  # syntax name of an embedded region


class _ScanState:
    """What one ``Syntax.scan`` has learnt about its text, for later offsets."""

    __slots__ = ("regex_refused_until", "tags_unclosed", "_last_gt")

    def __init__(self) -> None:
        # Before this offset, JavaScript regex literals with a class cannot close
        # (see _read_js_regex).
        self.regex_refused_until = -1
        self.tags_unclosed = False  # no '>' is left: no <script>/<style> region can open
        self._last_gt: int | None = None

    def tag_end(self, text: str, pos: int, endpos: int) -> int | None:
        """The offset after the first ``>`` from ``pos``, ``None`` when there is none."""
        if self._last_gt is None:
            self._last_gt = text.rfind(">", 0, endpos)
        if self._last_gt < pos:
            self.tags_unclosed = True
            return None
        return text.find(">", pos, endpos) + 1


def _match_end(pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> int:
    """The end of ``pattern``'s match at ``pos``; the pattern matches the empty string."""
    match = pattern.match(text, pos, endpos)
    assert match is not None
    return match.end()


def _read_js_regex(text: str, body_start: int, endpos: int, state: _ScanState) -> int | None:
    """The end of the regex literal whose body starts at ``body_start``, or ``None``
    when its line ends (or a class stays open) before its closing ``/``.

    When this fails at offset F, every slash between here and F lies inside a
    class of this reading, else the reading would have closed there. Reading
    from such a slash, its first ``[`` opens a class that ends at the same ``]``
    (escapes pair alike: no candidate slash follows a backslash), after which both
    readings are the same and fail. So before F a regex literal closes only if no
    ``[`` comes before its ``/``: ``state.regex_refused_until = F`` tells the scan
    to read literals that way until then.
    """
    stop = _match_end(JS_REGEX_OUTSIDE_CLASS, text, body_start, endpos)
    while stop < endpos and text[stop] == "[":
        stop = _match_end(JS_REGEX_INSIDE_CLASS, text, stop + 1, endpos)
        if stop == endpos or text[stop] != "]":
            break
        stop = _match_end(JS_REGEX_OUTSIDE_CLASS, text, stop + 1, endpos)
    if stop < endpos and text[stop] == "/" and stop > body_start:
        return stop + 1
    state.regex_refused_until = stop
    return None


def _at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] in "\r\n\ufeff"


class Syntax:
    """A comment syntax compiled to one scanning regex.

    Each alternative is ``<first character>(?P<aN>rest)``; ``match.start()`` is
    where the token starts and ``match.lastgroup`` which alternative matched.
    Alternatives that Python may still refuse (embedded regions, checked strings)
    come last: when one is refused, no other alternative matches at its offset,
    and scanning resumes one character further.
    """

    def __init__(self, name: str, spec: dict[str, Any], resolve: Callable[[str], Syntax]) -> None:
        self.name = name
        self._resolve = resolve  # syntax name -> Syntax, for embedded regions
        # (group, its regex, its regex where literals are refused (None: left out))
        self._parts: list[tuple[str, str, str | None]] = []
        self._alternatives: dict[str, _Alternative] = {}

        def add(kind: str, first: str, rest: str, refused_rest: str | None = "", **info: Any) -> None:
            """``refused_rest``: the regex after a refused literal; "" the same, None none."""
            group = f"a{len(self._parts)}"

            def alternative(rest: str) -> str:
                return re.escape(first) + f"(?P<{group}>{rest.replace('{g}', group + 'x')})"

            refused = None if refused_rest is None else alternative(refused_rest or rest)
            self._parts.append((group, alternative(rest), refused))
            self._alternatives[group] = _Alternative(kind, **info)

        for block in spec.get("block", []):
            self._add_block(add, block)
        for line in spec.get("line", []):
            if isinstance(line, str):
                line = {"token": line}
            token = line["token"]
            at = line.get("at", "anywhere")
            rest = re.escape(token[1:])
            if at == "word-start":
                rest = r"(?<![^\s;&|()]" + re.escape(token[0]) + ")" + rest
            if "not_before" in line:
                rest += f"(?![{re.escape(line['not_before'])}])"
            add("line", token[0], rest + r"[^\r\n]*", opener=token, line_start=at == "line-start")
        strings = spec.get("strings", [])
        for name in strings:
            for first, rest in STRING_KINDS[name]:
                add("string", first, rest, REFUSED_VARIANTS.get(name, ""))
        for tag, syntax_name in (spec.get("embedded") or {}).items():
            add("embed", *_EMBED_OPEN[tag], embedded=syntax_name, closer=tag)
        for name in strings:
            for first, rest in CHECKED_STRINGS.get(name, ()):
                add("checked-string", first, rest, None)
        self._alternatives[_LINE_BREAK] = _Alternative("string")  # only in _pattern(regex_refused=True)
        self._strings = frozenset(g for g, alt in self._alternatives.items() if alt.kind == "string")
        self._patterns: dict[tuple[bool, bool], re.Pattern[str] | None] = {}
        self.pattern = self._pattern(False, False)

    def _pattern(self, regex_refused: bool, tags_unclosed: bool) -> re.Pattern[str] | None:
        """The scanning regex for what ``_ScanState`` knows of the text here: where
        regex literals are refused, and whether any tag can still open a region;
        ``None`` when nothing is left to find."""
        key = (regex_refused, tags_unclosed)
        if key not in self._patterns:
            regexes = []
            for group, plain, refused in self._parts:
                if tags_unclosed and self._alternatives[group].kind == "embed":
                    continue
                regex = refused if regex_refused else plain
                if regex is not None:
                    regexes.append(regex)
            if regex_refused and regexes:
                regexes.append(f"(?P<{_LINE_BREAK}>[\\r\\n])")
            self._patterns[key] = re.compile("|".join(regexes)) if regexes else None
        return self._patterns[key]

    @staticmethod
    def _add_block(add: Callable[..., None], block: str | dict[str, Any]) -> None:
        if block == "lua-long":
            add("lua", *_LUA_LONG_COMMENT, opener="--[[")
            return
        assert isinstance(block, dict)  # the schema allows no other string
        opener, closer = block["open"], block["close"]
        gutter = block.get("gutter", "")
        rest = re.escape(opener[1:])
        if block.get("nested"):
            nested = re.compile(f"(?P<o>{re.escape(opener)})|{re.escape(closer)}")
            add("nested", opener[0], rest, opener=opener, closer=closer, gutter=gutter, nested_pattern=nested)
        elif block.get("at") == "line-start":
            add(
                "block",
                opener[0],
                rest + r"(?![^\s])[\s\S]*?(?:" + LINE_START + "(?P<{g}c>" + re.escape(closer) + r")[^\r\n]*|\Z)",
                opener=opener,
                gutter=gutter,
                line_start=True,
            )
        else:  # "unrolled" body: runs of non-closer characters, much faster than [\s\S]*?
            first, tail = re.escape(closer[0]), re.escape(closer[1:])
            body = f"[^{first}]*(?:{first}(?!{tail})[^{first}]*)*" if tail else f"[^{first}]*"
            add(
                "block",
                opener[0],
                rest + body + "(?:(?P<{g}c>" + re.escape(closer) + r")|\Z)",
                opener=opener,
                gutter=gutter,
            )

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Comment]:
        """The comments of ``text[pos:endpos]`` in document order."""
        found: list[Comment] = []
        if self.pattern is None:
            return found
        if endpos is None:
            endpos = len(text)
        state = _ScanState()
        resume: int | None = pos
        while resume is not None:
            if resume < state.regex_refused_until:
                resume = self._scan_refused_regex_line(text, resume, endpos, found, state)
            else:
                resume = self._scan_from(text, resume, endpos, found, state)
        return found

    def _scan_from(self, text: str, pos: int, endpos: int, found: list[Comment], state: _ScanState) -> int | None:
        """Scan until the end, or until a token whose end the regex does not know
        (nested comments, embedded regions, a regex literal that did not close);
        then return where to resume."""
        strings = self._strings
        pattern = self._pattern(False, state.tags_unclosed)
        if pattern is None:
            return None
        for match in pattern.finditer(text, pos, endpos):
            group = match.lastgroup
            if group in strings:
                continue
            resume = self._take(text, match, group, endpos, found, state)
            if resume is not None:
                return resume
        return None

    def _scan_refused_regex_line(
        self, text: str, pos: int, endpos: int, found: list[Comment], state: _ScanState
    ) -> int | None:
        """``_scan_from`` before ``state.regex_refused_until``, where regex literals
        with a class cannot close; the first token at or after it is left to
        ``_scan_from`` (the regex here also matches line breaks, so it is near)."""
        strings = self._strings
        until = state.regex_refused_until
        searched_from = pos
        pattern = self._pattern(True, state.tags_unclosed)
        assert pattern is not None  # it has the line-break alternative
        for match in pattern.finditer(text, pos, endpos):
            start = match.start()
            if start >= until:
                return max(until, searched_from)
            searched_from = match.end()
            group = match.lastgroup
            if group in strings:
                continue
            resume = self._take(text, match, group, endpos, found, state)
            if resume is not None:
                return resume
        return None

    def _take(
        self, text: str, match: re.Match[str], group: str | None, endpos: int, found: list[Comment], state: _ScanState
    ) -> int | None:
        """Record the comment ``match`` found; return where to resume scanning when
        the regex did not find the token's end, else ``None``."""
        assert group is not None  # every alternative is a named group
        alt = self._alternatives[group]
        start, end = match.span()
        if alt.line_start and not _at_line_start(text, start):
            return start + 1
        kind = alt.kind
        if kind == "line":
            found.append(Comment(start, start + len(alt.opener), end, end, alt.opener, False))
        elif kind == "block":
            close_start = match.start(group + "xc")
            body_end = close_start if close_start >= 0 else end
            found.append(Comment(start, start + len(alt.opener), body_end, end, alt.opener, True, alt.gutter))
        elif kind == "lua":
            opener_end = match.end(group + "xo")
            close_start = match.start(group + "xc")
            body_end = close_start if close_start >= 0 else end
            found.append(Comment(start, opener_end, body_end, end, text[start:opener_end], True))
        elif kind == "nested":
            found.append(self._nested(text, start, end, endpos, alt))
            return found[-1].end
        elif kind == "checked-string":  # a JavaScript regex literal that failed, then a slash
            string_end = _read_js_regex(text, end, endpos, state)
            return start + 1 if string_end is None else string_end
        else:  # embedded region
            open_end = state.tag_end(text, end, endpos)
            if open_end is None:  # no '>' is left: not a tag, and no later one will be
                return start + 1
            return self._embedded(text, open_end, endpos, alt, found)
        return None

    @staticmethod
    def _nested(text: str, start: int, pos: int, endpos: int, alt: _Alternative) -> Comment:
        depth = 1
        assert alt.nested_pattern is not None  # kind "nested" has one
        for token in alt.nested_pattern.finditer(text, pos, endpos):
            if token.group("o") is not None:
                depth += 1
                continue
            depth -= 1
            if depth == 0:
                return Comment(start, pos, token.start(), token.end(), alt.opener, True, alt.gutter)
        return Comment(start, pos, endpos, endpos, alt.opener, True, alt.gutter)

    def _embedded(self, text: str, pos: int, endpos: int, alt: _Alternative, found: list[Comment]) -> int:
        close = _EMBED_CLOSE[alt.closer].search(text, pos, endpos)
        region_end = close.start() if close else endpos
        found.extend(self._resolve(alt.embedded).scan(text, pos, region_end))
        return close.end() if close else endpos
