"""The project's stack, learned from its manifest files.

:func:`detect_stack` reads package.json, requirements*.txt, pyproject.toml,
go.mod, Gemfile, composer.json, prisma/schema.prisma and .env.example at a
workspace root and maps the packages it finds to technologies with the catalog
in ``knowledge/stack.yaml`` (data, not code). Of .env.example only variable
*names* are kept; values are never stored.

Results are cached per root and refreshed when any of those files changes
(checked by size and mtime on every call, which costs a handful of ``stat``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from promptcoach.engine.manifests import Manifests, read_manifests
from promptcoach.engine.safe_files import holds_home
from promptcoach.engine.stack_catalog import Catalog, Detected, Kind, Technology, load_catalog

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.model import Finding

_Fingerprint = tuple[tuple[str, tuple[int, int] | None], ...]  # (file name, its stamp)

# Files read at the root, besides requirements*.txt.
MANIFESTS = (
    "package.json",
    "pyproject.toml",
    "go.mod",
    "Gemfile",
    "composer.json",
    "prisma/schema.prisma",
    ".env.example",
)
# For editors' file watchers: a change to one of these may change a stack.
MANIFEST_GLOBS = tuple(f"**/{name}" for name in (*MANIFESTS, "requirements*.txt"))
_MANIFEST_NAMES = frozenset(Path(glob).name for glob in MANIFEST_GLOBS)


# --------------------------------------------------------------------------- the stack


class Stack(NamedTuple):
    """What a workspace is built with. An empty :class:`Stack` knows nothing."""

    root: Path | None = None
    detected: tuple[Detected, ...] = ()
    models: tuple[str, ...] = ()  # Prisma model names, in schema order
    env_names: tuple[str, ...] = ()  # variable names from .env.example (never values)
    sources: tuple[str, ...] = ()  # manifest files read, relative to root
    warnings: tuple[str, ...] = ()  # manifests that could not be read ("file: why")
    kind_order: tuple[str, ...] = ()  # catalog kinds, most specific first

    @property
    def empty(self) -> bool:
        return not self.detected and not self.models

    @property
    def technologies(self) -> tuple[Technology, ...]:
        return tuple(d.technology for d in self.detected)

    def has(self, technology_id: str) -> bool:
        return any(d.technology.id == technology_id for d in self.detected)

    def of_kind(self, kind: str) -> tuple[Technology, ...]:
        return tuple(d.technology for d in self.detected if d.technology.kind == kind)

    def evidence(self, technology_id: str) -> str | None:
        return next((d.evidence for d in self.detected if d.technology.id == technology_id), None)

    def for_detail(self, category: str, detail: str) -> tuple[Technology, ...]:
        """The project's technologies that answer ``category.detail``, most specific kind first."""
        techs = [d.technology for d in self.detected if d.technology.answers_detail(category, detail)]
        order = {kind: index for index, kind in enumerate(self.kind_order)}
        return tuple(sorted(techs, key=lambda tech: order.get(tech.kind, len(order))))

    def names_for(self, category: str, detail: str) -> tuple[str, ...]:
        """Display names to offer first for ``category.detail`` (completion, expand)."""
        return tuple(tech.name for tech in self.for_detail(category, detail))

    def answer(self, category: str, detail: str) -> Technology | None:
        """The one technology that answers ``category.detail``, or None if none or ambiguous.

        Kinds are tried most specific first: for a schema, a single ORM answers
        even when a database is also known; two ORMs answer nothing.
        """
        techs = self.for_detail(category, detail)
        if not techs:
            return None
        first_kind = [tech for tech in techs if tech.kind == techs[0].kind]
        return first_kind[0] if len(first_kind) == 1 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root) if self.root else None,
            "technologies": [
                {"id": d.technology.id, "name": d.technology.name, "kind": d.technology.kind, "evidence": d.evidence}
                for d in self.detected
            ],
            "models": list(self.models),
            "env": list(self.env_names),
            "sources": list(self.sources),
            "warnings": list(self.warnings),
        }


EMPTY_STACK = Stack()


# --------------------------------------------------------------------------- detection

_cache: dict[Path, tuple[tuple[_Fingerprint, int], Stack]] = {}  # (fingerprint, id(catalog)), stack
_cache_lock = threading.Lock()


def detect_stack(root: str | Path | None, catalog: Catalog | None = None) -> Stack:
    """The stack of the workspace at ``root`` (cached; refreshed when a manifest changes)."""
    if root is None:
        return EMPTY_STACK
    root = Path(root).resolve()
    if not root.is_dir():
        return EMPTY_STACK
    catalog = catalog or load_catalog()
    key = (_fingerprint(root), id(catalog))
    with _cache_lock:
        cached = _cache.get(root)
    if cached is not None and cached[0] == key:
        return cached[1]
    stack = _stack_of(read_manifests(root, catalog), catalog)
    with _cache_lock:
        _cache[root] = (key, stack)
    return stack


def _stack_of(manifests: Manifests, catalog: Catalog) -> Stack:
    return Stack(
        root=manifests.root,
        detected=tuple(manifests.detected.values()),
        models=tuple(manifests.models),
        env_names=tuple(manifests.env_names),
        sources=tuple(manifests.sources),
        warnings=tuple(manifests.warnings),
        kind_order=tuple(catalog.kinds),
    )


def find_project_root(start: str | Path) -> Path:
    """The project a path belongs to, for a run without ``.promptcoach.yaml``: the nearest
    directory at or above ``start`` that holds a manifest (package.json, pyproject.toml,
    go.mod, requirements*.txt ...), else the nearest holding ``.git``, else ``start``. A
    ``.git`` in the home directory or above it does not count (a dotfiles repository is
    not the project of what lies under it)."""
    start = Path(start).resolve()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        if manifest_paths(directory):
            return directory
        if (directory / ".git").exists():
            # a manifest above the repository belongs to another project
            return start if holds_home(directory) else directory
    return start


def manifest_paths(root: Path) -> list[Path]:
    """The manifest files of ``root`` that exist (what :func:`detect_stack` reads)."""
    paths = [root / name for name in MANIFESTS]
    paths.extend(sorted(root.glob("requirements*.txt")))
    return [path for path in paths if path.is_file()]


def is_manifest(path: str) -> bool:
    """Whether a change to ``path`` may change some project's stack, wherever that
    project's root is (for file watchers): its name is a manifest's (``schema.prisma``
    for ``prisma/schema.prisma``, ``requirements*.txt``)."""
    name = Path(path).name
    return name in _MANIFEST_NAMES or (name.startswith("requirements") and name.endswith(".txt"))


def _fingerprint(root: Path) -> _Fingerprint:
    stamps: list[tuple[str, tuple[int, int] | None]] = []
    for name in MANIFESTS:
        stamps.append((name, file_stamp(root / name)))
    try:
        with os.scandir(root) as entries:
            names = sorted(e.name for e in entries if e.name.startswith("requirements") and e.name.endswith(".txt"))
    except OSError:
        names = []
    stamps.extend((name, file_stamp(root / name)) for name in names)
    return tuple(stamps)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime, size) of a file, None when it does not exist: a cheap change check."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


# --------------------------------------------------------------------------- contradictions


class Contradiction(NamedTuple):
    """``text[start:end]`` names ``named``, but the project uses ``project`` for that kind."""

    start: int
    end: int
    named: Technology
    kind: Kind
    project: tuple[Technology, ...]


def contradictions(
    text: str, category: str | None, stack: Stack, catalog: Catalog | None = None
) -> list[Contradiction]:
    """Technologies named in prompt ``text`` that contradict ``stack``.

    Only kinds marked exclusive are checked, only in the categories the catalog
    lists for them, and a kind is skipped when the prompt also names the
    project's own technology of that kind (a migration, a comparison) or the
    name follows a negation ("not Mongoose").
    """
    if category is None or stack.empty:
        return []
    catalog = catalog or load_catalog()
    mentions = catalog.mentions(text)
    named_ids = {m.technology.id for m in mentions}
    found = []
    for mention in mentions:
        tech = mention.technology
        kind = catalog.kinds.get(tech.kind)
        if kind is None or not kind.exclusive or category not in kind.categories or stack.has(tech.id):
            continue
        project = stack.of_kind(tech.kind)
        if not project or any(p.id in named_ids for p in project) or catalog.negated(text, mention.start):
            continue
        found.append(Contradiction(mention.start, mention.end, tech, kind, project))
    return found


# --------------------------------------------------------------------------- assumeStack


def assume_from_stack(findings: list[Finding], stack: Stack) -> None:
    """``assumeStack``: on each missing-detail finding, note the missing details the
    stack answers unambiguously (``data["assumed"]``: detail -> technology); when
    the stack answers every missing detail, the finding becomes a hint."""
    if stack.empty:
        return
    for finding in findings:
        if finding.rule != "missing-detail":
            continue
        category: str = finding.data["category"]  # every missing-detail finding has one
        missing = finding.data.get("missing") or []
        assumed = {}
        for detail in missing:
            tech = stack.answer(category, detail)
            if tech is not None:
                assumed[detail] = tech.name
        if not assumed:
            continue
        finding.data["assumed"] = assumed
        if len(assumed) == len(missing):
            finding.severity = "hint"
            names = ", ".join(assumed.values())
            finding.message = f"{finding.message} {load_catalog().assumed_message.format(technologies=names)}"
