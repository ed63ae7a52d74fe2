"""Built-in data files are validated once per content, then known by digest."""

from __future__ import annotations

import pytest

from promptcoach.engine import validated, yamldata
from promptcoach.engine.yamldata import DataError, load_builtin



@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(validated.ENV, str(tmp_path))
    validated.forget()
    yield tmp_path
    validated.forget()


def _compiled(monkeypatch) -> list[str]:
    """Names of the schemas a validator is compiled for from now on."""
    compiled: list[str] = []
    real = yamldata.schema_validator

    def counting(name):
        compiled.append(name)
        return real(name)

    monkeypatch.setattr(yamldata, "schema_validator", counting)
    return compiled


def test_a_valid_file_is_validated_once_then_known(cache, monkeypatch) -> None:
    text = (yamldata.SCHEMA_DIR.parent / "knowledge" / "stack.yaml").read_text(encoding="utf-8")
    compiled = _compiled(monkeypatch)
    first = load_builtin(text, "knowledge/stack.yaml", "stack")
    assert compiled == ["stack"]
    assert (cache / validated.FILE_NAME).read_text().count("\n") == 1
    validated.forget()  # a new process reads the digest from the cache directory
    assert load_builtin(text, "knowledge/stack.yaml", "stack") == first
    assert compiled == ["stack"]  # no validator needed the second time


def test_changed_text_is_validated_again(cache, monkeypatch) -> None:
    text = (yamldata.SCHEMA_DIR.parent / "knowledge" / "stack.yaml").read_text(encoding="utf-8")
    load_builtin(text, "knowledge/stack.yaml", "stack")
    compiled = _compiled(monkeypatch)
    load_builtin(text + "\n# a comment\n", "knowledge/stack.yaml", "stack")
    assert compiled == ["stack"]


def test_an_invalid_file_is_reported_with_its_line_and_never_remembered(cache) -> None:
    bad = "kinds: 3\n"
    with pytest.raises(DataError) as raised:
        load_builtin(bad, "knowledge/stack.yaml", "stack")
    assert str(raised.value).startswith("knowledge/stack.yaml:1:")
    assert not (cache / validated.FILE_NAME).exists()


def test_cache_can_be_turned_off(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(validated.ENV, "off")
    validated.forget()
    assert validated.cache_dir() is None
    validated.remember("0" * 64)  # nowhere to write: no error
    validated.forget()


def test_unwritable_cache_directory_only_means_validating(monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(validated.ENV, str(blocker / "sub"))
    validated.forget()
    validated.remember("1" * 64)  # mkdir fails: ignored
    assert validated.is_known("1" * 64)  # still known within this process
    validated.forget()


def test_the_cache_file_is_compacted_when_read(cache) -> None:
    path = cache / validated.FILE_NAME
    path.write_text("".join(f"{i % 3:064x}\n" for i in range(validated._MAX_ENTRIES + 5)))  # repeats
    assert validated.is_known(f"{2:064x}")
    assert sorted(path.read_text().split()) == [f"{i:064x}" for i in range(3)]
    validated.forget()
    path.write_text("".join(f"{i:064x}\n" for i in range(validated._MAX_ENTRIES + 5)))  # too many
    assert not validated.is_known(f"{1:064x}")
    assert path.read_text() == ""


def test_no_home_directory_means_no_cache(monkeypatch) -> None:
    monkeypatch.delenv(validated.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored: not absolute
    monkeypatch.setattr(validated.os.path, "expanduser", lambda path: path)  # "~" stays "~"
    assert validated.cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert str(validated.cache_dir()) == "/somewhere/cache/promptcoach"
