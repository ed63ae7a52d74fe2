"""Find the comments of a source document, skipping strings.

Each comment syntax (``languages.yaml``) becomes one combined regular expression
whose alternatives are its block comments, line comments and string-like tokens.
Scanning is ``pattern.finditer`` from one token to the next, so a ``#`` or ``//``
inside a string is consumed by the string alternative and never seen as a comment.
Only nested block comments (Rust, Swift, Haskell ...) and embedded regions (HTML
``<script>``/``<style>``) need a little Python on top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# Offsets at the start of a line: nothing but a line break (or a BOM) before them.
_LINE_START = r"(?<![^\r\n\ufeff])"
_LINE_END = r"(?=[\r\n]|\Z)"

# Heredoc bodies run from the line after the opener to a line holding only the tag.
_HEREDOC_BODY = r"[^\r\n]*[\s\S]*?(?:" + _LINE_START + r"[ \t]*(?P={g})" + _LINE_END + r"|\Z)"
_JS_REGEX_BEFORE = r"[(,=:\[!&|?{};+\-*%<>~^]"

# String-like tokens by name, as (first character, rest of the regex) variants.
# Every alternative of a syntax's scanning regex starts with a literal character,
# which lets the regex engine jump from candidate character to candidate
# character instead of trying every alternative at every offset; conditions on
# what precedes a token are lookbehinds placed after that first character.
# ``{g}`` is replaced by a unique group-name prefix. Unterminated single-line
# strings stop at the end of their line, so a stray quote cannot hide the rest
# of the file.
STRING_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "double": (('"', r'[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*"?'),),
    "single": (("'", r"[^'\\\r\n]*(?:\\[\s\S][^'\\\r\n]*)*'?"),),
    "double-multiline": (('"', r'[^"\\]*(?:\\[\s\S][^"\\]*)*"?'),),
    "single-multiline": (("'", r"[^'\\]*(?:\\[\s\S][^'\\]*)*'?"),),
    "single-raw": (("'", r"[^']*'?"),),
    "single-raw-line": (("'", r"[^'\r\n]*'?"),),
    # one character only, so Rust lifetimes ('a) and C++ digit separators are not strings
    "char": (("'", r"(?:[^'\\\r\n]|\\(?:u\{[0-9A-Fa-f]{1,6}\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|[0-7]{1,3}|[\s\S]))'"),),
    "backtick": (("`", r"[^`\r\n]*`?"),),
    "backtick-raw": (("`", r"[^`]*`?"),),
    "template": (("`", r"[^`\\]*(?:\\[\s\S][^`\\]*)*`?"),),
    "triple-double": (('"', r'""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*(?:"""|\Z)'),),
    "triple-single": (("'", r"''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*(?:'''|\Z)"),),
    "rust-raw": (
        ("r", r'(?<!\wr)(?P<{g}>#*)"[\s\S]*?(?:"(?P={g})|\Z)'),
        ("b", r'(?<!\wb)r(?P<{g}>#*)"[\s\S]*?(?:"(?P={g})|\Z)'),
    ),
    "swift-raw": (("#", r'(?P<{g}>#*)"[\s\S]*?(?:"#(?P={g})|\Z)'),),
    "csharp-verbatim": (("@", r'\$?"[^"]*(?:""[^"]*)*"?'), ("$", r'@"[^"]*(?:""[^"]*)*"?')),
    "lua-long": (("[", r"(?P<{g}>=*)\[[\s\S]*?(?:\](?P={g})\]|\Z)"),),
    "sql-single": (("'", r"[^']*(?:''[^']*)*'?"),),
    "sql-double": (('"', r'[^"]*(?:""[^"]*)*"?'),),
    "yaml-double": (('"', r'(?:(?<=[\s\[{,:]")|(?<![^\r\n\ufeff]"))[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*"?'),),
    "yaml-single": (("'", r"(?:(?<=[\s\[{,:]')|(?<![^\r\n\ufeff]'))[^'\r\n]*(?:''[^'\r\n]*)*'?"),),
    "heredoc-shell": (("<", r"(?<!<<)<-?[ \t]*(?P<{g}q>['\"]?)(?P<{g}>[A-Za-z_]\w*)(?P={g}q)" + _HEREDOC_BODY),),
    "heredoc-ruby": (("<", r"<[~-]?(?P<{g}q>['\"`]?)(?P<{g}>[A-Z_][A-Za-z0-9_]*)(?P={g}q)" + _HEREDOC_BODY),),
    "heredoc-php": (
        ("<", r"<<[ \t]*(?P<{g}q>['\"]?)(?P<{g}>[A-Za-z_]\w*)(?P={g}q)"
         r"[^\r\n]*[\s\S]*?(?:" + _LINE_START + r"[ \t]*(?P={g})\b|\Z)"),
    ),
    "heredoc-hcl": (("<", r"<-?(?P<{g}>[A-Za-z_]\w*)" + _HEREDOC_BODY),),
    "powershell-here": (("@", r"(?P<{g}>[\"'])" + _LINE_END + r"[\s\S]*?(?:" + _LINE_START + r"(?P={g})@|\Z)"),),
    # a JavaScript regular expression literal where an expression may start
    "js-regex": (
        ("/", r"(?:(?<=" + _JS_REGEX_BEFORE + r"/)|(?<=" + _JS_REGEX_BEFORE + r"[ \t]/)|(?<![^\r\n\ufeff]/)"
         r"|(?<=\breturn /))(?![/*])(?:[^/\\\r\n\[]|\\.|\[(?:[^\]\\\r\n]|\\.)*\])+/"),
    ),
    "css-url": (("u", r"(?<!\wu)rl\((?![ \t]*['\"])[^)\r\n]*\)?"),),
    "cdata": (("<", r"!\[CDATA\[[\s\S]*?(?:\]\]>|\Z)"),),
    "backslash-char": (("\\", r"[\s\S]"),),
    "erlang-char": (("$", r"\\?[\s\S]"),),
    "zig-multiline": (("\\", r"\\[^\r\n]*"),),
    "nix-indented": (("'", r"'[\s\S]*?(?:''(?!['$\\])|\Z)"),),
}

_LUA_LONG_COMMENT = ("-", r"(?P<{g}o>-\[(?P<{g}>=*)\[)[\s\S]*?(?:(?P<{g}c>\](?P={g})\])|\Z)")

_EMBED_OPEN = {"script": ("<", r"(?i:script)\b[^>]*>"), "style": ("<", r"(?i:style)\b[^>]*>")}
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


@dataclass(frozen=True, slots=True)
class _Alternative:
    kind: str  # "line" | "block" | "nested" | "lua" | "string" | "embed"
    opener: str = ""
    closer: str = ""
    gutter: str = ""
    line_start: bool = False  # only blanks may precede it on its line
    nested_pattern: re.Pattern | None = None
    embedded: str = ""  # syntax name of an embedded region


def _at_line_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] in "\r\n\ufeff"


class Syntax:
    """A comment syntax compiled to one scanning regex.

    Each alternative is ``<first character>(?P<aN>rest)``; ``match.start()`` is
    where the token starts and ``match.lastgroup`` which alternative matched.
    """

    def __init__(self, name: str, spec: dict, resolve) -> None:
        self.name = name
        self._resolve = resolve  # syntax name -> Syntax, for embedded regions
        parts: list[str] = []
        self._alternatives: dict[str, _Alternative] = {}

        def add(kind: str, first: str, rest: str, **info) -> None:
            group = f"a{len(parts)}"
            parts.append(re.escape(first) + f"(?P<{group}>{rest.replace('{g}', group + 'x')})")
            self._alternatives[group] = _Alternative(kind, **info)

        for tag, syntax_name in (spec.get("embedded") or {}).items():
            add("embed", *_EMBED_OPEN[tag], embedded=syntax_name, closer=tag)
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
        for name in spec.get("strings", []):
            for first, rest in STRING_KINDS[name]:
                add("string", first, rest)
        self.pattern = re.compile("|".join(parts)) if parts else None
        self._strings = frozenset(g for g, alt in self._alternatives.items() if alt.kind == "string")

    @staticmethod
    def _add_block(add, block) -> None:
        if block == "lua-long":
            add("lua", *_LUA_LONG_COMMENT, opener="--[[")
            return
        opener, closer = block["open"], block["close"]
        gutter = block.get("gutter", "")
        rest = re.escape(opener[1:])
        if block.get("nested"):
            nested = re.compile(f"(?P<o>{re.escape(opener)})|{re.escape(closer)}")
            add("nested", opener[0], rest, opener=opener, closer=closer, gutter=gutter, nested_pattern=nested)
        elif block.get("at") == "line-start":
            add("block", opener[0], rest + r"(?![^\s])[\s\S]*?(?:" + _LINE_START + "(?P<{g}c>"
                + re.escape(closer) + r")[^\r\n]*|\Z)", opener=opener, gutter=gutter, line_start=True)
        else:  # "unrolled" body: runs of non-closer characters, much faster than [\s\S]*?
            first, tail = re.escape(closer[0]), re.escape(closer[1:])
            body = f"[^{first}]*(?:{first}(?!{tail})[^{first}]*)*" if tail else f"[^{first}]*"
            add("block", opener[0], rest + body + "(?:(?P<{g}c>" + re.escape(closer) + r")|\Z)",
                opener=opener, gutter=gutter)

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Comment]:
        """The comments of ``text[pos:endpos]`` in document order."""
        found: list[Comment] = []
        if self.pattern is None:
            return found
        if endpos is None:
            endpos = len(text)
        while pos is not None:
            pos = self._scan_from(text, pos, endpos, found)
        return found

    def _scan_from(self, text: str, pos: int, endpos: int, found: list[Comment]) -> int | None:
        """Scan until the end, or until a token whose end the regex does not know
        (nested comments, embedded regions); then return where to resume."""
        strings = self._strings
        alternatives = self._alternatives
        for match in self.pattern.finditer(text, pos, endpos):
            group = match.lastgroup
            if group in strings:
                continue
            alt = alternatives[group]
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
            else:  # embedded region
                return self._embedded(text, end, endpos, alt, found)
        return None

    @staticmethod
    def _nested(text: str, start: int, pos: int, endpos: int, alt: _Alternative) -> Comment:
        depth = 1
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
