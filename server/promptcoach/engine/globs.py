"""Include/exclude globs, compiled to automata that cannot backtrack.

Globs match relative POSIX paths (``prompts/api/posts.md``) with these rules:

* ``*`` matches within one path part, ``?`` one character, ``[abc]`` / ``[!abc]``
  a character class, ``{a,b}`` alternatives;
* ``**`` matches any number of whole parts: ``**/X`` also matches ``X`` at the
  root, ``X/**`` matches everything below ``X``;
* a pattern without ``/`` (``*.prompt``, ``node_modules``) matches the name of a
  file or directory at any depth, as in ``.gitignore`` and ruff's ``exclude``;
* a leading ``/`` or ``./`` anchors a pattern at the root, a trailing ``/`` is
  ignored; matching is case-sensitive.

Matching cannot backtrack: a glob (or a :class:`GlobSet`, all its globs at
once) becomes a Thompson automaton run as a lazily built, memoised DFA, so a
path costs O(len(path) x total glob length) at worst and usually one dictionary
look-up per character. Braces are alternatives inside the automaton, never
expanded, so ``{a,b}{c,d}...`` does not multiply. A glob longer than
``MAX_GLOB_LENGTH`` (500) characters or with an invalid ``[...]`` class is a
ValueError.

:mod:`promptcoach.engine.files` decides which path a glob sees and walks directories.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

# A name no real file has: a directory is pruned when an exclude glob matches
# "<dir>/<this>", i.e. when it excludes everything below the directory.
_ANY_CHILD = "\x00"


# Longest glob accepted (the config schema already stops at 300 characters;
# editor settings are not validated by a schema). Matching is linear in the
# glob's length anyway, so this only bounds memory and the per-character cost.
MAX_GLOB_LENGTH = 500
# Wildcards (``*``, ``?``) in one list of globs (include, exclude, instructions): the
# automaton of a list runs every wildcard it has reached on each character of a path, so
# 200 globs of 148 ``*x`` each took 11 ms a character and 4 GB for its cached states.
# The default lists hold 16-30; real configurations a handful.
MAX_WILDCARDS = 128
# Cached automaton states per glob or glob set; past this the cache starts over
# (matching stays correct, only the memoised transitions are recomputed).
_MAX_STATES = 2000

# Glob tokens: (kind,) or (kind, argument).
Token = tuple[Any, ...]
_LITERAL, _ONE, _CLASS, _STAR, _PARTS, _ALL, _CHOICE = range(7)


def _parse(pattern: str, whole: str) -> list[Token]:
    """The tokens of one glob (see the module doc for the rules). Braces are not
    expanded: ``{a,b}`` is one token holding the tokens of each alternative."""
    tokens: list[Token] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "*":
            if pattern.startswith("**", index):
                at_part_start = index == 0 or pattern[index - 1] == "/"
                index += 2
                if at_part_start and pattern.startswith("/", index):
                    tokens.append((_PARTS,))  # "**/": zero or more parts
                    index += 1
                elif at_part_start and index == length:
                    tokens.append((_ALL,))
                else:
                    tokens.append((_STAR,))
                continue
            tokens.append((_STAR,))
        elif char == "?":
            tokens.append((_ONE,))
        elif char == "[":
            close = pattern.find("]", index + 2)
            if close < 0:
                tokens.append((_LITERAL, char))
            else:
                body = pattern[index + 1 : close]
                negate = body.startswith("!")
                body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
                source = f"[{'^/' if negate else ''}{body}]"
                try:
                    tokens.append((_CLASS, re.compile(source)))
                except re.error as error:
                    raise ValueError(
                        f"invalid glob {whole!r}: bad character class {pattern[index : close + 1]!r} ({error})"
                    ) from None
                index = close
        elif char == "{":
            close = pattern.find("}", index)
            if close < 0:
                tokens.append((_LITERAL, char))
            else:
                options = pattern[index + 1 : close].split(",")
                tokens.append((_CHOICE, tuple(_parse(option, whole) for option in options)))
                index = close
        else:
            tokens.append((_LITERAL, char))
        index += 1
    return tokens


def _source(tokens: list[Token]) -> str:
    """The regular expression equivalent to some tokens (for display and tests;
    matching does not use it)."""
    out: list[str] = []
    for token in tokens:
        kind = token[0]
        if kind == _LITERAL:
            out.append(re.escape(token[1]))
        elif kind == _ONE:
            out.append("[^/]")
        elif kind == _CLASS:
            out.append(token[1].pattern)
        elif kind == _STAR:
            out.append("[^/]*")
        elif kind == _PARTS:
            out.append("(?:.*/)?")
        elif kind == _ALL:
            out.append(".*")
        else:
            out.append("(?:" + "|".join(_source(option) for option in token[1]) + ")")
    return "".join(out)


def _any_char(char: str) -> bool:
    return True


_NOT_SLASH = "/".__ne__
_IS_SLASH = "/".__eq__


class _State:
    """A set of automaton nodes reached after some characters (a DFA state)."""

    __slots__ = ("steps", "accepts", "next")

    def __init__(self, steps: tuple[int, ...], accepts: bool) -> None:
        self.steps = steps  # the nodes that consume a character
        self.accepts = accepts
        self.next: dict[str, _State] = {}


class _Automaton:
    """Globs as a Thompson automaton (no backtracking), run as a DFA built
    lazily and memoised: a character costs one dictionary look-up once seen in
    that state, and at most O(number of nodes) — O(total glob length) — the
    first time, so matching a path is O(len(path) x len(globs)) at worst."""

    def __init__(self, token_lists: Iterable[list[Token]]) -> None:
        self._tests: list[
            Callable[[str], object] | None
        ] = []  # per node: a predicate on one character, or None (an epsilon node)
        self._succ: list[list[int]] = []
        self._accept = self._node(None, [])
        start = self._node(None, [self._build(tokens, self._accept) for tokens in token_lists])
        self._states: dict[frozenset[int], _State] = {}
        self._start = self._state([start])

    def _node(self, test: Callable[[str], object] | None, succ: list[int]) -> int:
        self._tests.append(test)
        self._succ.append(succ)
        return len(self._tests) - 1

    def _build(self, tokens: list[Token], cont: int) -> int:
        """The entry node of ``tokens`` followed by node ``cont``."""
        for token in reversed(tokens):
            kind = token[0]
            if kind == _LITERAL:
                cont = self._node(token[1].__eq__, [cont])
            elif kind == _ONE:
                cont = self._node(_NOT_SLASH, [cont])
            elif kind == _CLASS:
                cont = self._node(token[1].fullmatch, [cont])
            elif kind in (_STAR, _ALL):
                loop = self._node(None, [])
                self._succ[loop] += [self._node(_NOT_SLASH if kind == _STAR else _any_char, [loop]), cont]
                cont = loop
            elif kind == _PARTS:  # (?:.*/)?
                loop = self._node(None, [])
                self._succ[loop] += [self._node(_any_char, [loop]), self._node(_IS_SLASH, [cont])]
                cont = self._node(None, [loop, cont])
            else:
                cont = self._node(None, [self._build(option, cont) for option in token[1]])
        return cont

    def _state(self, nodes: Iterable[int]) -> _State:
        """The state of ``nodes`` and every node reachable from them without a character."""
        tests, succ = self._tests, self._succ
        seen: set[int] = set()
        stack = list(nodes)
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                if tests[node] is None:
                    stack.extend(succ[node])
        key = frozenset(seen)
        state = self._states.get(key)
        if state is None:
            if len(self._states) >= _MAX_STATES:
                for old in self._states.values():
                    old.next.clear()
                self._states.clear()
            steps = tuple(sorted(node for node in seen if tests[node] is not None))
            state = self._states[key] = _State(steps, self._accept in seen)
        return state

    def _advance(self, state: _State, char: str) -> _State:
        tests, succ = self._tests, self._succ
        following = self._state(succ[node][0] for node in state.steps if _passes(tests[node], char))
        state.next[char] = following
        return following

    def match(self, path: str) -> bool:
        state = self._start
        for char in path:
            if not state.steps:
                return False  # nothing can consume the rest
            state = state.next.get(char) or self._advance(state, char)
        return state.accepts


def _passes(test: Callable[[str], object] | None, char: str) -> bool:
    """A step's test on ``char`` (steps are the nodes with a test)."""
    assert test is not None
    return bool(test(char))  # a character class's test is a pattern's match: a match or None


class Glob:
    """A compiled glob: ``match(path)`` is True when the glob matches the whole
    relative POSIX path. ``pattern`` is the equivalent regular expression."""

    def __init__(self, glob: str, tokens: list[Token]) -> None:
        self.glob = glob
        self.tokens = tokens
        self._automaton = _Automaton([tokens])

    @property
    def pattern(self) -> str:
        """The equivalent regular expression (for display and tests; built on demand)."""
        return _source(self.tokens) + r"\Z"

    def match(self, path: str) -> bool:
        return self._automaton.match(path)

    def __repr__(self) -> str:
        return f"Glob({self.glob!r})"


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> Glob:
    """A compiled matcher for relative POSIX paths. Raises ValueError for a glob
    longer than MAX_GLOB_LENGTH or with an invalid character class."""
    original = pattern
    pattern = pattern.strip()
    if len(pattern) > MAX_GLOB_LENGTH:
        raise ValueError(
            f"glob is too long: {len(pattern)} characters (at most {MAX_GLOB_LENGTH}): {pattern[:40]!r}..."
        )
    if pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = pattern.startswith("/")
    pattern = pattern.strip("/")
    if not anchored and "/" not in pattern:
        pattern = "**/" + pattern
    return Glob(original, _parse(pattern, original))


def check_wildcards(patterns: Iterable[str]) -> None:
    """Raise ValueError when ``patterns``, one list, hold more than MAX_WILDCARDS wildcards."""
    count = sum(pattern.count("*") + pattern.count("?") for pattern in patterns)
    if count > MAX_WILDCARDS:
        raise ValueError(f"{count} wildcards (* and ?) in one list of globs; at most {MAX_WILDCARDS}")


class GlobSet:
    """Several globs matched as one (one automaton for all of them)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(p for p in patterns if p and p.strip())
        check_wildcards(self.patterns)
        globs = [compile_glob(p) for p in self.patterns]
        self._automaton = _Automaton([g.tokens for g in globs]) if globs else None

    def match(self, relpath: str) -> bool:
        return self._automaton is not None and self._automaton.match(relpath)

    def excludes_directory(self, relpath: str) -> bool:
        """True when everything below the directory ``relpath`` is excluded."""
        return self.match(relpath) or self.match(f"{relpath}/{_ANY_CHILD}")
