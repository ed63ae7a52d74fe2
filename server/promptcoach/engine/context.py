"""The project's context: what the assistant is told with every prompt (SPEC "Project
context"), and which project-wide key details it states.

For a prompt file, the context is, nearest first:

1. the file's own context and guideline paragraphs (given by the caller);
2. ``AGENTS.md`` / ``CLAUDE.md`` / ``GEMINI.md`` in the file's directory and each parent
   up to the project root;
3. ``.github/copilot-instructions.md``, ``.github/instructions/*.instructions.md`` whose
   ``applyTo`` matches the file, ``.cursor/rules/*.mdc`` with ``alwaysApply: true`` or
   matching ``globs``, ``.cursorrules``;
4. the manifests (package.json, requirements.txt, prisma/schema.prisma ...), through
   :mod:`promptcoach.engine.stack`.

What each of them states is read by :mod:`promptcoach.engine.statements`. Instruction
files are read only as regular files inside the root (:mod:`.safe_files`), and their
statements are cached until the file changes; :class:`ContextFor` hands a document's
requests what they inherit.
"""

from __future__ import annotations

import os
import posixpath
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.globs import compile_glob
from promptcoach.engine.model import Classification, Finding, Inherited
from promptcoach.engine.safe_files import read_inside, relative_inside, repository_of, stamp
from promptcoach.engine.statements import (
    MAX_CONTEXT_TEXT,
    Statement,
    manifest_statements,
    project_details,
    stated_by_prompts,
)

if TYPE_CHECKING:
    from promptcoach.engine.extract import PromptSequence

NEAREST_FILES = ("AGENTS.md", "CLAUDE.md", "GEMINI.md")
MAX_PARENTS = 40  # directories walked up from a prompt file
MAX_RULE_FILES = 64  # .instructions.md / .mdc files read per project
MAX_OPEN_TEXT = MAX_CONTEXT_TEXT  # characters of an open instruction file read
MAX_OWN_STATEMENTS = 100  # context paragraphs of a prompt file read for details (a longer run is a rules file)
_FRONT_KEY = regexcache.compile(r"^(applyTo|globs|alwaysApply)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)


class InstructionFile(NamedTuple):
    path: str  # relative to the root
    applies_to: tuple[str, ...] | None  # globs; None: every file
    statements: tuple[Statement, ...]

    def applies(self, relative: str) -> bool:
        if self.applies_to is None:
            return True
        return any(_glob_match(glob, relative) for glob in self.applies_to)


def _glob_match(glob: str, relative: str) -> bool:
    try:
        return compile_glob(glob).match(relative)
    except ValueError:
        return False


def front_matter_globs(text: str, path: str) -> tuple[str, ...] | None:
    """The globs an ``.instructions.md`` (``applyTo``) or ``.mdc`` rule (``globs``,
    ``alwaysApply``) applies to; None: every file; ``()``: none (a rule picked by hand)."""
    if not text.startswith("---"):
        return None if not path.endswith(".mdc") else ()
    end = text.find("\n---", 3)
    head = text[3 : end if end > 0 else min(len(text), 4000)][:4000]
    values = {key: value for key, value in _FRONT_KEY.findall(head)}
    if values.get("alwaysApply", "").lower() == "true":
        return None
    globs = values.get("applyTo", values.get("globs", ""))
    globs = globs.strip().strip("[]")
    items = tuple(g.strip().strip("'\"") for g in globs.split(",") if g.strip().strip("'\""))
    if "**" in items or "**/*" in items:
        return None
    if not items:
        return () if path.endswith((".mdc", ".instructions.md")) else None
    return items


class ProjectContext:
    """The instruction files of one project root and what they state (thread-safe cache)."""

    def __init__(self, root: Path, knowledge: Any, settings: Any) -> None:
        self.root = Path(root)
        self._root_text = str(self.root)
        self.knowledge = knowledge
        self.settings = settings
        self._files: dict[str, tuple[tuple[str | int, int] | None, InstructionFile | None]] = {}
        self._open: dict[str, str] = {}  # relative path -> text of an instruction file open in an editor
        self._lock = threading.Lock()
        self._rule_names: tuple[tuple[tuple[int, int] | None, ...], list[str]] | None = None

    def set_open(self, path: str | Path, text: str | None) -> bool:
        """The editor holds ``path`` open with ``text`` (None: closed, read the disk
        again); True when what its prompts inherit from may have changed."""
        relative = self.relative(path)
        if relative is None:
            return False
        with self._lock:
            if text is None:
                changed = self._open.pop(relative, None) is not None
            else:
                changed = self._open.get(relative) != text
                self._open[relative] = text[:MAX_OPEN_TEXT]
        return changed

    def relative(self, path: str | Path) -> str | None:
        """``path`` relative to the root (POSIX), or None when it lies outside."""
        try:
            return relative_inside(os.path.realpath(path), _real_root(str(self.root)))
        except (ValueError, OSError):
            return None

    def files_for(self, path: str | Path) -> list[InstructionFile]:
        """The instruction files that apply to the file at ``path``, nearest first."""
        relative = self.relative(path)
        if relative is None:
            return []
        found: list[InstructionFile] = []
        directory = posixpath.dirname(relative)  # "" for the root
        for _ in range(MAX_PARENTS):
            for name in NEAREST_FILES:
                candidate = f"{directory}/{name}" if directory else name
                if candidate != relative:
                    self._add(found, candidate)
            if not directory:
                break
            directory = posixpath.dirname(directory)
        for candidate in (".github/copilot-instructions.md", ".cursorrules", *self._rule_files()):
            if candidate != relative:
                self._add(found, candidate)
        return [item for item in found if item.applies(relative)]

    def _rule_files(self) -> list[str]:
        """The ``.instructions.md`` and ``.mdc`` rule files (listed again when one of
        their folders changes)."""
        folders = (".github/instructions", ".cursor/rules")
        stamps = tuple(stamp(os.path.join(self._root_text, folder)) for folder in folders)
        known = self._rule_names
        if known is not None and known[0] == stamps:
            return known[1]
        names = self._list_rule_files()
        self._rule_names = (stamps, names)
        return names

    def _list_rule_files(self) -> list[str]:
        names: list[str] = []
        for folder, suffix in ((".github/instructions", ".instructions.md"), (".cursor/rules", ".mdc")):
            directory = self.root / folder
            try:
                entries = sorted(p.name for p in directory.iterdir() if p.name.endswith(suffix))
            except OSError:
                continue
            names.extend(f"{folder}/{name}" for name in entries[:MAX_RULE_FILES])
        return names

    def _add(self, found: list[InstructionFile], relative: str) -> None:
        item = self.instruction_file(relative)
        if item is not None:
            found.append(item)

    def instruction_file(self, relative: str) -> InstructionFile | None:
        """The instruction file at ``relative`` (cached until it changes), None if absent."""
        with self._lock:
            open_text = self._open.get(relative)
            cached = self._files.get(relative)
        # a string path: this runs for every candidate name of every file checked
        current = ("open", hash(open_text)) if open_text is not None else stamp(f"{self._root_text}{os.sep}{relative}")
        if cached is not None and cached[0] == current:
            return cached[1]
        item = None
        if current is not None:
            text = open_text if open_text is not None else read_inside(self.root / relative, self.root)
            if text is not None:
                item = InstructionFile(
                    relative, front_matter_globs(text, relative), tuple(self._statements(text, relative))
                )
        with self._lock:
            self._files[relative] = (current, item)
        return item

    def _statements(self, text: str, relative: str) -> list[Statement]:
        from promptcoach.engine.extract import extract

        _, prompts = extract(text, relative, settings=self.settings, explicit=True, language_id="instructions")
        return stated_by_prompts(text, prompts, relative, self.knowledge)


def is_context_file(path: str | Path) -> bool:
    """Whether a change to ``path`` can change some prompt's context (file watchers)."""
    name = Path(path).name
    return (
        name in NEAREST_FILES
        or name in ("copilot-instructions.md", ".cursorrules")
        or name.endswith((".instructions.md", ".mdc"))
    )


def inherit(classification: Classification, statements: Iterable[Statement], knowledge: Any) -> Classification:
    """``classification`` with each missing project-wide detail that one of
    ``statements`` (nearest first) states counted as present, with where it was found."""
    category = classification.category
    if category is None or not classification.missing:
        return classification
    wanted = set(project_details(knowledge).get(category, ()))
    supplied: dict[str, Statement] = {}
    for statement in statements:
        if statement.category == category and statement.detail in classification.missing and statement.detail in wanted:
            supplied.setdefault(statement.detail, statement)
    if not supplied:
        return classification
    order = [d.id for d in knowledge.category(category).details]
    present = set(classification.present) | set(supplied)
    return Classification(
        category,
        tuple(d for d in order if d in present),
        tuple(d for d in classification.missing if d not in supplied),
        classification.evidence,
        classification.confidence,
        tuple(
            Inherited(d, s.path, s.line, s.text) for d, s in sorted(supplied.items(), key=lambda i: order.index(i[0]))
        ),
    )


def context_root(path: str, root: str | Path | None) -> Path | None:
    """The directory whose instruction files can apply to ``path``: the project root when
    ``path`` is inside it, else the nearest parent holding ``.git`` (not one at or above
    the home directory: :func:`~promptcoach.engine.safe_files.repository_of`), else
    ``path``'s own directory. None for a document with no file (an untitled buffer), and
    for one named inside the project that a symbolic link takes out of it
    (``ws/linked -> /elsewhere``): nothing of the place it leads to is read."""
    if not path:
        return None
    try:
        absolute = os.path.realpath(path)
        if root is not None:
            resolved = _real_root(str(root))
            if relative_inside(absolute, resolved) is not None:
                return Path(resolved)
            named = os.path.abspath(path)
            if any(relative_inside(named, top) is not None for top in (os.path.abspath(str(root)), resolved)):
                return None  # named inside the project, really outside it
    except (OSError, RuntimeError, ValueError):
        return None
    directory = os.path.dirname(absolute)
    repository = repository_of(Path(directory))
    if repository is not None and _levels_between(str(repository), directory) < MAX_PARENTS:
        return repository
    return Path(directory)


def _levels_between(top: str, directory: str) -> int:
    """How many directories ``directory`` lies below ``top`` (one of its parents)."""
    return len(_names(directory)) - len(_names(top))


def _names(path: str) -> list[str]:
    return [name for name in path.split(os.sep) if name]


@lru_cache(maxsize=64)
def _real_root(root: str) -> str:
    """The project root with its links resolved (asked for every file checked)."""
    return os.path.realpath(root)


class ContextFor:
    """The context of one document's prompts: its own context and guideline paragraphs,
    the instruction files that apply to it, the project's manifests (worked out once,
    on the first request that misses a project-wide detail)."""

    def __init__(self, engine: Any, text: str, path: str, prompts: PromptSequence) -> None:
        self.engine, self.text, self.path, self.prompts = engine, text, path, prompts
        self._statements: list[Statement] | None = None
        self._target: tuple[tuple[Path, bool] | None] | None = None

    def statements(self) -> list[Statement]:
        if self._statements is None:
            self._statements = self._gather()
        return self._statements

    def _gather(self) -> list[Statement]:
        engine = self.engine
        knowledge = engine.knowledge
        project = engine.project_context(self.path)
        shown = Path(self.path).name
        if project is not None:
            shown = project.relative(self.path) or shown
        found = stated_by_prompts(
            self.text, self.prompts, shown, knowledge, ("context", "guideline"), limit=MAX_OWN_STATEMENTS
        )
        if project is not None:
            for item in project.files_for(self.path):
                found.extend(item.statements)
        found.extend(manifest_statements(engine.stack, knowledge))
        return found

    def signature(self) -> tuple[tuple[str, str, str, int, str], ...]:
        """What the context states: equal signatures inherit equally."""
        return tuple((s.category, s.detail, s.path, s.line, s.text) for s in self.statements())

    def instruction_target(self) -> tuple[Path, bool] | None:
        """Where a project-wide detail is best stated once: the nearest AGENTS.md (or
        CLAUDE.md, GEMINI.md) that applies to this document, else the root's AGENTS.md to
        create; ``(path, exists)``. None outside a project."""
        if self._target is None:  # the same for every prompt of the document: found once
            self._target = (self._find_target(),)
        return self._target[0]

    def _find_target(self) -> tuple[Path, bool] | None:
        project = self.engine.project_context(self.path)
        if project is None:
            return None
        for item in project.files_for(self.path):
            if Path(item.path).name in NEAREST_FILES:
                return project.root / item.path, True
        new = project.root / "AGENTS.md"
        # one that is there but was not read (a link out of the project, a FIFO) is not
        # "to create": an edit would write through it
        return None if os.path.lexists(new) else (new, False)

    def inherit(self, classification: Classification) -> Classification:
        wanted = project_details(self.engine.knowledge).get(classification.category or "", ())
        if not wanted or not set(wanted).intersection(classification.missing):
            return classification
        return inherit(classification, self.statements(), self.engine.knowledge)


def add_state_fixes(findings: list[Finding], category: str, context: ContextFor, knowledge: Any) -> None:
    """On a missing-detail finding, for each project-wide detail it misses: a fix that
    states the detail once in the project's instruction file ("State the database
    technology in AGENTS.md"), so every prompt of the project inherits it."""
    wanted = project_details(knowledge).get(category, ())
    for finding in findings:
        if finding.rule != "missing-detail":
            continue
        details = [d for d in finding.data.get("missing", ()) if d in wanted]
        target = context.instruction_target() if details else None
        if target is None:
            continue
        from promptcoach.engine.rules.context_coverage import state_elsewhere_fix

        fixes = [state_elsewhere_fix(knowledge, category, d, target[0], target[1]) for d in details]
        finding.fixes = (*finding.fixes, *(fix for fix in fixes if fix is not None))
