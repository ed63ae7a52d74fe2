"""Reading a configuration file and the files it ``extends``.

:class:`ConfigLoader` reads a file, checks it (YAML, schema, rule ids, globs) and
follows its ``extends`` entries, refusing cycles, chains longer than
:data:`MAX_EXTENDS_DEPTH` and any file outside the project or the user's
configuration directory (:func:`allowed_bases`); each file gives a
:class:`Layer` of settings and knowledge packs. Packs (an extended pack file, a
``knowledge:`` section) are validated like the built-in knowledge base, and
:func:`build_knowledge` merges them into it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from promptcoach.engine.config_settings import overrides_from_data
from promptcoach.engine.safe_files import repository_of
from promptcoach.engine.yamldata import DataError, _line, _node_at, load_yaml, read_data_text

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.knowledge import KnowledgeBase
    from promptcoach.engine.knowledge.loader import KnowledgePack

# Longest chain of files extending one another (a shared team file extending a pack is 2).
MAX_EXTENDS_DEPTH = 32


class Layer(NamedTuple):
    overrides: dict[str, Any]
    packs: list[KnowledgePack]


USER_CONFIG_NAME = "~/.config/promptcoach"


def allowed_bases(config: Path) -> list[Path]:
    """Where a configuration may extend files from: its repository (the nearest parent
    holding ``.git``, else its own directory) and the user's own configuration directory.
    A ``.git`` in the home directory or above it does not count (:func:`repository_of`)."""
    directory = config.parent.resolve()
    return [repository_of(directory) or directory, user_config_dir()]


def refuse_linked_config(config: Path) -> None:
    """Raise :class:`DataError` if ``config`` (as found: ``.promptcoach.yaml``) is a
    symbolic link to a file outside the project and the user's configuration directory
    (:func:`allowed_bases` of the link's own place). Such a file is never read: its keys
    would be quoted in errors (``unknown key 'root:$6$...'`` for /etc/shadow). The error
    does not say whether the target exists."""
    real = config.resolve()
    if not any(_inside(real, base) for base in allowed_bases(config)):
        raise DataError(
            str(config), None, f"is a symbolic link to a file outside the project (or {USER_CONFIG_NAME}); not read"
        )


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


class ConfigLoader:
    bases: list[Path] = []

    def __init__(self) -> None:
        self.files: list[Path] = []  # read, in order
        self.attempted: list[Path] = []  # read or tried (a missing extended file)

    def read(
        self, path: Path, shown: str, chain: tuple[tuple[Path, str], ...], referrer: tuple[str, int | None] | None
    ) -> list[Layer]:
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
            return [Layer({}, [_load_pack(text, shown, path)])]
        nodes.check_top_level_keys(node, shown)
        nodes.check_rules(_node_at(node, ["rules"]) if nodes.has_key(node, "rules") else None, shown)
        nodes.check_markers(_node_at(node, ["markers"]) if nodes.has_key(node, "markers") else None, shown)
        data = load_yaml(text, shown, schema="config") or {}
        for key in ("include", "exclude", "instructions"):
            if nodes.has_key(node, key):
                globs = _node_at(node, [key])
                assert globs is not None  # the key is there
                nodes.check_globs(globs, key, shown)
        layers: list[Layer] = []
        for index, entry in enumerate(_as_list(data.get("extends"))):
            line = _line(_node_at(node, ["extends", index] if isinstance(data["extends"], list) else ["extends"]))
            layers.extend(self._extend(path, shown, entry, line, chain + ((path, shown),)))
        own_packs = []
        if data.get("knowledge"):
            knowledge_node = _node_at(node, ["knowledge"])
            assert knowledge_node is not None  # the data has the key, so the node tree has it
            own_packs.append(_load_pack(nodes.isolate(text, knowledge_node), shown))
        layers.append(Layer(overrides_from_data(data), own_packs))
        return layers

    def _extend(
        self, path: Path, shown: str, entry: str, line: int | None, chain: tuple[tuple[Path, str], ...]
    ) -> list[Layer]:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", entry):
            raise DataError(
                shown, line, f"extends: {entry!r} is not a local file; only local YAML files can be extended"
            )
        # a network path is refused before anything resolves it: on Windows, resolving
        # //host/share/... would already connect to the host
        network = is_network_path(entry)
        target = path.parent / entry if network else (path.parent / entry).resolve()
        target_shown = os.path.normpath(os.path.join(os.path.dirname(shown), entry))
        if network or not any(_inside(target, base) for base in self.bases):
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


def is_network_path(entry: str) -> bool:
    """A network (UNC) path: //host/share or \\\\host\\share, with either slash (Windows reads both)."""
    return entry.startswith(("//", "\\\\", "/\\", "\\/"))


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
        return _renamed_errors(loader.load_pack, path, shown)._replace(source=shown)
    prefix = "knowledge: "
    load_text = getattr(loader, "load_pack_text", None)
    if load_text is not None:
        return _renamed_errors(lambda _: load_text(text, shown), None, shown, prefix)
    # The loader reads packs from files only: give it the section as a file of its own.
    import tempfile  # (here: only a config with a knowledge section needs it)

    with tempfile.TemporaryDirectory(prefix="promptcoach-") as directory:
        section = Path(directory) / "knowledge.yaml"
        section.write_text(text, encoding="utf-8")
        return _renamed_errors(loader.load_pack, section, shown, prefix)._replace(source=shown)


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
