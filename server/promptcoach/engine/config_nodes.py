"""Checks of a configuration file's YAML node tree that the schema cannot make
clearly: unknown keys with a suggestion, rule ids and severities, markers that YAML
read as mappings, globs that do not compile, and a pack written where a
configuration was expected. Each error names the file and the line of the node."""

from __future__ import annotations

import difflib
import re

import yaml

from promptcoach.engine.config_settings import _EDITOR_ALIASES, _PACK_KEYS, CONFIG_KEYS
from promptcoach.engine.yamldata import DataError, _line, load_yaml


def has_key(node: yaml.Node | None, key: str) -> bool:
    return isinstance(node, yaml.MappingNode) and any(getattr(k, "value", None) == key for k, _ in node.value)


def compose(text: str, shown: str) -> yaml.Node | None:
    """The file's node tree, checked for depth and alias expansion like every data file."""
    load_yaml(text, shown)  # raises the DataError with the line (syntax, depth, aliases ...)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def is_pack(node: yaml.Node | None) -> bool:
    if not isinstance(node, yaml.MappingNode):
        return False
    keys = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return bool(keys & set(_PACK_KEYS)) and not keys & set(CONFIG_KEYS)


def check_top_level_keys(node: yaml.Node | None, shown: str) -> None:
    """Unknown keys get a clearer message than the schema's, with a suggestion."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key, _ in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name in CONFIG_KEYS:
            continue
        message = f"unknown key {name!r}"
        close = difflib.get_close_matches(str(name), CONFIG_KEYS, n=1)
        if name in _EDITOR_ALIASES:
            close = [_EDITOR_ALIASES[name]]
        if name in _PACK_KEYS:
            raise DataError(shown, _line(key), f"{message}; knowledge goes under 'knowledge:'")
        if close:
            message += f"; did you mean {close[0]!r}?"
        else:
            message += f" (known keys: {', '.join(CONFIG_KEYS)})"
        raise DataError(shown, _line(key), message)


SEVERITY_WORDS = ("error", "warning", "information", "hint", "off")


def check_rules(mapping: yaml.Node | None, shown: str) -> None:
    """Rule ids must be known and severities spelt right (``off`` unquoted is YAML's false)."""
    if not isinstance(mapping, yaml.MappingNode):
        return
    known = known_rule_ids()
    for key, value in mapping.value:
        rule = str(key.value)
        if known and rule not in known:
            close = difflib.get_close_matches(rule, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known rules: {', '.join(sorted(known))})"
            raise DataError(shown, _line(key), f"rules: unknown rule {rule!r}{hint}")
        raw = value.value if isinstance(value, yaml.ScalarNode) else None
        if raw is None or (raw not in SEVERITY_WORDS and value.tag != "tag:yaml.org,2002:bool"):
            words = ", ".join(SEVERITY_WORDS[:-1]) + " or " + SEVERITY_WORDS[-1]
            got = repr(raw) if raw is not None else ("a list" if isinstance(value, yaml.SequenceNode) else "a mapping")
            raise DataError(shown, _line(value), f"rules.{rule}: expected {words}, got {got}")


def check_markers(sequence: yaml.Node | None, shown: str) -> None:
    """``- prompt:`` unquoted is a mapping in YAML; say how to write it."""
    if not isinstance(sequence, yaml.SequenceNode):
        return
    for index, item in enumerate(sequence.value):
        if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
            key, value = item.value[0]
            if isinstance(value, yaml.ScalarNode) and value.value == "":
                raise DataError(
                    shown, _line(item), f'markers[{index}]: quote a marker that ends with a colon: "{key.value}:"'
                )


def check_globs(sequence: yaml.Node, key: str, shown: str) -> None:
    """Every include/exclude glob compiles (a bad ``[z-a]`` class is named at its line)."""
    from promptcoach.engine.globs import check_wildcards, compile_glob

    if not isinstance(sequence, yaml.SequenceNode):
        return
    for index, item in enumerate(sequence.value):
        if isinstance(item, yaml.ScalarNode):
            try:
                compile_glob(item.value)
            except ValueError as error:
                raise DataError(shown, _line(item), f"{key}[{index}]: {error}") from None
    try:
        check_wildcards(item.value for item in sequence.value if isinstance(item, yaml.ScalarNode))
    except ValueError as error:
        raise DataError(shown, _line(sequence), f"{key}: {error}") from None


def known_rule_ids() -> frozenset[str]:
    """Ids of the registered rules (empty if the rules package is unavailable)."""
    try:
        from promptcoach.engine import rules
    except ImportError:
        return frozenset()
    ids = getattr(rules, "rule_ids", None)
    return frozenset(ids()) if callable(ids) else frozenset()


def isolate(text: str, node: yaml.Node) -> str:
    """``text`` with everything outside ``node`` blanked, so the node parses as a
    document of its own with the same line numbers."""
    start, end = node.start_mark.index, node.end_mark.index
    return _blank(text[:start]) + text[start:end] + _blank(text[end:])


def _blank(text: str) -> str:
    return re.sub(r"[^\r\n]", " ", text)
