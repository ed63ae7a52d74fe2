"""Editor settings (initializationOptions, workspace/configuration section
``promptcoach``) and the project configuration file ``.promptcoach.yaml``.

A value of the wrong type is reported (a list of warnings the server shows once)
and replaced by its default; nothing here raises on user input.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from promptcoach.engine.config import CONFIG_FILE, SECTION
from promptcoach.engine.model import SEVERITIES
from promptcoach.engine.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EditorSettings:
    enable: bool = True
    debounce_ms: int = 150
    inlay_hints: bool = True
    config_file: str | None = None
    # engine settings; None means "not set here, use the project file or the default"
    severities: dict[str, str] = field(default_factory=dict)
    markers: tuple[str, ...] | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    threshold: float | None = None
    assume_stack: bool | None = None
    max_file_size: int | None = None
    max_problems: int | None = None


_KEYS = {
    "enable": "enable",
    "debounceMs": "debounce_ms",
    "inlayHints": "inlay_hints",
    "configFile": "config_file",
    "severities": "severities",
    "rules": "severities",
    "markers": "markers",
    "include": "include",
    "exclude": "exclude",
    "threshold": "threshold",
    "assumeStack": "assume_stack",
    "maxFileSize": "max_file_size",
    "maxProblems": "max_problems",
}


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check(name: str, value: Any) -> tuple[Any, str | None]:
    """The converted value, or an error text."""
    if name in ("enable", "inlay_hints", "assume_stack"):
        return (value, None) if isinstance(value, bool) else (None, "expected true or false")
    if name == "debounce_ms":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10_000
        return (int(value), None) if ok else (None, "expected a number of milliseconds (0-10000)")
    if name == "threshold":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
        return (float(value), None) if ok else (None, "expected a number between 0 and 1")
    if name == "max_file_size":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 100_000_000
        return (int(value), None) if ok else (None, "expected a number of bytes (1-100000000)")
    if name == "max_problems":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10_000_000
        return (int(value), None) if ok else (None, "expected a number of problems (0: no limit)")
    if name == "config_file":
        return (value or None, None) if isinstance(value, str) else (None, "expected a file path")
    if name in ("include", "exclude"):
        if not _is_str_list(value):
            return None, "expected a list of strings"
        return _globs(value)
    if name == "markers":
        return (tuple(value), None) if _is_str_list(value) else (None, "expected a list of strings")
    if name == "severities":
        allowed = (*SEVERITIES, "off")
        if isinstance(value, dict) and all(isinstance(k, str) and v in allowed for k, v in value.items()):
            return dict(value), None
        return None, f"expected a map of rule id to one of {', '.join(allowed)}"
    return None, "unknown setting"


def _globs(value: list[str]) -> tuple[Any, str | None]:
    from promptcoach.engine.files import compile_glob

    for glob in value:
        try:
            compile_glob(glob)
        except ValueError as error:
            return None, str(error)
    return tuple(value), None


def parse_editor_settings(raw: Any) -> tuple[EditorSettings, list[str]]:
    """Editor settings from client JSON; wrong values fall back to defaults with a warning."""
    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    if raw is None:
        return EditorSettings(), []
    if not isinstance(raw, dict):
        return EditorSettings(), [f"{SECTION} settings: expected an object, got {type(raw).__name__}; using defaults"]
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in raw.items():
        name = _KEYS.get(key)
        if name is None:
            continue  # unknown keys belong to newer clients; ignore quietly
        if value is None:
            continue
        converted, error = _check(name, value)
        if error:
            warnings.append(f"{SECTION}.{key}: {error}, got {value!r}; using the default")
        else:
            values[name] = converted
    return EditorSettings(**values), warnings


def engine_settings(editor: EditorSettings, project) -> Settings:
    """The engine settings: the project file's explicit values over the editor's over the defaults."""
    overrides = {
        f.name: getattr(editor, f.name)
        for f in fields(Settings)
        if hasattr(editor, f.name) and getattr(editor, f.name) is not None and f.name != "severities"
    }
    settings = replace(Settings(), **overrides, severities=dict(editor.severities))
    if project is None:
        return settings
    merged = project.apply_to(settings)
    if "severities" in getattr(project, "overrides", {}):  # the file's severities win rule by rule
        merged = replace(merged, severities={**editor.severities, **merged.severities})
    return merged


@dataclass
class ProjectFile:
    path: Path | None
    config: Any = None  # engine.config.ProjectConfig in force: the last good one while the file is broken
    error: str | None = None  # ``file:line: what is wrong``
    problem: Any = None  # the DataError behind ``error`` (its file and line), if any


_CONFIGS = None  # engine.config.ConfigCache, made on first use


def allowed_config_file(setting: str, roots: list[str]) -> tuple[str | None, str | None]:
    """The configuration file ``promptcoach.configFile`` names, resolved (relative to the
    first workspace folder), if it is inside a workspace folder or the user's own
    configuration directory; else None and why it is ignored."""
    from promptcoach.engine.config import user_config_dir
    from promptcoach.engine.safe_files import inside
    from promptcoach.output.paths import printable

    base = Path(roots[0]) if roots else Path.cwd()
    path = (base / Path(setting).expanduser()).resolve()
    bases = [Path(root).resolve() for root in roots] + [user_config_dir()]
    if any(inside(path, allowed) for allowed in bases):
        return str(path), None
    return None, (f"{SECTION}.configFile: {printable(setting)} is outside the workspace and "
                  f"{printable(str(user_config_dir()))}; ignored (looking for .promptcoach.yaml instead)")


def load_project(start: Path, explicit: str | None = None) -> ProjectFile:
    """The project configuration for a document under ``start``; errors are returned, not
    raised. A broken file keeps its last good configuration in force (or the defaults)."""
    global _CONFIGS
    from promptcoach.engine.config import ConfigCache, find_config

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
