"""Which files Prompt Coach reads: the paths include/exclude globs see, and the
directory walk. The globs themselves (their syntax, compiled to automata) are in
:mod:`promptcoach.engine.globs`.

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
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from promptcoach.engine import regexcache
from promptcoach.engine.globs import GlobSet
from promptcoach.engine.safe_files import repository_root
from promptcoach.engine.settings import Settings

# Deepest directory a walk enters, counted from the walked directory (real projects
# nest a dozen levels or so).
MAX_WALK_DEPTH = 64
_DRIVE = regexcache.compile(r"[A-Za-z]:/")  # an absolute Windows path, once normalised


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
    if not path.startswith("/") and not _DRIVE.match(path):
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
    absolute normalised path) has; 0 when there is none."""
    root = repository_root(directory)
    return len(_parts(root)) if root is not None else 0


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
