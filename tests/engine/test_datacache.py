"""Built-in data files are parsed once per content, then read from the user's cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from promptcoach.engine import datacache, yamldata
from promptcoach.engine.yamldata import DataError, load_builtin

STACK = (yamldata.SCHEMA_DIR.parent / "knowledge" / "stack.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(datacache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _parses(monkeypatch) -> list[str]:
    """Files parsed from YAML from now on (not taken from the cache)."""
    parsed: list[str] = []
    real = yamldata._parse_builtin

    def counting(text, file, schema):
        parsed.append(file)
        return real(text, file, schema)

    monkeypatch.setattr(yamldata, "_parse_builtin", counting)
    return parsed


def _entries(cache) -> list:
    return sorted((cache / datacache.FORMAT).glob("*.json"))


def test_a_file_is_parsed_once_then_read_from_the_cache(cache, monkeypatch) -> None:
    parsed = _parses(monkeypatch)
    first = load_builtin(STACK, "knowledge/stack.yaml", "stack")
    assert parsed == ["knowledge/stack.yaml"]
    assert len(_entries(cache)) == 1
    assert load_builtin(STACK, "knowledge/stack.yaml", "stack") == first
    assert parsed == ["knowledge/stack.yaml"]  # the second time from the cache


def test_the_cache_is_private(cache) -> None:
    load_builtin(STACK, "knowledge/stack.yaml", "stack")
    assert (cache / datacache.FORMAT).stat().st_mode & 0o777 == 0o700
    assert cache.stat().st_mode & 0o777 == 0o700
    assert _entries(cache)[0].stat().st_mode & 0o077 == 0


def test_changed_text_is_parsed_again(cache, monkeypatch) -> None:
    load_builtin(STACK, "knowledge/stack.yaml", "stack")
    parsed = _parses(monkeypatch)
    load_builtin(STACK + "\n# a comment\n", "knowledge/stack.yaml", "stack")
    assert parsed == ["knowledge/stack.yaml"]
    assert len(_entries(cache)) == 2


def test_an_invalid_file_is_reported_with_its_line_and_never_cached(cache) -> None:
    with pytest.raises(DataError) as raised:
        load_builtin("kinds: 3\n", "knowledge/stack.yaml", "stack")
    assert str(raised.value).startswith("knowledge/stack.yaml:1:")
    assert _entries(cache) == []


@pytest.mark.parametrize("damage", ["not json", '{"key": "other", "data": 1}', "[1, 2]", '{"key": "KEY"}'])
def test_a_corrupt_entry_is_ignored_and_written_again(cache, monkeypatch, damage) -> None:
    first = load_builtin(STACK, "knowledge/stack.yaml", "stack")
    (entry,) = _entries(cache)
    entry.write_text(damage.replace("KEY", entry.stem))
    parsed = _parses(monkeypatch)
    assert load_builtin(STACK, "knowledge/stack.yaml", "stack") == first
    assert parsed == ["knowledge/stack.yaml"]
    assert json.loads(entry.read_text())["data"] == first


def test_an_entry_others_can_write_is_ignored(cache, monkeypatch) -> None:
    first = load_builtin(STACK, "knowledge/stack.yaml", "stack")
    (entry,) = _entries(cache)
    entry.write_text(json.dumps({"key": entry.stem, "data": {"planted": True}}))
    entry.chmod(0o666)
    assert load_builtin(STACK, "knowledge/stack.yaml", "stack") == first
    entry.chmod(0o600)
    (cache / datacache.FORMAT).chmod(0o777)  # a directory others can write: nothing in it is trusted
    entry.write_text(json.dumps({"key": entry.stem, "data": {"planted": True}}))
    assert load_builtin(STACK, "knowledge/stack.yaml", "stack") == first


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlinked_entry_is_not_followed(cache, tmp_path) -> None:
    first = load_builtin(STACK, "knowledge/stack.yaml", "stack")
    (entry,) = _entries(cache)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"key": entry.stem, "data": {"planted": True}}))
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert load_builtin(STACK, "knowledge/stack.yaml", "stack") == first


def test_values_json_would_change_are_not_cached(cache) -> None:
    datacache.store("k" * 64, {1: "an integer key"})
    datacache.store("t" * 64, {"when": (1, 2)})
    assert _entries(cache) == []
    datacache.store("s" * 64, {"plain": [1, "two", None, True, 2.5]})
    assert datacache.load("s" * 64) == {"plain": [1, "two", None, True, 2.5]}


def test_old_entries_are_pruned(cache) -> None:
    for i in range(datacache.MAX_ENTRIES + 10):
        datacache.store(f"{i:064x}", i)
    assert len(_entries(cache)) <= datacache.MAX_ENTRIES
    assert datacache.load(f"{datacache.MAX_ENTRIES + 9:064x}") == datacache.MAX_ENTRIES + 9


def test_cache_can_be_turned_off(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(datacache.ENV, "off")
    assert datacache.cache_dir() is None
    datacache.store("0" * 64, 1)  # nowhere to write: no error
    assert datacache.load("0" * 64) is datacache.MISSING


def test_unwritable_cache_directory_only_means_parsing(monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(datacache.ENV, str(blocker / "sub"))
    parsed = _parses(monkeypatch)
    first = load_builtin(STACK, "knowledge/stack.yaml", "stack")  # mkdir fails: ignored
    assert load_builtin(STACK, "knowledge/stack.yaml", "stack") == first
    assert parsed == ["knowledge/stack.yaml", "knowledge/stack.yaml"]


def test_no_home_directory_means_no_cache(monkeypatch) -> None:
    monkeypatch.delenv(datacache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored: not absolute
    monkeypatch.setattr(datacache.os.path, "expanduser", lambda path: path)  # "~" stays "~"
    assert datacache.cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert str(datacache.cache_dir()) == "/somewhere/cache/promptcoach"


def test_a_check_from_the_cache_imports_no_yaml_parser(tmp_path) -> None:
    """The point of the cache: a warm start needs neither PyYAML nor a schema validator."""
    prompt = tmp_path / "posts.prompt.md"
    prompt.write_text("Make a posts table.\n")
    env = {**os.environ, datacache.ENV: str(tmp_path / "cache")}
    probe = (
        "import sys; from promptcoach import cli\n"
        "try: cli.main(['check', '--no-config', sys.argv[1]])\n"
        "except SystemExit: pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'fastjsonschema', 're2'}))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe, str(prompt)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        for _ in range(2)
    ]
    assert runs[0].stdout.strip().splitlines()[-1] == "['fastjsonschema', 'yaml']"  # cold: parsed and validated
    assert runs[1].stdout.strip().splitlines()[-1] == "[]", runs[1].stderr
