"""What ``promptcoach check`` checks: the files and directories named on the command
line (and standard input), each with the project it belongs to, in command-line order
and then walk order. A path that cannot be read is a usage error (or, met inside a
walk, an error listed after the others are checked); a FIFO or device is never read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from promptcoach.cli import STDIN, UsageError
from promptcoach.engine.config import CONFIG_FILE
from promptcoach.output.stream import say
from promptcoach.project import Project, config_path, project_at

if TYPE_CHECKING:
    import argparse

    from promptcoach.batch import Target
    from promptcoach.engine.settings import Settings


class Projects:
    """The project (configuration and settings) in force for each checked file, found
    as the editor finds it for a document there: ``--config`` for every file, the
    defaults with ``--no-config``, else the ``.promptcoach.yaml`` nearest to the file's
    directory. Each configuration file is loaded once; ``first`` is the project of
    the first directory asked about."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.first: Project | None = None
        self._by_config: dict[str | None, Project] = {}
        self._by_directory: dict[str, Project] = {}

    def for_directory(self, directory: str | Path) -> Project:
        """The project of the files in ``directory``."""
        key = os.path.abspath(directory)
        project = self._by_directory.get(key)
        if project is None:
            project = self._by_directory[key] = self._lookup(key)
            self.first = self.first or project
        return project

    def for_file(self, path: str | Path) -> Project:
        return self.for_directory(os.path.dirname(os.path.abspath(path)))

    def settings_for(self, directory: str) -> Settings:
        """The settings of the files in ``directory`` (what a walk asks)."""
        return self.for_directory(directory).settings

    def _lookup(self, directory: str) -> Project:
        """A directory without a configuration file of its own has its parent's project."""
        fixed = self.args.config or self.args.no_config
        parent = self._by_directory.get(os.path.dirname(directory))
        if parent is not None and (fixed or not os.path.isfile(os.path.join(directory, CONFIG_FILE))):
            return parent
        path = config_path(self.args, Path(directory))
        key = str(path.resolve()) if path is not None else None
        project = self._by_config.get(key)
        if project is None:
            project = self._by_config[key] = project_at(path, Path(directory))
        return project


def runs_by_project(targets: list[tuple[Project, Target]]) -> list[tuple[Project, list[Target]]]:
    """The targets in order, in runs of consecutive targets that share a project."""
    runs: list[tuple[Project, list[Target]]] = []
    for project, target in targets:
        if runs and runs[-1][0] is project:
            runs[-1][1].append(target)
        else:
            runs.append((project, [target]))
    return runs


def collect_targets(
    paths: Sequence[str],
    stdin_filename: str | None,
    projects: Projects,
    seen: set[str] | None = None,
    errors: list[str] | None = None,
) -> list[tuple[Project, Target]]:
    """What to check and with which project, in command-line order; a directory adds
    its files in walk order. ``seen``: files already collected (a file named twice is
    checked once). ``errors``: gets a message for each directory met in a walk that
    cannot be read (without it, such a directory is a usage error at once). The
    engine is given each file's absolute path, so that it matches the globs from the
    configuration file's directory, as the walk did."""
    from promptcoach import batch

    targets: list[tuple[Project, batch.Target]] = []
    seen = set() if seen is None else seen
    for name in paths:
        if name == STDIN:
            if stdin_filename:  # (its directory's configuration and instruction files are read)
                refuse_named_link_out(stdin_filename)
            shown = stdin_filename or STDIN
            project = projects.for_file(stdin_filename) if stdin_filename else projects.for_directory(".")
            text, too_large = _read_stdin(shown, project.settings.max_file_size)
            analysis_path = os.path.abspath(stdin_filename) if stdin_filename else None
            targets.append(
                (
                    project,
                    batch.Target(
                        shown, None, explicit=True, text=text, analysis_path=analysis_path, too_large=too_large
                    ),
                )
            )
            continue
        path = Path(name)
        refuse_named_link_out(name)
        mode = _stat(name).st_mode
        if stat.S_ISDIR(mode):
            _add_walked(targets, seen, projects, name, errors)
        elif not stat.S_ISREG(mode):  # a FIFO, device or socket: reading it could wait forever
            raise UsageError(f"{name}: not a regular file")
        else:
            project = _readable(name, projects.for_file, path)
            _add_file(targets, seen, project, path, name, explicit=True)
    return targets


def refuse_named_link_out(name: str) -> None:
    """A path named on the command line that reaches, through a symbolic link (the file's
    own or a directory's on the way), a place outside the project the command runs in
    (:func:`~promptcoach.engine.safe_files.command_line_root`) is not read: CI checks the
    files a pull request changed by name, and one of them may be ``x.prompt.md ->
    ~/.git-credentials`` or ``sub -> /etc``. A link within the project (``CLAUDE.md ->
    AGENTS.md``) is followed. Asked before the path is looked at: the error is the same
    whether the target exists or not."""
    from promptcoach.engine.safe_files import command_line_root, links_out
    from promptcoach.output.paths import printable

    if links_out(name, command_line_root()):
        raise UsageError(f"{printable(name)}: a symbolic link to a path outside the project; not read")


def _add_walked(targets: list, seen: set[str], projects: Projects, name: str, errors: list[str] | None) -> None:
    """Add the files of the walk of directory ``name`` (see :func:`collect_targets`)."""
    from promptcoach.engine.files import walk

    path = Path(name)
    before, errors_before = len(targets), len(errors or ())
    _readable(name, _listed_project, projects, path)
    for found in walk(path, projects.settings_for, on_error=partial(_walk_error, errors, name, path)):
        shown = _shown(name, _inside(path, found))
        _add_file(targets, seen, projects.for_file(found), found, shown, explicit=False)
    if len(targets) == before and len(errors or ()) == errors_before:
        say(f"promptcoach: warning: no prompt files or source files found in {name}")


def _walk_error(errors: list[str] | None, name: str, root: Path, error: OSError) -> None:
    """A directory of the walk of ``root`` (named ``name``) cannot be read: say so,
    with its path shown as the walked files' paths are."""
    where = _shown(name, _inside(root, Path(error.filename))) if error.filename else name
    if errors is None:
        raise UsageError(_cannot_read(where, error))
    errors.append(_cannot_read(where, error))


def _stat(name: str) -> os.stat_result:
    """The status of a path named on the command line; one that cannot be reached is a
    usage error, in the system's words (``loop1: Too many levels of symbolic links``)."""
    try:
        return os.stat(name)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file or directory") from None
    except PermissionError as error:
        raise UsageError(_cannot_read(name, error)) from None
    except OSError as error:
        raise UsageError(f"{name}: {error.strerror or error}") from None


def _readable(name: str, step, *args):
    """``step(*args)``, with an OSError (a directory that cannot be listed or searched)
    as a usage error about the path ``name`` named on the command line."""
    try:
        return step(*args)
    except OSError as error:
        raise UsageError(_cannot_read(name, error)) from None


def _listed_project(projects: Projects, directory: Path) -> Project:
    """The project of a directory to walk, once it is known that it can be listed."""
    with os.scandir(directory):
        pass
    return projects.for_directory(directory)


def _cannot_read(name: str, error: OSError) -> str:
    return f"{name}: cannot read: {error.strerror or error}"


def _read_stdin(shown: str, limit: int) -> tuple[str, bool]:
    """Standard input's text, and whether it is over ``limit`` bytes (then "")."""
    from promptcoach import batch

    try:
        return batch.read_stdin(shown, limit), False
    except batch.TooLarge:
        return "", True
    except batch.InputError as error:
        raise UsageError(str(error)) from None


def _add_file(targets: list, seen: set[str], project: Project, path: Path, shown: str, explicit: bool) -> None:
    """Add a file once, however many times it is named or walked (the first wins)."""
    from promptcoach import batch

    key = str(path.resolve())
    if key in seen:
        return
    seen.add(key)
    size = batch.file_size(path)
    target = batch.Target(shown, str(path), explicit, size=size, analysis_path=os.path.abspath(path))
    targets.append((project, target))


def _shown(directory: str, inside: str) -> str:
    base = directory.rstrip("/") or "/"
    if base == ".":
        return inside
    return f"{base}{inside}" if base == "/" else f"{base}/{inside}"


def _inside(root: Path, found: Path) -> str:
    """A walked file's path inside the walked directory (``prompts/a.prompt.md``).

    Reports show it after the directory as given on the command line
    (``examples/prompts/a.prompt.md``), or alone for ``.``."""
    try:
        return found.relative_to(root).as_posix()
    except ValueError:
        return found.as_posix()
