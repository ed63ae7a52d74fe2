"""The stack catalog (``knowledge/stack.yaml``): the kinds of technology, each
technology's names, packages, Prisma providers and environment prefixes, and which
key details it answers. Data, not code; :func:`load_catalog` reads and checks it."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from promptcoach.engine.negation import NO_NEGATIONS, Negations
from promptcoach.engine.record import Record
from promptcoach.engine.yamldata import load_yaml_file

CATALOG_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "stack.yaml"


class Kind(NamedTuple):
    id: str
    title: str
    exclusive: bool  # a project normally has one of this kind
    categories: tuple[str, ...]  # prompt categories in which mentions are checked


class Technology(Record):
    """A technology of the catalog (immutable by convention); hashable, its packages
    are neither compared nor hashed."""

    __slots__ = ("id", "name", "kind", "answers", "mentions", "exact", "packages", "providers", "env")
    _fields = ("id", "name", "kind", "answers", "mentions", "exact", "providers", "env")

    def __init__(
        self,
        id: str,
        name: str,
        kind: str,
        answers: tuple[tuple[str, str], ...],  # (category, detail) pairs
        mentions: tuple[str, ...] = (),  # case-insensitive
        exact: tuple[str, ...] = (),  # case-sensitive
        packages: dict[str, tuple[str, ...]] | None = None,  # ecosystem -> package names
        providers: tuple[str, ...] = (),  # Prisma datasource providers
        env: tuple[str, ...] = (),  # environment variable name prefixes
    ) -> None:
        self.id = id
        self.name = name
        self.kind = kind
        self.answers = answers
        self.mentions = mentions
        self.exact = exact
        self.packages: dict[str, tuple[str, ...]] = {} if packages is None else packages
        self.providers = providers
        self.env = env

    def __hash__(self) -> int:
        return hash(self._values())

    def answers_detail(self, category: str, detail: str) -> bool:
        return (category, detail) in self.answers


class Mention(NamedTuple):
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
        negations: Negations = NO_NEGATIONS,
        assumed_message: str = "{technologies}",
        statement_negations: Negations = NO_NEGATIONS,
    ) -> None:
        self.kinds = kinds
        self.technologies = technologies
        self.by_id = {tech.id: tech for tech in technologies}
        self.negations = negations  # before a technology's name in a prompt
        self.statement_negations = statement_negations  # earlier in a statement of the project's context
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
        return self.negations.in_words_before(text, start, 3)

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
    def _mention_regexes(self) -> list[tuple[re.Pattern[str], dict[str, Technology]]]:
        regexes = []
        for lookup, flags in ((self._insensitive_lookup, re.IGNORECASE), (self._exact_lookup, 0)):
            if lookup:
                words = sorted(lookup, key=len, reverse=True)
                alternation = "|".join(re.escape(word) for word in words)
                regexes.append((re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", flags), lookup))
        return regexes


@cache
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
    return Catalog(
        kinds,
        technologies,
        Negations(data.get("negations", ())),
        data["assumed_message"],
        Negations(data.get("statement_negations", ())),
    )


def _normalize_package(ecosystem: str, name: str) -> str:
    name = name.strip()
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem in ("gem", "composer"):
        return name.lower()
    return name


class Detected(NamedTuple):
    technology: Technology
    evidence: str  # "package.json: @prisma/client"
