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

Which details are project-wide is knowledge data (``scope: project``). A statement
names a detail when the detector finds it there (the same terms as in prompts) and the
term is not negated ("we do not use Prisma"). Instruction files are read only as
regular files inside the root (:mod:`.safe_files`), and their statements are cached
until the file changes.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from promptcoach.engine.files import compile_glob
from promptcoach.engine.model import Classification, Inherited
from promptcoach.engine.safe_files import read_inside, stamp

NEAREST_FILES = ("AGENTS.md", "CLAUDE.md", "GEMINI.md")
MAX_PARENTS = 40  # directories walked up from a prompt file
MAX_RULE_FILES = 64  # .instructions.md / .mdc files read per project
_FRONT_KEY = re.compile(r"^(applyTo|globs|alwaysApply)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
_NEGATION = re.compile(r"\b(?:not|no|never|without|avoid|instead of|rather than|don't|doesn't|isn't|nor)\b[^.;:!?\n]*$",
                       re.I)


class Statement(NamedTuple):
    """A project-wide detail stated in the context."""

    category: str
    detail: str
    path: str  # relative to the root, POSIX separators
    line: int  # 0-based
    text: str  # the words that state it ("PostgreSQL")


@dataclass(frozen=True)
class InstructionFile:
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


def project_details(knowledge: Any) -> dict[str, tuple[str, ...]]:
    """category id -> its project-wide detail ids (``scope: project`` in the knowledge)."""
    return {c.id: tuple(d.id for d in c.details if d.scope == "project")
            for c in knowledge.categories if c.is_backend}


def statements_in(text: str, blocks: Iterable[tuple[int, str]], path: str, knowledge: Any) -> list[Statement]:
    """The project-wide details stated by ``blocks`` (``(document offset, text)`` of each
    statement) of the document ``text`` at ``path``."""
    from promptcoach.engine.detect import detect_details

    wanted = project_details(knowledge)
    found: list[Statement] = []
    for offset, block in blocks:
        block = block[:4000]
        for category, details in wanted.items():
            if not details:
                continue
            result = detect_details(block, knowledge, category)
            present = set(details).intersection(result.present)
            if not present:
                continue
            for match in result.matches:
                if match.detail in present and not _negated(block, match.start):
                    line = text.count("\n", 0, offset + match.start)
                    found.append(Statement(category, match.detail, path, line, block[match.start:match.end]))
                    present.discard(match.detail)
    return found


def _negated(text: str, start: int) -> bool:
    sentence_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), text.rfind(";", 0, start)) + 1
    return _NEGATION.search(text[sentence_start:start]) is not None


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
        self.knowledge = knowledge
        self.settings = settings
        self._files: dict[str, tuple[tuple | None, InstructionFile | None]] = {}
        self._lock = threading.Lock()

    def relative(self, path: str | Path) -> str | None:
        """``path`` relative to the root (POSIX), or None when it lies outside."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError):
            return None

    def files_for(self, path: str | Path) -> list[InstructionFile]:
        """The instruction files that apply to the file at ``path``, nearest first."""
        relative = self.relative(path)
        if relative is None:
            return []
        found: list[InstructionFile] = []
        directory = Path(relative).parent
        for _ in range(MAX_PARENTS):
            for name in NEAREST_FILES:
                candidate = (directory / name).as_posix()
                if candidate != relative:
                    self._add(found, candidate)
            if directory == Path("."):
                break
            directory = directory.parent
        for candidate in (".github/copilot-instructions.md", ".cursorrules", *self._rule_files()):
            if candidate != relative:
                self._add(found, candidate)
        return [item for item in found if item.applies(relative)]

    def _rule_files(self) -> list[str]:
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
        path = self.root / relative
        current = stamp(path)
        with self._lock:
            cached = self._files.get(relative)
        if cached is not None and cached[0] == current:
            return cached[1]
        item = None
        if current is not None:
            text = read_inside(path, self.root)
            if text is not None:
                item = InstructionFile(relative, front_matter_globs(text, relative),
                                       tuple(self._statements(text, relative)))
        with self._lock:
            self._files[relative] = (current, item)
        return item

    def _statements(self, text: str, relative: str) -> list[Statement]:
        from promptcoach.engine.extract import extract

        _, prompts = extract(text, relative, settings=self.settings, explicit=True, language_id="instructions")
        blocks = [(prompt.start, prompt.detail_text) for prompt, kind in prompts if kind != "question"]
        return statements_in(text, blocks, relative, self.knowledge)

    def forget(self, path: str | Path | None = None) -> None:
        """Drop what is cached (for one file, or all): the editor saw it change."""
        with self._lock:
            if path is None:
                self._files.clear()
            else:
                relative = self.relative(path)
                self._files.pop(relative or "", None)


def is_context_file(path: str | Path) -> bool:
    """Whether a change to ``path`` can change some prompt's context (file watchers)."""
    name = Path(path).name
    return (name in NEAREST_FILES or name in ("copilot-instructions.md", ".cursorrules")
            or name.endswith((".instructions.md", ".mdc")))


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
        tuple(Inherited(d, s.path, s.line, s.text) for d, s in sorted(supplied.items(), key=lambda i: order.index(i[0]))),
    )


def context_root(path: str, root: str | Path | None) -> Path | None:
    """The directory whose instruction files can apply to ``path``: the project root when
    ``path`` is inside it, else the nearest parent holding ``.git``, else ``path``'s own
    directory. None for a document with no file (an untitled buffer)."""
    if not path:
        return None
    try:
        absolute = Path(path).resolve()
    except (OSError, RuntimeError):
        return None
    if root is not None:
        resolved = Path(root).resolve()
        if absolute == resolved or resolved in absolute.parents:
            return resolved
    for index, parent in enumerate(absolute.parents):
        if index >= MAX_PARENTS:
            break
        if (parent / ".git").exists():
            return parent
    return absolute.parent


class ContextFor:
    """The context of one document's prompts: its own context and guideline paragraphs,
    the instruction files that apply to it, the project's manifests (worked out once,
    on the first request that misses a project-wide detail)."""

    def __init__(self, engine: Any, text: str, path: str, prompts: list) -> None:
        self.engine, self.text, self.path, self.prompts = engine, text, path, prompts
        self._statements: list[Statement] | None = None

    def statements(self) -> list[Statement]:
        if self._statements is None:
            self._statements = self._gather()
        return self._statements

    def _gather(self) -> list[Statement]:
        engine = self.engine
        knowledge = engine.knowledge
        own_blocks = [(prompt.start, prompt.detail_text) for prompt, kind in self.prompts[:500]
                      if kind in ("context", "guideline")]
        project = engine.project_context(self.path)
        shown = Path(self.path).name
        if project is not None:
            shown = project.relative(self.path) or shown
        found = statements_in(self.text, own_blocks, shown, knowledge)
        if project is not None:
            for item in project.files_for(self.path):
                found.extend(item.statements)
        found.extend(manifest_statements(engine.stack, knowledge))
        return found

    def inherit(self, classification: Classification) -> Classification:
        wanted = project_details(self.engine.knowledge).get(classification.category or "", ())
        if not wanted or not set(wanted).intersection(classification.missing):
            return classification
        return inherit(classification, self.statements(), self.engine.knowledge)


def manifest_statements(stack: Any, knowledge: Any) -> list[Statement]:
    """Project-wide details the project's manifests answer unambiguously."""
    if stack is None or stack.empty:
        return []
    found = []
    for category, details in project_details(knowledge).items():
        for detail in details:
            technology = stack.answer(category, detail)
            if technology is None:
                continue
            evidence = stack.evidence(technology.id) or ""
            source = evidence.split(":", 1)[0].strip() or "package.json"
            found.append(Statement(category, detail, source, _line_of(stack, source, evidence), technology.name))
    return found


def _line_of(stack: Any, source: str, evidence: str) -> int:
    """The line of ``source`` (a manifest) that names the package in ``evidence``."""
    name = evidence.split(":", 1)[1].strip() if ":" in evidence else ""
    root = getattr(stack, "root", None)
    if not name or root is None:
        return 0
    text = read_inside(Path(root) / source, Path(root), 1_000_000) or ""
    index = text.find(name)
    return text.count("\n", 0, index) if index >= 0 else 0
