"""The project configuration file, ``.promptcoach.yaml``.

:func:`find_config` looks for it in a directory and its ancestors;
:func:`load_config` reads it (and the files it ``extends``), validates it with
``schemas/config.schema.json`` and returns a :class:`ProjectConfig`. Every
problem is a :class:`~promptcoach.engine.yamldata.DataError` whose text is
``file:line: what is wrong``, so the CLI can print it and the language server
can put a diagnostic on that line.

Editor settings (LSP ``initializationOptions`` / ``workspace/configuration``)
use the same keys; :func:`~promptcoach.engine.config_settings.overrides_from_mapping`
reads them without ever raising: a value of the wrong type is reported and
replaced by its default.

Knowledge in the file (``knowledge:``) and in extended packs is validated like
the built-in knowledge base, including its bounds on regular expressions.

The parts live in their own modules: the keys and their conversion to settings in
:mod:`.config_settings`, reading and ``extends`` in :mod:`.config_loading`, the
reloading cache of the language server in :mod:`.config_cache`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptcoach.engine.config_loading import ConfigLoader, build_knowledge, refuse_linked_config
from promptcoach.engine.config_settings import merge_overrides, merge_settings
from promptcoach.engine.record import Record
from promptcoach.engine.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.knowledge import KnowledgeBase
    from promptcoach.engine.knowledge.loader import KnowledgePack
    from promptcoach.engine.stack import Stack

CONFIG_FILE = ".promptcoach.yaml"


class ProjectConfig(Record):
    """A configuration file as read (immutable by convention)."""

    __slots__ = ("path", "root", "settings", "overrides", "packs", "files", "knowledge_base")
    _fields = ("path", "root", "settings", "overrides", "packs", "files")  # not the knowledge base

    def __init__(
        self,
        path: Path,  # the configuration file
        root: Path,  # the directory holding it: include/exclude globs and the stack are relative to it
        settings: Settings,  # the defaults with the file's values applied
        overrides: dict[str, Any] | None = None,  # Settings fields the file(s) set explicitly
        packs: tuple[KnowledgePack, ...] = (),  # in merge order: extended files first
        files: tuple[Path, ...] = (),  # this file and every file it extends (watch them all)
        knowledge_base: KnowledgeBase | None = None,  # None: the built-in one
    ) -> None:
        self.path = path
        self.root = root
        self.settings = settings
        self.overrides: dict[str, Any] = {} if overrides is None else overrides
        self.packs = packs
        self.files = files
        self.knowledge_base = knowledge_base

    def apply_to(self, settings: Settings) -> Settings:
        """``settings`` (e.g. the editor's) with this file's explicit values on top, their
        globs relative to this file's directory."""
        return merge_settings(settings, self.overrides).replace(glob_base=str(self.root))

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


def load_config(path: str | Path) -> ProjectConfig:
    """Read and validate a configuration file and everything it extends.

    Raises :class:`DataError` (``file:line: message``) for unreadable files,
    invalid YAML, schema violations, unknown rule ids, invalid knowledge,
    missing extended files and ``extends`` cycles.
    """
    return load_project_config(Path(path), ConfigLoader())


def load_project_config(path: Path, loader: ConfigLoader) -> ProjectConfig:
    """The configuration at ``path``, read with ``loader`` (whose ``files`` and ``attempted``
    then say what was read and tried: the files to watch)."""
    refuse_linked_config(path)
    layers = loader.read(path.resolve(), str(path), chain=(), referrer=None)
    overrides: dict[str, Any] = {}
    packs: list[KnowledgePack] = []
    for layer in layers:
        overrides = merge_overrides(overrides, layer.overrides)
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
