"""Reading a project's manifest files: package.json, requirements*.txt,
pyproject.toml, go.mod, Gemfile, composer.json, prisma/schema.prisma and
.env.example (only variable *names*; values are never stored). Each is read only as
a regular file inside the root, through no symbolic link out of it, and at most
``MAX_BYTES``; one that cannot be parsed becomes a warning, never an error."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from promptcoach.engine import regexcache
from promptcoach.engine.stack_catalog import Catalog, Detected, Technology

MAX_BYTES = 1_000_000  # larger manifests are skipped


class Manifests:
    """What the manifests at a root say: technologies with their evidence, Prisma
    models, .env.example variable names, the files read and the ones skipped."""

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

    def add_packages(self, ecosystem: str, names: Iterable[str], source: str) -> None:
        for name in names:
            for tech in self.catalog.packages(ecosystem, name):
                self.add(tech, f"{source}: {name}")

    def read(self, relative: str) -> str | None:
        """The manifest's text: a regular file inside the root only (never a FIFO or a
        device, never through a symbolic link out of the root), at most MAX_BYTES."""
        from promptcoach.engine.safe_files import read_inside

        path = self.root / relative
        try:
            size = path.lstat().st_size
        except OSError:
            return None
        if size > MAX_BYTES:
            self.warnings.append(f"{relative}: larger than {MAX_BYTES} bytes, skipped")
            return None
        text = read_inside(path, self.root, MAX_BYTES)
        if text is None:
            return None
        self.sources.append(relative)
        return text


def read_manifests(root: Path, catalog: Catalog) -> Manifests:
    """The manifests of the project at ``root``, mapped to technologies by ``catalog``."""
    collector = Manifests(root, catalog)
    _read_prisma(collector)  # first: the schema is the strongest evidence
    _read_package_json(collector)
    for path in sorted(root.glob("requirements*.txt")):
        _read_requirements(collector, path.name)
    _read_pyproject(collector)
    _read_go_mod(collector)
    _read_gemfile(collector)
    _read_composer(collector)
    _read_env_example(collector)
    return collector


def _read_json(collector: Manifests, relative: str) -> dict[str, Any] | None:
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


def _dict_keys(data: dict[str, Any], *sections: str) -> list[str]:
    names: list[str] = []
    for section in sections:
        value = data.get(section)
        if isinstance(value, dict):
            names.extend(str(key) for key in value)
    return names


def _read_package_json(collector: Manifests) -> None:
    data = _read_json(collector, "package.json")
    if data is not None:
        names = _dict_keys(data, "dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
        collector.add_packages("npm", names, "package.json")


def _read_composer(collector: Manifests) -> None:
    data = _read_json(collector, "composer.json")
    if data is not None:
        collector.add_packages("composer", _dict_keys(data, "require", "require-dev"), "composer.json")


_REQUIREMENT_NAME = regexcache.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirement_names(lines: Iterable[str]) -> list[str]:
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


def _read_requirements(collector: Manifests, relative: str) -> None:
    text = collector.read(relative)
    if text is not None:
        collector.add_packages("pypi", _requirement_names(text.splitlines()), relative)


def _read_pyproject(collector: Manifests) -> None:
    text = collector.read("pyproject.toml")
    if text is None:
        return
    names = _pyproject_dependencies(text)
    if names is None:
        collector.warnings.append("pyproject.toml: invalid TOML")
        return
    collector.add_packages("pypi", names, "pyproject.toml")


def _pyproject_dependencies(text: str) -> list[str] | None:
    """The dependency names of a pyproject.toml (None: not valid TOML), kept in the
    user's cache under the digest of the text: a project's pyproject.toml seldom
    changes, and Python's TOML parser costs a one-file check a tenth of its time to
    import. An entry holds only what parsing this very text gives (a list of names)."""
    from promptcoach.engine import datacache

    key = datacache.digest("pyproject-dependencies", text)
    kept = datacache.load(key)
    if kept is None or isinstance(kept, list) and all(isinstance(name, str) for name in kept):
        return kept
    names = _parse_pyproject(text)
    datacache.store(key, names)
    return names


def _parse_pyproject(text: str) -> list[str] | None:
    try:
        import tomllib  # type: ignore[import-not-found]  # Python 3.11+ (mypy reads as 3.10)
    except ImportError:  # pragma: no cover - no TOML parser in Python 3.10: the quoted requirement strings
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


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _array(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return list(value) if isinstance(value, list) else []


_GO_REQUIRE_BLOCK = regexcache.compile(r"^require\s*\((.*?)^\)", re.MULTILINE | re.DOTALL)
_GO_REQUIRE_LINE = regexcache.compile(r"^require\s+(\S+)\s+\S+(.*)$", re.MULTILINE)


def _read_go_mod(collector: Manifests) -> None:
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


_GEM = regexcache.compile(r"""^\s*gem\s+["']([^"']+)["']""", re.MULTILINE)


def _read_gemfile(collector: Manifests) -> None:
    text = collector.read("Gemfile")
    if text is not None:
        collector.add_packages("gem", _GEM.findall(text), "Gemfile")


_PRISMA_MODEL = regexcache.compile(r"^\s*model\s+([A-Za-z_]\w*)\s*\{", re.MULTILINE)
_PRISMA_DATASOURCE = regexcache.compile(r"^\s*datasource\s+\w+\s*\{(.*?)^\s*\}", re.MULTILINE | re.DOTALL)
_PRISMA_PROVIDER = regexcache.compile(r"""^\s*provider\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def _read_prisma(collector: Manifests) -> None:
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


_ENV_NAME = regexcache.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def _read_env_example(collector: Manifests) -> None:
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
