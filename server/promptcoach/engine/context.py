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

import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from promptcoach.engine.globs import compile_glob
from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.model import Classification, Finding, Inherited
from promptcoach.engine.negation import Negations
from promptcoach.engine.safe_files import read_inside, stamp
from promptcoach.engine.stack_catalog import load_catalog

if TYPE_CHECKING:
    from promptcoach.engine.extract.grouping import WholePrompts
    from promptcoach.engine.model import Prompt

NEAREST_FILES = ("AGENTS.md", "CLAUDE.md", "GEMINI.md")
MAX_PARENTS = 40  # directories walked up from a prompt file
MAX_RULE_FILES = 64  # .instructions.md / .mdc files read per project
MAX_OPEN_TEXT = 256 * 1024  # characters of an open instruction file read
MAX_STATEMENT = 4000  # characters of one statement read for details
MAX_OWN_STATEMENTS = 100  # context paragraphs of a prompt file read for details (a longer run is a rules file)
STATING_KINDS = ("request", "guideline", "context")  # the prompts read for statements: all but questions
_FRONT_KEY = re.compile(r"^(applyTo|globs|alwaysApply)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)


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


_PROJECT_DETAILS: IdentityMemo[dict[str, tuple[str, ...]]] = IdentityMemo(limit=16)
# stack -> (the knowledge base it was worked out with, its statements)
_MANIFEST_STATEMENTS: IdentityMemo[tuple[Any, tuple[Statement, ...]]] = IdentityMemo(limit=64)


def project_details(knowledge: Any) -> dict[str, tuple[str, ...]]:
    """category id -> its project-wide detail ids (``scope: project`` in the knowledge);
    worked out once per knowledge base (asked for every prompt and statement)."""
    return _PROJECT_DETAILS.get(
        knowledge,
        lambda kb: {
            c.id: tuple(d.id for d in c.details if d.scope == "project") for c in kb.categories if c.is_backend
        },
    )


def statements_in(text: str, blocks: Iterable[tuple[int, str]], path: str, knowledge: Any) -> list[Statement]:
    """The project-wide details stated by ``blocks`` (``(document offset, text)`` of each
    statement, in document order) of the document ``text`` at ``path``: the first
    statement of each detail (every reader keeps the first one).

    The statements are first read together, as one text (:func:`_worth_reading`): only
    those that hold a term or pattern of a detail not yet found are then read alone (a
    file that states the database in every paragraph has each paragraph after the
    first passed over), and reading stops once every project-wide detail is stated."""
    found: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    wanted = sum(len(details) for details in project_details(knowledge).values())
    line, counted = 0, 0  # the line of offset `counted`: lines are counted once over the text
    for offset, block, holds in _worth_reading(
        [(offset, block[:MAX_STATEMENT]) for offset, block in blocks], knowledge
    ):
        if len(seen) >= wanted:
            break
        if holds is not None and holds <= seen:
            continue  # names nothing but details found already
        for category, detail, start, words in _stated(block, knowledge, frozenset(seen)):
            if (category, detail) in seen:
                continue
            seen.add((category, detail))
            at = offset + start
            if at < counted:
                line, counted = 0, 0
            line += text.count("\n", counted, at)
            counted = at
            found.append(Statement(category, detail, path, line, words))
    return found


def _worth_reading(
    blocks: list[tuple[int, str]], knowledge: Any
) -> Iterable[tuple[int, str, set[tuple[str, str]] | None]]:
    """``(offset, block, the details it may state)`` of each block that may state a
    project-wide detail, in order (:func:`~promptcoach.engine.detect.evidence_in`: a
    word or a pattern of one); None for the details when that cannot be told."""
    from promptcoach.engine.detect import evidence_in

    wanted = project_details(knowledge)
    for offset, block in blocks:
        held = evidence_in(block, knowledge, wanted)
        if held is None or held:
            yield offset, block, held


# (category, detail, offset, words) of a detail a block states
_Stated = tuple[str, str, int, str]


# (knowledge id, block text) -> (the knowledge base, what the block states); bounded below
_STATED: dict[tuple[int, str], tuple[Any, tuple[_Stated, ...]]] = {}


def _is_technology(knowledge: Any, category: str, detail: str) -> bool:
    found = knowledge.category(category).detail(detail)
    return bool(found is not None and found.technology)


def clear_statements() -> None:
    """Forget what statements were found to state (benchmarks: a cold run)."""
    _STATED.clear()


def _stated(block: str, knowledge: Any, known: frozenset[tuple[str, str]] = frozenset()) -> tuple[_Stated, ...]:
    """``(category, detail, offset, words)`` of each project-wide detail ``block`` states
    (remembered by text: an edit re-reads only the paragraphs it changed), but the
    ``(category, detail)`` pairs in ``known``."""
    if known:
        quick = _stated_besides(block, knowledge, known)
        if quick is not None:
            return quick
        return tuple(item for item in _stated(block, knowledge) if (item[0], item[1]) not in known)
    key = (id(knowledge), block)
    cached = _STATED.get(key)
    if cached is not None and cached[0] is knowledge:
        return cached[1]
    from promptcoach.engine.detect import details_by_category

    found: list[_Stated] = []
    negations = load_catalog().statement_negations  # "we do not use Prisma"
    wanted = {category: details for category, details in project_details(knowledge).items() if details}
    results = details_by_category(block, knowledge, wanted)
    # words that name a technology ("Auth.js", "Prisma") state that technology, not a policy too
    named = [
        (m.start, m.end)
        for category, result in results.items()
        for m in result.matches
        if _is_technology(knowledge, category, m.detail)
    ]
    for category, result in results.items():
        present = set(wanted[category]).intersection(result.present)
        for match in result.matches if present else ():
            if match.detail not in present or match.fuzzy or _negated(block, match.start, negations):
                continue
            if not _is_technology(knowledge, category, match.detail) and any(
                start < match.end and match.start < end for start, end in named
            ):
                continue
            found.append((category, match.detail, match.start, block[match.start : match.end]))
            present.discard(match.detail)
    if len(_STATED) > 4096:
        _STATED.clear()
    _STATED[key] = (knowledge, tuple(found))
    return tuple(found)


def _stated_besides(block: str, knowledge: Any, known: frozenset[tuple[str, str]]) -> tuple[_Stated, ...] | None:
    """:func:`_stated` but the ``known`` pairs, looking only at the categories with a
    detail left to find (a file that states the database in every paragraph has each
    one read for the other details only); None when a policy is among what the block
    states (whether a technology's name covers it needs every category's matches)."""
    from promptcoach.engine.detect import details_by_category

    wanted = {
        category: left
        for category, details in project_details(knowledge).items()
        if (left := tuple(d for d in details if (category, d) not in known))
    }
    found: list[_Stated] = []
    negations = load_catalog().statement_negations
    for category, result in details_by_category(block, knowledge, wanted).items():
        present = set(wanted[category]).intersection(result.present)
        for match in result.matches if present else ():
            if match.detail not in present or match.fuzzy or _negated(block, match.start, negations):
                continue
            if not _is_technology(knowledge, category, match.detail):
                return None
            found.append((category, match.detail, match.start, block[match.start : match.end]))
            present.discard(match.detail)
    return tuple(found)


def _negated(text: str, start: int, negations: Negations) -> bool:
    """Whether the statement's sentence negates what stands at ``start`` before it ("we do
    not use Prisma"): a negation between the start of the sentence or clause and it."""
    floor = max(text.rfind(mark, 0, start) for mark in _CLAUSE_ENDS) + 1
    return negations.in_span(text, floor, start)


_CLAUSE_ENDS = (".", "\n", ";", ":", "!", "?")


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
            real = os.path.realpath(path)
        except (ValueError, OSError):
            return None
        top = _real_root(str(self.root)).rstrip(os.sep)
        inside, top_case = os.path.normcase(real), os.path.normcase(top)
        if inside == top_case:
            return "."
        if not inside.startswith(top_case + os.sep):
            return None
        return real[len(top) + 1 :].replace(os.sep, "/")

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
        """The ``.instructions.md`` and ``.mdc`` rule files (listed again when one of
        their folders changes)."""
        folders = (".github/instructions", ".cursor/rules")
        stamps = tuple(stamp(self.root / folder) for folder in folders)
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
        path = self.root / relative
        with self._lock:
            open_text = self._open.get(relative)
            cached = self._files.get(relative)
        current = ("open", hash(open_text)) if open_text is not None else stamp(path)
        if cached is not None and cached[0] == current:
            return cached[1]
        item = None
        if current is not None:
            text = open_text if open_text is not None else read_inside(path, self.root)
            if text is not None:
                item = InstructionFile(
                    relative, front_matter_globs(text, relative), tuple(self._statements(text, relative))
                )
        with self._lock:
            self._files[relative] = (current, item)
        return item

    def _statements(self, text: str, relative: str) -> list[Statement]:
        from promptcoach.engine.extract import extract, prompts_of_kind

        _, prompts = extract(text, relative, settings=self.settings, explicit=True, language_id="instructions")
        blocks = ((prompt.start, prompt.detail_text) for prompt in prompts_of_kind(prompts, STATING_KINDS))
        return statements_in(text, blocks, relative, self.knowledge)


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
    ``path`` is inside it, else the nearest parent holding ``.git``, else ``path``'s own
    directory. None for a document with no file (an untitled buffer)."""
    if not path:
        return None
    try:
        absolute = os.path.realpath(path)
        if root is not None:
            resolved = _real_root(str(root))
            inside, top = os.path.normcase(absolute), os.path.normcase(resolved)
            if inside == top or inside.startswith(top.rstrip(os.sep) + os.sep):
                return Path(resolved)
    except (OSError, RuntimeError, ValueError):
        return None
    for index, parent in enumerate(Path(absolute).parents):
        if index >= MAX_PARENTS:
            break
        if (parent / ".git").exists():
            return parent
    return Path(absolute).parent


@lru_cache(maxsize=64)
def _real_root(root: str) -> str:
    """The project root with its links resolved (asked for every file checked)."""
    return os.path.realpath(root)


class ContextFor:
    """The context of one document's prompts: its own context and guideline paragraphs,
    the instruction files that apply to it, the project's manifests (worked out once,
    on the first request that misses a project-wide detail)."""

    def __init__(self, engine: Any, text: str, path: str, prompts: list[tuple[Prompt, str]] | WholePrompts) -> None:
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
        from promptcoach.engine.extract import prompts_of_kind

        own_blocks = islice(
            ((prompt.start, prompt.detail_text) for prompt in prompts_of_kind(self.prompts, ("context", "guideline"))),
            MAX_OWN_STATEMENTS,
        )
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
        return project.root / "AGENTS.md", False

    def inherit(self, classification: Classification) -> Classification:
        wanted = project_details(self.engine.knowledge).get(classification.category or "", ())
        if not wanted or not set(wanted).intersection(classification.missing):
            return classification
        return inherit(classification, self.statements(), self.engine.knowledge)


def manifest_statements(stack: Any, knowledge: Any) -> list[Statement]:
    """Project-wide details the project's manifests answer unambiguously (worked out once
    per stack: a stack is a new object only when a manifest changed, and the editor asks
    on every keystroke)."""
    if stack is None or stack.empty:
        return []
    known, found = _MANIFEST_STATEMENTS.get(stack, lambda s: (knowledge, _manifest_statements(s, knowledge)))
    if known is not knowledge:
        found = _manifest_statements(stack, knowledge)
    return list(found)


def _manifest_statements(stack: Any, knowledge: Any) -> tuple[Statement, ...]:
    found = []
    for category, details in project_details(knowledge).items():
        for detail in details:
            technology = stack.answer(category, detail)
            if technology is None:
                continue
            evidence = stack.evidence(technology.id) or ""
            source = evidence.split(":", 1)[0].strip() or "package.json"
            found.append(Statement(category, detail, source, _line_of(stack, source, evidence), technology.name))
    return tuple(found)


def _line_of(stack: Any, source: str, evidence: str) -> int:
    """The line of ``source`` (a manifest) that names the package in ``evidence``."""
    name = evidence.split(":", 1)[1].strip() if ":" in evidence else ""
    root = getattr(stack, "root", None)
    if not name or root is None:
        return 0
    text = read_inside(Path(root) / source, Path(root), 1_000_000) or ""
    index = text.find(name)
    return text.count("\n", 0, index) if index >= 0 else 0


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
