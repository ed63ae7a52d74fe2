"""Editor settings are checked in one place: the editor's own keys in lsp/config.py,
the engine's against the configuration schema, as ``.promptcoach.yaml`` is."""

from __future__ import annotations

import pytest

from promptcoach.engine import config_settings, datacache
from promptcoach.engine.settings import Settings
from promptcoach.lsp.config import EditorSettings, engine_settings, parse_editor_settings


def test_good_settings_reach_the_engine():
    editor, warnings = parse_editor_settings(
        {
            "promptcoach": {
                "enable": False,
                "debounceMs": 40.0,
                "inlayHints": False,
                "configFile": "team.yaml",
                "severities": {"vague-term": "error", "missing-detail": False},
                "threshold": 0.7,
                "markers": ["ai:"],
                "include": ["**/*.md"],
                "assumeStack": True,
                "maxFileSize": 5000,
                "maxProblems": 0,
                "python": {"path": "/usr/bin/python3"},  # the client's own: ignored quietly
            }
        }
    )
    assert warnings == []
    assert (editor.enable, editor.debounce_ms, editor.inlay_hints, editor.config_file) == (
        False,
        40,
        False,
        "team.yaml",
    )
    settings = engine_settings(editor, None)
    assert settings.severities == {"vague-term": "error", "missing-detail": "off"}
    assert (settings.threshold, settings.markers, settings.include) == (0.7, ("ai:",), ("**/*.md",))
    assert (settings.assume_stack, settings.max_file_size, settings.max_problems) == (True, 5000, 0)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("threshold", 7, "threshold"),
        ("maxFileSize", 0, "maxFileSize"),
        ("maxProblems", 2.5, "maxProblems"),
        ("markers", [" ai:"], "markers"),  # the schema's rule for markers, as in .promptcoach.yaml
        ("include", ["[z-a]"], "include"),  # a glob that cannot compile
        ("severities", {"vague-term": "loud"}, "vague-term"),
        ("debounceMs", -1, "debounceMs"),
        ("inlayHints", "no", "inlayHints"),
    ],
)
def test_a_wrong_value_is_named_in_a_warning_and_left_at_its_default(key, value, says):
    editor, warnings = parse_editor_settings({key: value})
    assert len(warnings) == 1 and says in warnings[0] and "promptcoach." in warnings[0], warnings
    assert engine_settings(editor, None) == Settings()
    assert (editor.enable, editor.debounce_ms, editor.inlay_hints) == (True, 150, True)


def test_settings_that_passed_once_compile_no_validator_the_next_time(tmp_path, monkeypatch):
    monkeypatch.setenv(datacache.ENV, str(tmp_path / "cache"))
    compiled: list[str] = []
    real = config_settings.schema_validator

    def counting(name):
        compiled.append(name)
        return real(name)

    monkeypatch.setattr(config_settings, "schema_validator", counting)
    raw = {"threshold": 0.6, "rules": {"vague-term": "hint"}, "enable": True}
    first = parse_editor_settings(raw)
    assert compiled and first[1] == []
    compiled.clear()
    assert parse_editor_settings(raw) == first
    assert compiled == []  # known to be valid by its digest
    parse_editor_settings({**raw, "threshold": 0.65})
    assert compiled  # other settings are checked again


def test_no_settings_or_not_an_object():
    assert parse_editor_settings(None) == (EditorSettings(), [])
    editor, warnings = parse_editor_settings([1, 2])
    assert editor == EditorSettings() and len(warnings) == 1
