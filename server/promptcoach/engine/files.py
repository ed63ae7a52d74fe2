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

Both the CLI and the language server use :func:`walk` and :func:`is_prompt_file`,
so a directory check and the editor agree on what is a prompt file.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from promptcoach.engine.settings import Settings

# A name no real file has: a directory is pruned when an exclude glob matches
# "<dir>/<this>", i.e. when it excludes everything below the directory.
_ANY_CHILD = "\x00"


def _translate(pattern: str) -> str:
    """The regex source of one glob (see the module doc for the rules)."""
    out: list[str] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "*":
            if pattern.startswith("**", index):
                at_part_start = index == 0 or pattern[index - 1] == "/"
                index += 2
                if at_part_start and pattern.startswith("/", index):
                    out.append("(?:.*/)?")  # "**/": zero or more parts
                    index += 1
                elif at_part_start and index == length:
                    out.append(".*")
                else:
                    out.append("[^/]*")
                continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = pattern.find("]", index + 2)
            if close < 0:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : close]
                negate = body.startswith("!")
                body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
                out.append(f"[{'^/' if negate else ''}{body}]")
                index = close
        elif char == "{":
            close = pattern.find("}", index)
            if close < 0:
                out.append(re.escape(char))
            else:
                options = pattern[index + 1 : close].split(",")
                out.append("(?:" + "|".join(_translate(option) for option in options) + ")")
                index = close
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern:
    """A compiled matcher for relative POSIX paths."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = pattern.startswith("/")
    pattern = pattern.strip("/")
    if not anchored and "/" not in pattern:
        pattern = "**/" + pattern
    return re.compile(_translate(pattern) + r"\Z", re.S)


class GlobSet:
    """Several globs matched as one."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(p for p in patterns if p and p.strip())
        sources = [compile_glob(p).pattern for p in self.patterns]
        self._regex = re.compile("|".join(f"(?:{s})" for s in sources), re.S) if sources else None

    def match(self, relpath: str) -> bool:
        return self._regex is not None and self._regex.match(relpath) is not None

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


def _candidates(path: str) -> Iterator[str]:
    """The path itself, and for an absolute path every tail of it, since the
    root it is relative to is not known (an editor may hand us any file)."""
    path = normalize(path)
    if not PurePosixPath(path).is_absolute() and not re.match(r"[A-Za-z]:/", path):
        yield path
        return
    parts = [part for part in path.split("/") if part and not part.endswith(":")]
    for index in range(len(parts)):
        yield "/".join(parts[index:])


def matches_any(path: str, patterns: tuple[str, ...]) -> bool:
    globs = _globs(tuple(patterns))
    return any(globs.match(candidate) for candidate in _candidates(path))


def is_excluded(relpath: str, settings: Settings) -> bool:
    return matches_any(relpath, settings.exclude)


def is_prompt_file(relpath: str, settings: Settings) -> bool:
    """Does a settings include glob (and no exclude glob) match this path?"""
    return matches_any(relpath, settings.include) and not matches_any(relpath, settings.exclude)


def walk(root: Path, settings: Settings) -> Iterator[Path]:
    """Prompt files and source files of supported languages under ``root``,
    sorted by path (name by name, directories where their names sort); excluded
    directories are never entered. Source files are yielded whatever they
    contain (their marked comments are found later). A ``root`` that is a file
    is yielded as is. Symbolic links to directories are not followed;
    unreadable directories are skipped."""
    from promptcoach.engine.extract.languages import language_table

    root = Path(root)
    if root.is_file():
        yield root
        return
    include, exclude = _globs(tuple(settings.include)), _globs(tuple(settings.exclude))
    wanted = language_table().language_for
    yield from _walk_directory(str(root), "", include, exclude, wanted)


def _walk_directory(directory: str, prefix: str, include: GlobSet, exclude: GlobSet, wanted) -> Iterator[Path]:
    try:
        with os.scandir(directory) as entries:
            listing = sorted(entries, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in listing:
        relpath = prefix + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if not exclude.excludes_directory(relpath):
                    yield from _walk_directory(entry.path, relpath + "/", include, exclude, wanted)
                continue
            if not entry.is_file():
                continue
        except OSError:
            continue
        if exclude.match(relpath):
            continue
        if include.match(relpath) or wanted(relpath) is not None:
            yield Path(entry.path)
