"""Which files Prompt Coach reads: include/exclude globs and the directory walk.

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

The paths globs see come from :func:`glob_path`: a file's path below the
directory of the configuration file that declares the globs
(``Settings.glob_base``), else (no configuration file, or a file outside its
directory) the path as given, an absolute one matched by each of its tails
that does not start above its Git repository.
The language server (through ``extract.document_kind``) and the CLI's walk
both match that path, so a directory check and the editor agree on what is a
prompt file, whichever directory is checked.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from promptcoach.engine.settings import Settings

# A name no real file has: a directory is pruned when an exclude glob matches
# "<dir>/<this>", i.e. when it excludes everything below the directory.
_ANY_CHILD = "\x00"


# Longest glob accepted (the config schema already stops at 300 characters;
# editor settings are not validated by a schema). Matching is linear in the
# glob's length anyway, so this only bounds memory and the per-character cost.
MAX_GLOB_LENGTH = 500
# Deepest directory a walk enters, counted from the walked directory (real projects
# nest a dozen levels or so).
MAX_WALK_DEPTH = 64
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
            Callable[[str], bool] | None
        ] = []  # per node: a predicate on one character, or None (an epsilon node)
        self._succ: list[list[int]] = []
        self._accept = self._node(None, [])
        start = self._node(None, [self._build(tokens, self._accept) for tokens in token_lists])
        self._states: dict[frozenset[int], _State] = {}
        self._start = self._state([start])

    def _node(self, test: Callable[[str], bool] | None, succ: list[int]) -> int:
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


def _passes(test: Callable[[str], bool] | None, char: str) -> bool:
    """A step's test on ``char`` (steps are the nodes with a test)."""
    assert test is not None
    return test(char)


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


class GlobSet:
    """Several globs matched as one (one automaton for all of them)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(p for p in patterns if p and p.strip())
        globs = [compile_glob(p) for p in self.patterns]
        self._automaton = _Automaton([g.tokens for g in globs]) if globs else None

    def match(self, relpath: str) -> bool:
        return self._automaton is not None and self._automaton.match(relpath)

    def excludes_directory(self, relpath: str) -> bool:
        """True when everything below the directory ``relpath`` is excluded."""
        return self.match(relpath) or self.match(f"{relpath}/{_ANY_CHILD}")


@lru_cache(maxsize=32)
def _globs(patterns: tuple[str, ...]) -> GlobSet:
    return GlobSet(patterns)


def normalize(path: str) -> str:
    """A path as the globs see it: POSIX separators, no leading "./"."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _candidates(path: str, bounded: bool = False) -> Iterator[str]:
    """The path itself, and for an absolute path every tail of it, since the
    root it is relative to is not known (an editor may hand us any file).
    ``bounded`` (for excludes): no tail that starts above the repository holding
    the path, or, outside a repository, above the current directory when the path
    is under it (the directory a CLI run or an editor's server starts in), so that
    a checkout or a build context in a directory called ``build`` is not taken for
    build output. Includes see every tail: ``prompts/a.md`` is a prompt file also
    when checked from inside ``prompts``."""
    path = normalize(path)
    if not PurePosixPath(path).is_absolute() and not re.match(r"[A-Za-z]:/", path):
        yield path
        return
    parts = _parts(path)
    first = (_repository_depth(posixpath.dirname(path)) or _current_directory_depth(path)) if bounded else 0
    for index in range(first, len(parts)):
        yield "/".join(parts[index:])


def _current_directory_depth(path: str) -> int:
    """How many names the current directory has, when ``path`` (absolute, normalised)
    is below it; else 0."""
    try:
        current = normalize(os.getcwd())
    except OSError:  # the current directory was removed
        return 0
    parts = _parts(current)
    return len(parts) if parts and path.startswith(current.rstrip("/") + "/") else 0


def _parts(path: str) -> list[str]:
    """The names of an absolute normalised path, without its root or drive."""
    return [part for part in path.split("/") if part and not part.endswith(":")]


@lru_cache(maxsize=1024)
def _repository_depth(directory: str) -> int:
    """How many names the root of the Git repository holding ``directory`` (an
    absolute normalised path) has: the nearest directory at or above it with a
    ``.git``; 0 when there is none."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return len(_parts(directory))
        parent = posixpath.dirname(directory)
        if parent == directory:
            return 0
        directory = parent


def matches_any(path: str, patterns: tuple[str, ...], bounded: bool = False) -> bool:
    """Does one of ``patterns`` match ``path`` (``bounded``: as excludes see it, see
    :func:`_candidates`)?"""
    globs = _globs(tuple(patterns))
    return _any_candidate(globs.match, path, bounded)


def matches_exclude(path: str, settings: Settings) -> bool:
    """Does one of the settings' exclude globs match ``path`` (already a :func:`glob_path`)?"""
    return matches_any(path, settings.exclude, bounded=True)


def _any_candidate(test: Callable[[str], bool], path: str, bounded: bool = False) -> bool:
    return any(test(candidate) for candidate in _candidates(path, bounded))


def glob_path(path: str, base: str | None) -> str:
    """The path include/exclude globs are matched against for the file ``path``: its
    path below ``base`` (the directory of the configuration file that declares them),
    also when ``path`` reaches it through a symbolic link; else ``path`` as given (an
    absolute one is then matched by each of its tails, see :func:`matches_any`)."""
    if base is None:
        return path
    absolute = os.path.abspath(path)
    inside = _below(absolute, base)
    if inside is None:
        directory, name = os.path.split(absolute)
        inside = _below(os.path.join(_real_directory(directory), name), base)
    return path if inside is None else inside


def _below(absolute: str, base: str) -> str | None:
    """``absolute`` relative to the directory ``base`` (POSIX separators; "" for
    ``base`` itself), or None when it is not below it."""
    if absolute == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    return normalize(absolute[len(prefix) :]) if absolute.startswith(prefix) else None


@lru_cache(maxsize=1024)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)


def is_excluded(path: str, settings: Settings) -> bool:
    """Does a settings exclude glob match this path (seen from the settings' base)?"""
    return matches_exclude(glob_path(path, settings.glob_base), settings)


def is_prompt_file(path: str, settings: Settings) -> bool:
    """Does a settings include glob (and no exclude glob) match this path (seen from
    the settings' base)?"""
    globbed = glob_path(path, settings.glob_base)
    return matches_any(globbed, settings.include) and not matches_exclude(globbed, settings)


SettingsFor = Callable[[str], Settings]
Wanted = Callable[[str], object]  # a file name -> its language (None: not a language we read)
OnError = Callable[[OSError], None]


def walk(
    root: Path, settings: Settings | SettingsFor, on_error: Callable[[OSError], None] | None = None
) -> Iterator[Path]:
    """Prompt files and source files of supported languages under ``root``,
    sorted by path (name by name, directories where their names sort); excluded
    directories are never entered. Source files are yielded whatever they
    contain (their marked comments are found later). A ``root`` that is a file
    is yielded as is. Symbolic links are not followed, to directories or files: in a
    cloned repository they may point anywhere (``x.prompt.md -> /etc/passwd``). A
    directory that cannot be listed (or whose settings cannot be found) is
    skipped after ``on_error`` is called with the OSError, as ``os.walk``'s
    ``onerror``; without it, silently.

    ``settings`` may be a function of a directory's path (as walked): the settings
    in force for the files of that directory, as the editor finds them for a file
    there. Globs are matched against each path as :func:`glob_path` sees it from
    the settings' base, so a file is walked exactly when the editor would read it
    (:func:`promptcoach.engine.extract.document_kind` is not None), whatever
    directory the walk starts from. Whether a subdirectory is entered is decided
    by the settings of the directory holding it."""
    from promptcoach.engine.extract.languages import language_table

    root = Path(root)
    if root.is_file():
        yield root
        return
    settings_for = settings if callable(settings) else (lambda directory: settings)
    yield from _walk_directory(str(root), settings_for, language_table().language_for, on_error or _ignore)


def _ignore(error: OSError) -> None:
    pass


def _walk_directory(directory: str, settings_for: SettingsFor, wanted: Wanted, on_error: OnError) -> Iterator[Path]:
    """Depth first, entries by name; a stack of open listings rather than recursion. A
    directory more than ``MAX_WALK_DEPTH`` levels below ``directory`` is not entered
    (``on_error`` is told): a repository may hold 1,500 nested directories, and each
    level's globs are matched against a longer path."""
    stack = [_listing(directory, settings_for, wanted, on_error)]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
        elif isinstance(step, Path):
            yield step
        elif len(stack) >= MAX_WALK_DEPTH:
            on_error(OSError(errno.ELOOP, f"more than {MAX_WALK_DEPTH} directories deep, not walked", step))
        else:
            stack.append(_listing(step, settings_for, wanted, on_error))


def _listing(directory: str, settings_for: SettingsFor, wanted: Wanted, on_error: OnError) -> Iterator[Path | str]:
    """The wanted files of ``directory`` (as Paths) and the subdirectories to enter (as
    strings), in name order."""
    try:
        with os.scandir(directory) as entries:
            listing = sorted(entries, key=lambda entry: entry.name)
        settings = settings_for(directory)
    except OSError as error:
        on_error(error)
        return
    include, exclude = _globs(tuple(settings.include)), _globs(tuple(settings.exclude))
    inside = normalize(glob_path(os.path.abspath(directory), settings.glob_base))
    prefix = inside.rstrip("/") + "/" if inside else ""
    for entry in listing:
        globbed = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if not _any_candidate(exclude.excludes_directory, globbed, bounded=True):
                    yield entry.path
                continue
            if not entry.is_file(follow_symlinks=False):
                continue  # a symbolic link may point anywhere (/etc/passwd, .git/config): not read
        except OSError:
            continue
        if _any_candidate(exclude.match, globbed, bounded=True):
            continue
        if _any_candidate(include.match, globbed) or wanted(entry.name) is not None:
            yield Path(entry.path)
