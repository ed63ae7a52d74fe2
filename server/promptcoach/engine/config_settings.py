"""Settings from configuration data: the keys of ``.promptcoach.yaml`` and of the
editor settings, and how their values become :class:`Settings` fields.

:func:`overrides_from_data` turns a validated file's data into Settings fields,
:func:`merge_settings` applies them; editor settings (LSP ``initializationOptions`` /
``workspace/configuration``) go through :func:`overrides_from_mapping`, which never
raises: a value of the wrong type is reported and replaced by its default.
"""

from __future__ import annotations

from typing import Any

from promptcoach.engine.settings import Settings
from promptcoach.engine.yamldata import _describe, schema_validator

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


def overrides_from_data(data: dict[str, Any]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for key, name in SETTING_KEYS.items():
        value = data.get(key)
        if value is None:
            continue
        if name in ("include", "exclude", "instructions", "markers"):
            value = tuple(value)
        elif name == "threshold":
            value = float(value)
        elif name in ("max_file_size", "max_problems"):
            value = int(value)  # (the schema's "integer" lets 5.0 through)
        elif name == "severities":
            value = {rule: _severity(level) for rule, level in value.items() if level is not True}
        overrides[name] = value
    return overrides


def _severity(level: str | bool) -> str:
    return "off" if level is False else str(level)


def merge_overrides(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
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
    return settings.replace(**values)


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
        return overrides_from_data({name: value for name, (_, value) in given.items()}), []
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
    return overrides_from_data(valid), warnings


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
        from promptcoach.engine.globs import check_wildcards, compile_glob

        try:
            for glob in value:
                compile_glob(glob)
            check_wildcards(value)
        except ValueError as error:
            return str(error)
    return None


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
