"""Editor settings (initializationOptions, workspace/configuration section
``promptcoach``) and the project configuration file ``.promptcoach.yaml``.

A value of the wrong type is reported (a list of warnings the server shows once)
and replaced by its default; nothing here raises on user input.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from promptcoach.engine.config import CONFIG_FILE
from promptcoach.engine.config_settings import SECTION
from promptcoach.engine.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditorSettings:
    enable: bool = True
    debounce_ms: int = 150
    inlay_hints: bool = True
    config_file: str | None = None
    # the engine settings the editor sets (Settings field -> value), checked against the
    # configuration schema like .promptcoach.yaml (engine.config_settings.overrides_from_mapping)
    overrides: dict = field(default_factory=dict)


def _number_in(low: int, high: int) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high

    return check


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _same(value: Any) -> Any:
    return value


# Settings of the editor alone (not in .promptcoach.yaml):
# key -> (field, check, the value kept for a good one, what it expects)
_EDITOR_ONLY: dict[str, tuple[str, Callable[[Any], bool], Callable[[Any], Any], str]] = {
    "enable": ("enable", _is_bool, _same, "true or false"),
    "inlayHints": ("inlay_hints", _is_bool, _same, "true or false"),
    "debounceMs": ("debounce_ms", _number_in(0, 10_000), int, "a number of milliseconds (0-10000)"),
    "configFile": ("config_file", lambda value: isinstance(value, str), lambda path: path or None, "a file path"),
}


def parse_editor_settings(raw: Any) -> tuple[EditorSettings, list[str]]:
    """Editor settings from client JSON; wrong values fall back to defaults with a warning.
    The engine's settings are checked by the configuration schema (the one validator of
    settings, shared with ``.promptcoach.yaml``); the four of the editor alone here."""
    from promptcoach.engine.config_settings import overrides_from_mapping

    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    if raw is None:
        return EditorSettings(), []
    if not isinstance(raw, dict):
        return EditorSettings(), [f"{SECTION} settings: expected an object, got {type(raw).__name__}; using defaults"]
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, (name, check, kept, expected) in _EDITOR_ONLY.items():
        value = raw.get(key)
        if value is None:
            continue
        if check(value):
            values[name] = kept(value)
        else:
            warnings.append(f"{SECTION}.{key}: expected {expected}, got {value!r}; using the default")
    overrides, problems = overrides_from_mapping(raw)
    return EditorSettings(**values, overrides=overrides), warnings + problems


def engine_settings(editor: EditorSettings, project) -> Settings:
    """The engine settings: the project file's explicit values over the editor's over the
    defaults (rule severities merged rule by rule)."""
    from promptcoach.engine.config_settings import merge_settings

    settings = merge_settings(Settings(), editor.overrides)
    return settings if project is None else project.apply_to(settings)


@dataclass
class ProjectFile:
    path: Path | None
    config: Any = None  # engine.config.ProjectConfig in force: the last good one while the file is broken
    error: str | None = None  # ``file:line: what is wrong``
    problem: Any = None  # the DataError behind ``error`` (its file and line), if any


_CONFIGS = None  # engine.config_cache.ConfigCache, made on first use


def allowed_config_file(setting: str, roots: list[str]) -> tuple[str | None, str | None]:
    """The configuration file ``promptcoach.configFile`` names, resolved (relative to the
    first workspace folder), if it is inside a workspace folder or the user's own
    configuration directory; else None and why it is ignored."""
    from promptcoach.engine.config_loading import is_network_path, user_config_dir
    from promptcoach.engine.safe_files import inside
    from promptcoach.output.paths import printable

    base = Path(roots[0]) if roots else Path.cwd()
    bases = [Path(root).resolve() for root in roots] + [user_config_dir()]
    if not is_network_path(setting):  # (refused before resolving: on Windows that connects)
        path = (base / Path(setting).expanduser()).resolve()
        if any(inside(path, allowed) for allowed in bases):
            return str(path), None
    return None, (
        f"{SECTION}.configFile: {printable(setting)} is outside the workspace and "
        f"{printable(str(user_config_dir()))}; ignored (looking for .promptcoach.yaml instead)"
    )


def load_project(start: Path, explicit: str | None = None) -> ProjectFile:
    """The project configuration for a document under ``start``; errors are returned, not
    raised. A broken file keeps its last good configuration in force (or the defaults)."""
    global _CONFIGS
    from promptcoach.engine.config import find_config
    from promptcoach.engine.config_cache import ConfigCache

    path = Path(explicit) if explicit else find_config(start)
    if path is None:
        return ProjectFile(None)
    if _CONFIGS is None:
        _CONFIGS = ConfigCache()
    try:
        state = _CONFIGS.get(path)
    except Exception as error:  # a bug in loading must not take the server down
        logger.exception("loading %s", path)
        return ProjectFile(path, None, f"{path}: cannot load: {error}")
    if state.error is None:
        return ProjectFile(path, state.config)
    return ProjectFile(path, state.config, str(state.error), state.error)


# --- protocol glue ------------------------------------------------------------------------------


def register(server) -> None:
    from lsprotocol import types

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls, params: types.DidChangeConfigurationParams) -> None:
        if ls.features.configuration:
            await pull_configuration(ls)
        else:
            apply_editor_settings(ls, params.settings)
        settings_changed(ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(CONFIG_FILE) for change in params.changes):
            settings_changed(ls)
            return
        from pygls.uris import to_fs_path

        from promptcoach.lsp import context

        ls.in_order(context.files_changed, ls, [to_fs_path(change.uri) or "" for change in params.changes])


def apply_editor_settings(ls, raw: Any) -> None:
    editor, warnings = parse_editor_settings(raw)
    ls.editor = editor
    for warning in warnings:
        ls.warn(warning)


async def pull_configuration(ls) -> None:
    from lsprotocol import types

    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
        )
    except Exception as error:  # a client that fails the request keeps the settings it gave
        logger.warning("workspace/configuration failed: %s", error)
        return
    if result and result[0] is not None:
        apply_editor_settings(ls, result[0])


def settings_changed(ls) -> None:
    """Re-check every open document with the new settings."""
    ls.in_order(_reload_and_recheck, ls)


def _reload_and_recheck(ls) -> None:
    from promptcoach.lsp import diagnostics

    ls.reload()
    diagnostics.recheck_all(ls)
