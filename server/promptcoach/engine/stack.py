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

import json
import os
import re
import threading
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property, lru_cache
from pathlib import Path

from promptcoach.engine.yamldata import load_yaml_file

CATALOG_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "stack.yaml"

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
_MAX_BYTES = 1_000_000  # larger manifests are skipped
# For editors' file watchers: a change to one of these may change a stack.
MANIFEST_GLOBS = tuple(f"**/{name}" for name in (*MANIFESTS, "requirements*.txt"))


# --------------------------------------------------------------------------- catalog


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    exclusive: bool  # a project normally has one of this kind
    categories: tuple[str, ...]  # prompt categories in which mentions are checked


@dataclass(frozen=True)
class Technology:
    id: str
    name: str
    kind: str
    answers: tuple[tuple[str, str], ...]  # (category, detail) pairs
    mentions: tuple[str, ...] = ()  # case-insensitive
    exact: tuple[str, ...] = ()  # case-sensitive
    packages: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    providers: tuple[str, ...] = ()  # Prisma datasource providers
    env: tuple[str, ...] = ()  # environment variable name prefixes

    def answers_detail(self, category: str, detail: str) -> bool:
        return (category, detail) in self.answers


@dataclass(frozen=True)
class Mention:
    """``text[start:end]`` names ``technology``."""

    start: int
    end: int
    technology: Technology


class Catalog:
    """The technologies Prompt Coach knows, and how to find them in prompts."""

    def __init__(
        self,
        kinds: dict[str, Kind],
        technologies: tuple[Technology, ...],
        negations: tuple[str, ...] = (),
        assumed_message: str = "{technologies}",
    ) -> None:
        self.kinds = kinds
        self.technologies = technologies
        self.by_id = {tech.id: tech for tech in technologies}
        self.negations = negations
        self.assumed_message = assumed_message

    def packages(self, ecosystem: str, name: str) -> list[Technology]:
        """Technologies declared by package ``name`` of ``ecosystem``."""
        key = _normalize_package(ecosystem, name)
        exact = self._package_index.get((ecosystem, key), [])
        wild = [tech for eco, pattern, tech in self._package_patterns if eco == ecosystem and fnmatchcase(key, pattern)]
        return exact + [tech for tech in wild if tech not in exact]

    def mentions(self, text: str) -> list[Mention]:
        """Every technology named in ``text``, left to right, without overlaps."""
        found: list[Mention] = []
        for regex, lookup in self._mention_regexes:
            for match in regex.finditer(text):
                key = match.group(0) if lookup is self._exact_lookup else match.group(0).lower()
                tech = lookup.get(key)
                if tech is not None:
                    found.append(Mention(match.start(), match.end(), tech))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        return kept

    def negated(self, text: str, start: int) -> bool:
        """Whether the words just before ``start`` negate what follows ("not", "instead of" ...)."""
        before = text[max(0, start - 40) : start].lower()
        words = re.findall(r"[\w']+", before)[-3:]
        window = " ".join(words)
        return any(re.search(rf"(?<![\w']){re.escape(neg)}(?![\w'])", window) for neg in self.negations)

    @cached_property
    def _package_index(self) -> dict[tuple[str, str], list[Technology]]:
        index: dict[tuple[str, str], list[Technology]] = {}
        for tech in self.technologies:
            for ecosystem, names in tech.packages.items():
                for name in names:
                    if "*" not in name:
                        index.setdefault((ecosystem, _normalize_package(ecosystem, name)), []).append(tech)
        return index

    @cached_property
    def _package_patterns(self) -> list[tuple[str, str, Technology]]:
        return [
            (ecosystem, _normalize_package(ecosystem, name), tech)
            for tech in self.technologies
            for ecosystem, names in tech.packages.items()
            for name in names
            if "*" in name
        ]

    @cached_property
    def _insensitive_lookup(self) -> dict[str, Technology]:
        return {m.lower(): tech for tech in self.technologies for m in tech.mentions}

    @cached_property
    def _exact_lookup(self) -> dict[str, Technology]:
        return {m: tech for tech in self.technologies for m in tech.exact}

    @cached_property
    def _mention_regexes(self) -> list[tuple[re.Pattern, dict[str, Technology]]]:
        regexes = []
        for lookup, flags in ((self._insensitive_lookup, re.IGNORECASE), (self._exact_lookup, 0)):
            if lookup:
                words = sorted(lookup, key=len, reverse=True)
                alternation = "|".join(re.escape(word) for word in words)
                regexes.append((re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", flags), lookup))
        return regexes


@lru_cache(maxsize=None)
def load_catalog(path: str | None = None) -> Catalog:
    """The stack catalog (``knowledge/stack.yaml`` unless ``path``), validated."""
    data = load_yaml_file(path or CATALOG_FILE, schema="stack", builtin=path is None)
    kinds = {
        kind_id: Kind(kind_id, spec["title"], spec["exclusive"], tuple(spec["categories"]))
        for kind_id, spec in data["kinds"].items()
    }
    technologies = tuple(
        Technology(
            id=spec["id"],
            name=spec["name"],
            kind=spec["kind"],
            answers=tuple(tuple(pair.split(".", 1)) for pair in spec["answers"]),
            mentions=tuple(spec.get("mentions", ())),
            exact=tuple(spec.get("exact", ())),
            packages={eco: tuple(names) for eco, names in spec.get("packages", {}).items()},
            providers=tuple(spec.get("providers", ())),
            env=tuple(spec.get("env", ())),
        )
        for spec in data["technologies"]
    )
    return Catalog(kinds, technologies, tuple(data.get("negations", ())), data["assumed_message"])


def _normalize_package(ecosystem: str, name: str) -> str:
    name = name.strip()
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem in ("gem", "composer"):
        return name.lower()
    return name


# --------------------------------------------------------------------------- the stack


@dataclass(frozen=True)
class Detected:
    technology: Technology
    evidence: str  # "package.json: @prisma/client"


@dataclass(frozen=True)
class Stack:
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

    def to_json(self) -> dict:
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

_cache: dict[Path, tuple[tuple, Stack]] = {}
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
    stack = _read_stack(root, catalog)
    with _cache_lock:
        _cache[root] = (key, stack)
    return stack


def find_project_root(start: str | Path) -> Path:
    """The project a path belongs to, for a run without ``.promptcoach.yaml``: the nearest
    directory at or above ``start`` that holds a manifest (package.json, pyproject.toml,
    go.mod, requirements*.txt ...), else the nearest holding ``.git``, else ``start``."""
    start = Path(start).resolve()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        if manifest_paths(directory):
            return directory
        if (directory / ".git").exists():
            return directory  # a manifest above the repository belongs to another project
    return start


def manifest_paths(root: Path) -> list[Path]:
    """The manifest files of ``root`` that exist (what :func:`detect_stack` reads)."""
    paths = [root / name for name in MANIFESTS]
    paths.extend(sorted(root.glob("requirements*.txt")))
    return [path for path in paths if path.is_file()]


def is_manifest(path: str | Path, root: str | Path) -> bool:
    """Whether a change to ``path`` can change the stack of ``root`` (for file watchers)."""
    try:
        relative = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return False
    return relative in MANIFESTS or re.fullmatch(r"requirements[^/]*\.txt", relative) is not None


def _fingerprint(root: Path) -> tuple:
    stamps = []
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


class _Collector:
    def __init__(self, root: Path, catalog: Catalog) -> None:
        self.root = root
        self.catalog = catalog
        self.detected: dict[str, Detected] = {}
        self.models: list[str] = []
        self.env_names: list[str] = []
        self.sources: list[str] = []
        self.warnings: list[str] = []

    def add(self, tech: Technology, evidence: str) -> None:
        self.detected.setdefault(tech.id, Detected(tech, evidence))

    def add_packages(self, ecosystem: str, names, source: str) -> None:
        for name in names:
            for tech in self.catalog.packages(ecosystem, name):
                self.add(tech, f"{source}: {name}")

    def read(self, relative: str) -> str | None:
        """The manifest's text: a regular file inside the root only (never a FIFO or a
        device, never through a symbolic link out of the root), at most _MAX_BYTES."""
        from promptcoach.engine.safe_files import read_inside

        path = self.root / relative
        try:
            size = path.lstat().st_size
        except OSError:
            return None
        if size > _MAX_BYTES:
            self.warnings.append(f"{relative}: larger than {_MAX_BYTES} bytes, skipped")
            return None
        text = read_inside(path, self.root, _MAX_BYTES)
        if text is None:
            return None
        self.sources.append(relative)
        return text

    def stack(self) -> Stack:
        return Stack(
            root=self.root,
            detected=tuple(self.detected.values()),
            models=tuple(self.models),
            env_names=tuple(self.env_names),
            sources=tuple(self.sources),
            warnings=tuple(self.warnings),
            kind_order=tuple(self.catalog.kinds),
        )


def _read_stack(root: Path, catalog: Catalog) -> Stack:
    collector = _Collector(root, catalog)
    _read_prisma(collector)  # first: the schema is the strongest evidence
    _read_package_json(collector)
    for path in sorted(root.glob("requirements*.txt")):
        _read_requirements(collector, path.name)
    _read_pyproject(collector)
    _read_go_mod(collector)
    _read_gemfile(collector)
    _read_composer(collector)
    _read_env_example(collector)
    return collector.stack()


def _read_json(collector: _Collector, relative: str) -> dict | None:
    text = collector.read(relative)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        collector.warnings.append(f"{relative}:{error.lineno}: invalid JSON: {error.msg}")
        return None
    except RecursionError:  # nested thousands deep: not a manifest anyone wrote
        collector.warnings.append(f"{relative}: nested too deeply, skipped")
        return None
    return data if isinstance(data, dict) else None


def _dict_keys(data: dict, *sections: str) -> list[str]:
    names: list[str] = []
    for section in sections:
        value = data.get(section)
        if isinstance(value, dict):
            names.extend(str(key) for key in value)
    return names


def _read_package_json(collector: _Collector) -> None:
    data = _read_json(collector, "package.json")
    if data is not None:
        names = _dict_keys(data, "dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
        collector.add_packages("npm", names, "package.json")


def _read_composer(collector: _Collector) -> None:
    data = _read_json(collector, "composer.json")
    if data is not None:
        collector.add_packages("composer", _dict_keys(data, "require", "require-dev"), "composer.json")


_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirement_names(lines) -> list[str]:
    """Package names of PEP 508 requirement strings (options, URLs and comments skipped)."""
    names = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = _REQUIREMENT_NAME.match(line)
        if match:
            names.append(match.group(1))
    return names


def _read_requirements(collector: _Collector, relative: str) -> None:
    text = collector.read(relative)
    if text is not None:
        collector.add_packages("pypi", _requirement_names(text.splitlines()), relative)


def _read_pyproject(collector: _Collector) -> None:
    text = collector.read("pyproject.toml")
    if text is None:
        return
    names = _pyproject_dependencies(text)
    if names is None:
        collector.warnings.append("pyproject.toml: invalid TOML")
        return
    collector.add_packages("pypi", names, "pyproject.toml")


def _pyproject_dependencies(text: str) -> list[str] | None:
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        return _requirement_names(re.findall(r"""^\s*["']([A-Za-z0-9][^"']*)["']\s*,?\s*$""", text, re.MULTILINE))
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):  # broken, or nested thousands deep
        return None
    # any value may have any type in a hand-written file: keep only the expected shapes
    project = _table(data, "project")
    requirements = _array(project, "dependencies")
    for group in _table(project, "optional-dependencies").values():
        requirements.extend(group if isinstance(group, list) else [])
    for group in _table(data, "dependency-groups").values():
        requirements.extend(group if isinstance(group, list) else [])
    names = _requirement_names(item for item in requirements if isinstance(item, str))
    poetry = _table(_table(data, "tool"), "poetry")
    names.extend(_dict_keys(poetry, "dependencies", "dev-dependencies"))
    for group in _table(poetry, "group").values():
        if isinstance(group, dict):
            names.extend(_dict_keys(group, "dependencies"))
    return [name for name in names if name.lower() != "python"]


def _table(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _array(data: dict, key: str) -> list:
    value = data.get(key)
    return list(value) if isinstance(value, list) else []


_GO_REQUIRE_BLOCK = re.compile(r"^require\s*\((.*?)^\)", re.MULTILINE | re.DOTALL)
_GO_REQUIRE_LINE = re.compile(r"^require\s+(\S+)\s+\S+(.*)$", re.MULTILINE)


def _read_go_mod(collector: _Collector) -> None:
    text = collector.read("go.mod")
    if text is None:
        return
    lines = [m.group(1) + " v " + m.group(2) for m in _GO_REQUIRE_LINE.finditer(text)]
    for block in _GO_REQUIRE_BLOCK.finditer(text):
        lines.extend(block.group(1).splitlines())
    modules = []
    for line in lines:
        if "// indirect" in line:
            continue
        parts = line.split()
        if parts and not parts[0].startswith("//"):
            modules.append(parts[0])
    collector.add_packages("go", modules, "go.mod")


_GEM = re.compile(r"""^\s*gem\s+["']([^"']+)["']""", re.MULTILINE)


def _read_gemfile(collector: _Collector) -> None:
    text = collector.read("Gemfile")
    if text is not None:
        collector.add_packages("gem", _GEM.findall(text), "Gemfile")


_PRISMA_MODEL = re.compile(r"^\s*model\s+([A-Za-z_]\w*)\s*\{", re.MULTILINE)
_PRISMA_DATASOURCE = re.compile(r"^\s*datasource\s+\w+\s*\{(.*?)^\s*\}", re.MULTILINE | re.DOTALL)
_PRISMA_PROVIDER = re.compile(r"""^\s*provider\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def _read_prisma(collector: _Collector) -> None:
    relative = "prisma/schema.prisma"
    text = collector.read(relative)
    if text is None:
        return
    text = re.sub(r"//[^\n]*", "", text)
    prisma = collector.catalog.by_id.get("prisma")
    if prisma is not None:
        collector.add(prisma, relative)
    collector.models.extend(dict.fromkeys(_PRISMA_MODEL.findall(text)))
    for block in _PRISMA_DATASOURCE.finditer(text):
        provider = _PRISMA_PROVIDER.search(block.group(1))
        if provider is None:
            continue
        for tech in collector.catalog.technologies:
            if provider.group(1) in tech.providers:
                collector.add(tech, f'{relative}: provider = "{provider.group(1)}"')


_ENV_NAME = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def _read_env_example(collector: _Collector) -> None:
    relative = ".env.example"
    text = collector.read(relative)
    if text is None:
        return
    names = []
    for line in text.splitlines():
        match = _ENV_NAME.match(line)  # only the name is kept, never the value
        if match:
            names.append(match.group(1))
    collector.env_names.extend(dict.fromkeys(names))
    for name in collector.env_names:
        for tech in collector.catalog.technologies:
            if any(name.startswith(prefix) for prefix in tech.env):
                collector.add(tech, f"{relative}: {name}")


# --------------------------------------------------------------------------- contradictions


@dataclass(frozen=True)
class Contradiction:
    """``text[start:end]`` names ``named``, but the project uses ``project`` for that kind."""

    start: int
    end: int
    named: Technology
    kind: Kind
    project: tuple[Technology, ...]


def contradictions(text: str, category: str | None, stack: Stack, catalog: Catalog | None = None) -> list[Contradiction]:
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


def assume_from_stack(findings: list, stack: Stack) -> None:
    """``assumeStack``: on each missing-detail finding, note the missing details the
    stack answers unambiguously (``data["assumed"]``: detail -> technology); when
    the stack answers every missing detail, the finding becomes a hint."""
    if stack.empty:
        return
    for finding in findings:
        if finding.rule != "missing-detail":
            continue
        category = finding.data.get("category")
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
