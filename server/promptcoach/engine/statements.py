"""What a project's context states: the project-wide key details that a statement
names (an instruction file's paragraph, a prompt file's context paragraph) or that
the manifests answer.

Which details are project-wide is knowledge data (``scope: project``). A statement
names a detail when the detector finds it there in words as written (the same terms
as in prompts) and the words are not negated ("we do not use Prisma":
``statement_negations`` in ``knowledge/stack.yaml``). What a statement states is
remembered by its text, so an edit re-reads only the paragraphs it changed.
:mod:`promptcoach.engine.context` finds the files and statements that apply to a
document.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.negation import Negations
from promptcoach.engine.safe_files import read_inside
from promptcoach.engine.stack_catalog import load_catalog

if TYPE_CHECKING:
    from promptcoach.engine.extract import PromptSequence

MAX_STATEMENT = 4000  # characters of one statement read for details
# characters of a document read for what it states: an instruction file over 256 KB on
# disk is not read at all (safe_files.MAX_CONTEXT_BYTES), an open one up to here
MAX_CONTEXT_TEXT = 256 * 1024
STATING_KINDS = ("request", "guideline", "context")  # the prompts read for statements: all but questions


class Statement(NamedTuple):
    """A project-wide detail stated in the context."""

    category: str
    detail: str
    path: str  # relative to the root, POSIX separators
    line: int  # 0-based
    text: str  # the words that state it ("PostgreSQL")


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


def stated_by_prompts(
    text: str,
    prompts: PromptSequence,
    path: str,
    knowledge: Any,
    kinds: tuple[str, ...] = STATING_KINDS,
    limit: int | None = None,
) -> list[Statement]:
    """:func:`statements_in` for the prompts of ``kinds`` among ``prompts`` (as
    :func:`~promptcoach.engine.extract.extract` gives them for the document ``text``),
    those that start in its first :data:`MAX_CONTEXT_TEXT` characters (the later ones
    are not read for their kind), the first ``limit`` of them when given."""
    blocks = ((prompt.start, prompt.detail_text) for prompt in prompts.of_kind(kinds, MAX_CONTEXT_TEXT))
    return statements_in(text, islice(blocks, limit), path, knowledge)


def statements_in(text: str, blocks: Iterable[tuple[int, str]], path: str, knowledge: Any) -> list[Statement]:
    """The project-wide details stated by ``blocks`` (``(document offset, text)`` of each
    statement, in document order) of the document ``text`` at ``path``: the first
    statement of each detail (every reader keeps the first one).

    A statement is read only when it holds a term or pattern of a detail not yet found
    (:func:`~promptcoach.engine.detect.evidence_in`, a cheap test: a file that states
    the database in every paragraph has each paragraph after the first passed over),
    and reading stops once every project-wide detail is stated."""
    from promptcoach.engine.detect import evidence_in

    found: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    details = project_details(knowledge)
    wanted = sum(len(ids) for ids in details.values())
    line, counted = 0, 0  # the line of offset `counted`: lines are counted once over the text
    for offset, whole in blocks:
        if len(seen) >= wanted:
            break
        block = whole[:MAX_STATEMENT]
        if evidence_in(block, knowledge, details) <= seen:
            continue  # names no detail left to find
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
