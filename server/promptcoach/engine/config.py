"""The project configuration file, ``.promptcoach.yaml``.

:func:`find_config` looks for it in a directory and its ancestors;
:func:`load_config` reads it (and the files it ``extends``), validates it with
``schemas/config.schema.json`` and returns a :class:`ProjectConfig`. Every
problem is a :class:`~promptcoach.engine.yamldata.DataError` whose text is
``file:line: what is wrong``, so the CLI can print it and the language server
can put a diagnostic on that line.

Editor settings (LSP ``initializationOptions`` / ``workspace/configuration``)
use the same keys; :func:`settings_from_mapping` reads them without ever
raising: a value of the wrong type is reported and replaced by its default.

Knowledge in the file (``knowledge:``) and in extended packs is validated like
the built-in knowledge base, including its bounds on regular expressions.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptcoach.engine.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.knowledge import KnowledgeBase
    from promptcoach.engine.knowledge.loader import KnowledgePack
    from promptcoach.engine.stack import Stack
from promptcoach.engine.yamldata import (
    DataError,
    _describe,
    _line,
    _node_at,
    load_yaml,
    read_data_text,
    schema_validator,
)

CONFIG_FILE = ".promptcoach.yaml"
# Longest chain of files extending one another (a shared team file extending a pack is 2).
MAX_EXTENDS_DEPTH = 32
SECTION = "promptcoach"  # the editor settings section

# Keys of .promptcoach.yaml (and editor settings) -> Settings fields.
SETTING_KEYS = {
    "include": "include",
    "exclude": "exclude",
    "instructions": "instructions",
    "markers": "markers",
    "rules": "severities",
    "threshold": "threshold",
    "assumeStack": "assume_stack",
    "maxFileSize": "max_file_size",
    "maxProblems": "max_problems",
}
CONFIG_KEYS = (*SETTING_KEYS, "extends", "knowledge")
# Top-level keys that make an extended file a knowledge pack rather than a configuration.
_PACK_KEYS = ("categories", "common_words", "id")
# Editor settings may also spell these differently.
_EDITOR_ALIASES = {"severities": "rules", "assume_stack": "assumeStack"}


@dataclass(frozen=True)
class ProjectConfig:
    path: Path  # the configuration file
    root: Path  # the directory holding it: include/exclude globs and the stack are relative to it
    settings: Settings  # the defaults with the file's values applied
    overrides: dict[str, Any] = field(default_factory=dict)  # Settings fields the file(s) set explicitly
    packs: tuple[KnowledgePack, ...] = ()  # in merge order: extended files first
    files: tuple[Path, ...] = ()  # this file and every file it extends (watch them all)
    knowledge_base: KnowledgeBase | None = field(default=None, compare=False, repr=False)  # None: the built-in one

    def apply_to(self, settings: Settings) -> Settings:
        """``settings`` (e.g. the editor's) with this file's explicit values on top, their
        globs relative to this file's directory."""
        return replace(merge_settings(settings, self.overrides), glob_base=str(self.root))

    def knowledge(self, settings: Settings | None = None) -> KnowledgeBase:
        """The knowledge base: the built-in one extended with this project's packs."""
        if self.knowledge_base is not None:
            return self.knowledge_base
        from promptcoach.engine.knowledge import load_knowledge

        return load_knowledge(settings or self.settings)

    def stack(self) -> Stack:
        """The project's stack (see :mod:`promptcoach.engine.stack`), fresh when a manifest changed."""
        from promptcoach.engine.stack import detect_stack

        return detect_stack(self.root)


# --------------------------------------------------------------------------- discovery


def find_config(start: str | Path, stop: str | Path | None = None) -> Path | None:
    """The nearest ``.promptcoach.yaml`` in ``start`` (a file's directory or a directory)
    or its ancestors, not looking above ``stop`` when given."""
    start = Path(start).resolve()
    directory = start if start.is_dir() else start.parent
    stop_dir = Path(stop).resolve() if stop is not None else None
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / CONFIG_FILE
        if candidate.is_file():
            return candidate
        if stop_dir is not None and candidate_dir == stop_dir:
            break
    return None


# --------------------------------------------------------------------------- loading


@dataclass
class _Layer:
    overrides: dict[str, Any]
    packs: list[KnowledgePack]


def load_config(path: str | Path) -> ProjectConfig:
    """Read and validate a configuration file and everything it extends.

    Raises :class:`DataError` (``file:line: message``) for unreadable files,
    invalid YAML, schema violations, unknown rule ids, invalid knowledge,
    missing extended files and ``extends`` cycles.
    """
    return _load(Path(path), _Loader())


def _load(path: Path, loader: _Loader) -> ProjectConfig:
    layers = loader.read(path.resolve(), str(path), chain=(), referrer=None)
    overrides: dict[str, Any] = {}
    packs: list[KnowledgePack] = []
    for layer in layers:
        overrides = _merge_overrides(overrides, layer.overrides)
        packs.extend(layer.packs)
    return ProjectConfig(
        path=path,
        root=path.resolve().parent,
        settings=merge_settings(Settings(glob_base=str(path.resolve().parent)), overrides),
        overrides=overrides,
        packs=tuple(packs),
        files=tuple(loader.files),
        knowledge_base=build_knowledge(tuple(packs)) if packs else None,
    )


USER_CONFIG_NAME = "~/.config/promptcoach"


def allowed_bases(config: Path) -> list[Path]:
    """Where a configuration may extend files from: its repository (the nearest parent
    holding ``.git``, else its own directory) and the user's own configuration directory."""
    directory = config.parent
    project = next((parent for parent in (directory, *directory.parents) if (parent / ".git").exists()), directory)
    return [project, user_config_dir()]


def user_config_dir() -> Path:
    """The user's own Prompt Coach configuration directory (``$XDG_CONFIG_HOME/promptcoach``,
    else ``~/.config/promptcoach``): shared packs and configurations may live there."""
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(home, "promptcoach").resolve()


def _inside(path: Path, base: Path) -> bool:
    try:
        path.relative_to(base)
    except ValueError:
        return False
    return True


class _Loader:
    bases: list[Path] = []

    def __init__(self) -> None:
        self.files: list[Path] = []  # read, in order
        self.attempted: list[Path] = []  # read or tried (a missing extended file)

    def read(
        self, path: Path, shown: str, chain: tuple[tuple[Path, str], ...], referrer: tuple[str, int | None] | None
    ) -> list[_Layer]:
        if path in self.files:  # extended twice (a diamond), not a cycle: its layers are already in
            return []
        if not chain:
            self.bases = allowed_bases(path)
        self.attempted.append(path)
        text = _read_text(path, shown, referrer)
        self.files.append(path)
        from promptcoach.engine import config_nodes as nodes  # PyYAML only when a file is read

        node = nodes.compose(text, shown)
        if nodes.is_pack(node):
            return [_Layer({}, [_load_pack(text, shown, path)])]
        nodes.check_top_level_keys(node, shown)
        nodes.check_rules(_node_at(node, ["rules"]) if nodes.has_key(node, "rules") else None, shown)
        nodes.check_markers(_node_at(node, ["markers"]) if nodes.has_key(node, "markers") else None, shown)
        data = load_yaml(text, shown, schema="config") or {}
        for key in ("include", "exclude", "instructions"):
            if nodes.has_key(node, key):
                globs = _node_at(node, [key])
                assert globs is not None  # the key is there
                nodes.check_globs(globs, key, shown)
        layers: list[_Layer] = []
        for index, entry in enumerate(_as_list(data.get("extends"))):
            line = _line(_node_at(node, ["extends", index] if isinstance(data["extends"], list) else ["extends"]))
            layers.extend(self._extend(path, shown, entry, line, chain + ((path, shown),)))
        own_packs = []
        if data.get("knowledge"):
            knowledge_node = _node_at(node, ["knowledge"])
            assert knowledge_node is not None  # the data has the key, so the node tree has it
            own_packs.append(_load_pack(nodes.isolate(text, knowledge_node), shown))
        layers.append(_Layer(_overrides_from_data(data), own_packs))
        return layers

    def _extend(
        self, path: Path, shown: str, entry: str, line: int | None, chain: tuple[tuple[Path, str], ...]
    ) -> list[_Layer]:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", entry):
            raise DataError(
                shown, line, f"extends: {entry!r} is not a local file; only local YAML files can be extended"
            )
        target = (path.parent / entry).resolve()
        target_shown = os.path.normpath(os.path.join(os.path.dirname(shown), entry))
        if entry.startswith(("//", "\\\\")) or not any(_inside(target, base) for base in self.bases):
            # never read (nor say whether it exists): a repository's file must not reach
            # /etc/shadow, another user's home or a network share
            raise DataError(
                shown,
                line,
                f"extends: {entry!r} is outside the project; only files inside it "
                f"(or in {USER_CONFIG_NAME}) can be extended",
            )
        paths = [p for p, _ in chain]
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise DataError(shown, line, f"extends: more than {MAX_EXTENDS_DEPTH} files extend one another in a chain")
        if target in paths:
            names = [name for _, name in chain[paths.index(target) :]]
            raise DataError(shown, line, "extends cycle: " + " -> ".join([*names, target_shown]))
        return self.read(target, target_shown, chain, (shown, line))


def _read_text(path: Path, shown: str, referrer: tuple[str, int | None] | None) -> str:
    try:
        return read_data_text(path, shown)
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
        if referrer is not None:
            file, line = referrer
            raise DataError(file, line, f"extends: cannot read {shown}: {reason}") from None
        raise DataError(shown, None, f"cannot read: {reason}") from None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------- knowledge packs


def _load_pack(text: str, shown: str, path: Path | None = None) -> KnowledgePack:
    """A knowledge pack validated like the built-in knowledge (schema, pattern bounds):
    the file at ``path``, or ``text`` (the config file's ``knowledge:`` section, with
    the same line numbers) when ``path`` is None. Errors name ``shown``."""
    from promptcoach.engine.knowledge import loader

    if path is not None:
        return replace(_renamed_errors(loader.load_pack, path, shown), source=shown)
    prefix = "knowledge: "
    load_text = getattr(loader, "load_pack_text", None)
    if load_text is not None:
        return _renamed_errors(lambda _: load_text(text, shown), None, shown, prefix)
    # The loader reads packs from files only: give it the section as a file of its own.
    with tempfile.TemporaryDirectory(prefix="promptcoach-") as directory:
        section = Path(directory) / "knowledge.yaml"
        section.write_text(text, encoding="utf-8")
        return replace(_renamed_errors(loader.load_pack, section, shown, prefix), source=shown)


def _renamed_errors(
    load: Callable[[Any], KnowledgePack], path: Path | None, shown: str, prefix: str = ""
) -> KnowledgePack:
    try:
        return load(path)
    except DataError as error:
        raise DataError(shown, error.line, prefix + error.message) from None


def build_knowledge(packs: tuple[KnowledgePack, ...]) -> KnowledgeBase:
    """The built-in knowledge base with ``packs`` merged in order; merge problems
    (a new category without its title ...) raise :class:`DataError`."""
    from promptcoach.engine.knowledge import builtin_knowledge

    return builtin_knowledge().extended(packs)


# --------------------------------------------------------------------------- settings


def _overrides_from_data(data: dict[str, Any]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for key, name in SETTING_KEYS.items():
        value = data.get(key)
        if value is None:
            continue
        if name in ("include", "exclude", "instructions", "markers"):
            value = tuple(value)
        elif name == "threshold":
            value = float(value)
        elif name == "severities":
            value = {rule: _severity(level) for rule, level in value.items() if level is not True}
        overrides[name] = value
    return overrides


def _severity(level: str | bool) -> str:
    return "off" if level is False else str(level)


def _merge_overrides(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **top}
    if "severities" in base and "severities" in top:
        merged["severities"] = {**base["severities"], **top["severities"]}
    return merged


def merge_settings(settings: Settings, overrides: dict[str, Any]) -> Settings:
    """``settings`` with ``overrides`` (Settings field -> value) applied; rule
    severities are merged rule by rule, other values replaced."""
    if not overrides:
        return settings
    values = dict(overrides)
    if "severities" in values:
        values["severities"] = {**settings.severities, **values["severities"]}
    return replace(settings, **values)


def overrides_from_mapping(raw: Any, section: str = SECTION) -> tuple[dict[str, Any], list[str]]:
    """Settings fields set by editor settings ``raw`` (a JSON object), and warnings for
    values that are not valid; never raises. Each value is checked against the
    configuration schema, as in ``.promptcoach.yaml``, and globs must compile. Unknown
    keys are ignored (they may belong to the editor client). Settings that passed before
    are known by their digest (:mod:`promptcoach.engine.datacache`), so an editor that
    starts with the same settings as last time compiles no schema validator."""
    if isinstance(raw, dict) and section in raw:
        raw = raw[section]
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{section} settings: expected an object, got {_type_name(raw)}; using the defaults"]
    settings: dict[str, Any] = raw
    given = {
        _EDITOR_ALIASES.get(key, key): (key, value)
        for key, value in settings.items()
        if _EDITOR_ALIASES.get(key, key) in SETTING_KEYS and value is not None
    }
    known = _known_valid({name: value for name, (_, value) in given.items()})
    if known is True:
        return _overrides_from_data({name: value for name, (_, value) in given.items()}), []
    valid: dict[str, Any] = {}
    warnings: list[str] = []
    for name, (key, value) in given.items():
        if name == "rules" and isinstance(value, dict):
            valid["rules"] = _valid_rules(value, f"{section}.{key}", warnings)
            continue
        error = _setting_error(name, value)
        if error:
            warnings.append(f"{section}.{key}: {error}, got {value!r}; using the default")
        else:
            valid[name] = value
    if not warnings:
        _remember_valid(known)
    return _overrides_from_data(valid), warnings


def _known_valid(values: dict[str, Any]) -> Any:
    """True when these settings passed before, else the key to remember them by."""
    import json

    from promptcoach.engine import datacache
    from promptcoach.engine.yamldata import _schema_text

    try:
        text = json.dumps(values, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):  # not JSON: checked the long way
        return None
    key = datacache.digest("valid-settings", _schema_text("config"), text)
    return True if datacache.load(key) is True else key


def _remember_valid(key: Any) -> None:
    from promptcoach.engine import datacache

    if isinstance(key, str):
        datacache.store(key, True)


def settings_from_mapping(raw: Any, section: str = SECTION) -> tuple[Settings, list[str]]:
    """Settings from editor settings ``raw``: defaults for anything missing or invalid,
    and a warning for each invalid value; never raises."""
    overrides, warnings = overrides_from_mapping(raw, section)
    return merge_settings(Settings(), overrides), warnings


def _valid_rules(value: dict[str, Any], where: str, warnings: list[str]) -> dict[str, Any]:
    kept = {}
    for rule, severity in value.items():
        error = _setting_error("rules", {rule: severity})
        if error:
            warnings.append(f"{where}.{rule}: {error}, got {severity!r}; ignored")
        else:
            kept[rule] = severity
    return kept


def _setting_error(key: str, value: Any) -> str | None:
    """Why ``key: value`` is not a valid setting (checked with the config schema, and
    globs that must compile), or None."""
    import fastjsonschema

    try:
        schema_validator("config")({key: value})
    except fastjsonschema.JsonSchemaValueException as error:
        return _describe(error)
    if key in ("include", "exclude", "instructions"):
        from promptcoach.engine.files import compile_glob

        for glob in value:
            try:
                compile_glob(glob)
            except ValueError as error:
                return str(error)
    return None


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


# --------------------------------------------------------------------------- reloading


@dataclass(frozen=True)
class ConfigState:
    """A configuration file as it is now: the configuration in force (the last good
    one while the file is broken; None means the defaults) and the current error."""

    path: Path
    config: ProjectConfig | None
    error: DataError | None = None
    watched: tuple[Path, ...] = ()  # a change to one of these reloads the file


class ConfigCache:
    """Configurations by file, reloaded when the file or one it extends changes
    (checked by mtime and size on every :meth:`get`). A broken file keeps the last
    good configuration in force and reports its error; fixing it takes effect on
    the next :meth:`get`. For the language server, which must never stop on a
    bad file."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[_Stamps, ConfigState]] = {}
        self._lock = threading.Lock()

    def get(self, path: str | Path) -> ConfigState:
        key = Path(path).resolve()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] == _stamps(entry[1], key):
            return entry[1]
        state = self._reload(Path(path), entry[1] if entry else None)
        with self._lock:
            self._entries[key] = (_stamps(state, key), state)
        return state

    def is_config_file(self, path: str | Path) -> bool:
        """Whether ``path`` is a configuration file or a file one of them extends."""
        resolved = Path(path).resolve()
        if resolved.name == CONFIG_FILE:
            return True
        with self._lock:
            states = [state for _, state in self._entries.values()]
        return any(resolved in state.watched for state in states)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @staticmethod
    def _reload(path: Path, previous: ConfigState | None) -> ConfigState:
        loader = _Loader()
        try:
            config = _load(path, loader)
        except DataError as error:
            last_good = previous.config if previous is not None else None
            return ConfigState(path, last_good, error, tuple(loader.attempted))
        return ConfigState(path, config, None, config.files)


_Stamps = tuple[tuple[Path, tuple[int, int] | None], ...]


def _stamps(state: ConfigState, key: Path) -> _Stamps:
    return tuple((file, _content_stamp(file)) for file in state.watched or (key,))


def _content_stamp(path: Path) -> tuple[int, int] | None:
    """Size and checksum of a (small) configuration file, None when it cannot be read:
    an edit is seen even when it keeps the size and lands within the same mtime tick."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return len(data), zlib.crc32(data)


# --------------------------------------------------------------------------- engine


def create_engine(
    config: ProjectConfig | None = None,
    settings: Settings | None = None,
    root: str | Path | None = None,
    fixes: bool = True,
    stack: Stack | None = None,
) -> Engine:
    """The :class:`~promptcoach.engine.analyze.Engine` for a project, as the CLI and the
    server build it: ``settings`` (else the project's), the project's knowledge packs,
    and its stack, read at the project's root (``root`` without a configuration file)
    when ``stack`` is not given. ``fixes``: build quick fixes (the editor's)."""
    from promptcoach.engine.analyze import Engine

    if settings is None:
        settings = config.settings if config is not None else Settings()
    knowledge = config.knowledge(settings) if config is not None else None
    stack_root = config.root if config is not None else root
    return Engine(settings, knowledge, stack=stack, root=stack_root, fixes=fixes)
