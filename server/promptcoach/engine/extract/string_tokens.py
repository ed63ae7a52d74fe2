"""The string-like tokens the lexer (:mod:`.lexer`) skips, so that a ``#`` or ``//``
inside them is text, not a comment: strings, raw strings, heredocs, JavaScript regex
literals ... as regular expressions, by the names ``languages.yaml`` gives them.
"""

from __future__ import annotations

from promptcoach.engine import regexcache

# Offsets at the start of a line: nothing but a line break (or a BOM) before them.
LINE_START = r"(?<![^\r\n\ufeff])"
_LINE_END = r"(?=[\r\n]|\Z)"

# Heredoc bodies run from the line after the opener to a line holding only the tag.
_HEREDOC_BODY = r"[^\r\n]*[\s\S]*?(?:" + LINE_START + r"[ \t]*(?P={g})" + _LINE_END + r"|\Z)"
_JS_REGEX_BEFORE = r"[(,=:\[!&|?{};+\-*%<>~^]"
# The opening slash of a JavaScript regex literal where an expression may start.
_JS_REGEX_START = (
    r"(?:(?<=" + _JS_REGEX_BEFORE + r"/)|(?<=" + _JS_REGEX_BEFORE + r"[ \t]/)"
    r"|(?<![^\r\n\ufeff]/)|(?<=\breturn /))(?![/*])"
)
# Characters and escapes of a regex literal outside a [class] (they stop at the
# closing '/', a '[' or the end of the line), and inside one (they stop at ']').
_JS_REGEX_PLAIN = r"[^/\\\r\n\[]*(?:\\.[^/\\\r\n\[]*)*"
_JS_REGEX_CLASS_BODY = r"[^\]\\\r\n]*(?:\\.[^\]\\\r\n]*)*"
_JS_REGEX_BODY = _JS_REGEX_PLAIN + r"(?:\[" + _JS_REGEX_CLASS_BODY + r"\]" + _JS_REGEX_PLAIN + ")*"

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
    # The run of '#' is taken whole (a look-ahead group and its backreference
    # cannot give hashes back); a run not followed by '"' opens nothing and is
    # skipped whole, since trying again from each of its '#' would find the same.
    "swift-raw": (("#", r'(?=(?P<{g}>#*))(?P={g})(?:"[\s\S]*?(?:"#(?P={g})|\Z))?'),),
    "csharp-verbatim": (("@", r'\$?"[^"]*(?:""[^"]*)*"?'), ("$", r'@"[^"]*(?:""[^"]*)*"?')),
    "lua-long": (("[", r"(?P<{g}>=*)\[[\s\S]*?(?:\](?P={g})\]|\Z)"),),
    "sql-single": (("'", r"[^']*(?:''[^']*)*'?"),),
    "sql-double": (('"', r'[^"]*(?:""[^"]*)*"?'),),
    "yaml-double": (('"', r'(?:(?<=[\s\[{,:]")|(?<![^\r\n\ufeff]"))[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*"?'),),
    "yaml-single": (("'", r"(?:(?<=[\s\[{,:]')|(?<![^\r\n\ufeff]'))[^'\r\n]*(?:''[^'\r\n]*)*'?"),),
    "heredoc-shell": (("<", r"(?<!<<)<-?[ \t]*(?P<{g}q>['\"]?)(?P<{g}>[A-Za-z_]\w*)(?P={g}q)" + _HEREDOC_BODY),),
    "heredoc-ruby": (("<", r"<[~-]?(?P<{g}q>['\"`]?)(?P<{g}>[A-Z_][A-Za-z0-9_]*)(?P={g}q)" + _HEREDOC_BODY),),
    "heredoc-php": (
        (
            "<",
            r"<<[ \t]*(?P<{g}q>['\"]?)(?P<{g}>[A-Za-z_]\w*)(?P={g}q)"
            r"[^\r\n]*[\s\S]*?(?:" + LINE_START + r"[ \t]*(?P={g})\b|\Z)",
        ),
    ),
    "heredoc-hcl": (("<", r"<-?(?P<{g}>[A-Za-z_]\w*)" + _HEREDOC_BODY),),
    "powershell-here": (("@", r"(?P<{g}>[\"'])" + _LINE_END + r"[\s\S]*?(?:" + LINE_START + r"(?P={g})@|\Z)"),),
    # a JavaScript regular expression literal where an expression may start
    "js-regex": (("/", _JS_REGEX_START + _JS_REGEX_BODY + "/"),),
    "css-url": (("u", r"(?<!\wu)rl\((?![ \t]*['\"])[^)\r\n]*\)?"),),
    "cdata": (("<", r"!\[CDATA\[[\s\S]*?(?:\]\]>|\Z)"),),
    "backslash-char": (("\\", r"[\s\S]"),),
    "erlang-char": (("$", r"\\?[\s\S]"),),
    "zig-multiline": (("\\", r"\\[^\r\n]*"),),
    "nix-indented": (("'", r"'[\s\S]*?(?:''(?!['$\\])|\Z)"),),
}

# A JavaScript regex literal that is not closed is read again to the end of its
# line from every later slash ('=/[=/[=/['). So when one fails and another slash
# follows on its line, the scanning regex hands the start to Python
# (CHECKED_STRINGS, tried after the literal itself), which learns where the
# reading failed (``lexer._read_js_regex``) and scans the rest of that stretch with a
# regex that reads literals only up to their first '[' (REFUSED_VARIANTS).
CHECKED_STRINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "js-regex": (("/", _JS_REGEX_START + r"(?=[^\n/]*/)"),),
}
REFUSED_VARIANTS: dict[str, str] = {"js-regex": _JS_REGEX_START + _JS_REGEX_PLAIN + "/"}
JS_REGEX_OUTSIDE_CLASS = regexcache.compile(_JS_REGEX_PLAIN)
JS_REGEX_INSIDE_CLASS = regexcache.compile(_JS_REGEX_CLASS_BODY)
