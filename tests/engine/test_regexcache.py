"""Patterns compiled through the regex cache are the patterns ``re.compile`` makes,
whether generated now or read from an earlier run (a pattern's equality compares
its flags, its source and its code); a damaged entry falls back to ``re.compile``."""

from __future__ import annotations

import json
import re
from array import array

import pytest

from promptcoach.engine import datacache, regexcache
from promptcoach.engine.analyze import Engine


@pytest.fixture()
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv(datacache.ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(regexcache, "_store", regexcache._Store())
    return tmp_path / "cache"


def _patterns_of_a_run(monkeypatch) -> list[tuple[str, int]]:
    """Every (source, flags) the engine compiles through the cache while building
    its vocabularies and analysing a few prompts."""
    seen: list[tuple[str, int]] = []
    real = regexcache.compile

    def spying(source, flags=0):
        seen.append((source, int(flags)))
        return real(source, flags)

    monkeypatch.setattr(regexcache, "compile", spying)  # every caller looks it up on the module
    engine = Engine()
    for text in (
        "Make a posts table.",
        "Store the API key sk-live-123 in the config file and keep passwords in plain text.",
        "Add a fast, simple login endpoint that is robust.",
    ):
        engine.analyze(text, "a.prompt.md", explicit=True)
    monkeypatch.setattr(regexcache, "compile", real)
    return seen


def test_every_cached_pattern_equals_what_re_compile_makes(fresh_store, monkeypatch) -> None:
    from promptcoach.engine.knowledge.loader import builtin_knowledge
    from promptcoach.engine.rules import hardcoded_secret, plaintext_password, vague_term

    for cached in (
        builtin_knowledge,
        vague_term.vocabulary,
        plaintext_password.vocabulary,
        hardcoded_secret.vocabulary,
    ):
        cached.cache_clear()  # built again in this test, through the spy
    patterns = _patterns_of_a_run(monkeypatch)
    assert len(set(patterns)) >= 20  # the vocabularies and the knowledge base's patterns
    regexcache._store.save()
    assert (fresh_store / datacache.FORMAT).is_dir()

    generated = regexcache._Store()  # a later run: the code comes from the entry
    monkeypatch.setattr(regexcache, "_store", generated)
    for source, flags in set(patterns):
        assert generated.get(f"{flags}:{source}") is not None, source[:60]
        assert regexcache.compile(source, flags) == re.compile(source, flags), source[:60]
    assert not generated.changed  # nothing had to be compiled again


def test_a_pattern_behaves_the_same_from_the_cache(fresh_store, monkeypatch) -> None:
    source = r"\b(?P<verb>store|keep)s?\s+(?:the\s+)?(?P<what>api key|password)\b"
    regexcache.compile(source, re.IGNORECASE)
    regexcache._store.save()
    monkeypatch.setattr(regexcache, "_store", regexcache._Store())
    pattern = regexcache.compile(source, re.IGNORECASE)
    assert pattern == re.compile(source, re.IGNORECASE)
    match = pattern.search("Please STORE the Password here")
    assert match and match.group("verb", "what") == ("STORE", "Password")
    assert pattern.groupindex == {"verb": 1, "what": 2}


def test_damaged_code_falls_back_to_re_compile(fresh_store, monkeypatch) -> None:
    source = r"(?:alpha|beta)+\d{2,4}"
    regexcache.compile(source)
    regexcache._store.save()
    (entry,) = (fresh_store / datacache.FORMAT).glob("*.json")
    stored = json.loads(entry.read_text())
    refused = array(regexcache._CODE_TYPE, [999, 1, 2, 3]).tobytes().hex()  # code the regex engine refuses
    for damaged in (refused, "not hexadecimal", [999, 1, 2, 3], refused[:-1]):
        stored["data"][f"0:{source}"][1] = damaged
        entry.write_text(json.dumps(stored))
        monkeypatch.setattr(regexcache, "_store", regexcache._Store())
        pattern = regexcache.compile(source)
        assert pattern == re.compile(source)
        assert pattern.fullmatch("alphabeta123")


def test_another_python_never_reads_the_entry(fresh_store, monkeypatch) -> None:
    regexcache.compile(r"x+y")
    regexcache._store.save()
    monkeypatch.setattr(regexcache, "_ENGINE", "cpython-9.99-0-4")
    other = regexcache._Store()
    assert other.get("0:x+y") is None


def test_a_built_source_is_reused_only_for_the_same_inputs(fresh_store, monkeypatch) -> None:
    from promptcoach.engine.phrases import phrase_pattern

    words = ("rate limit", "don't", "api key")
    first = phrase_pattern(words)
    regexcache._store.save()
    later = regexcache._Store()  # a later run reads the entry
    monkeypatch.setattr(regexcache, "_store", later)
    calls: list[str] = []

    def build() -> str:
        calls.append("built")
        return "unused"

    assert regexcache.built_source(words, build) == first  # read back, not built
    assert calls == []
    assert phrase_pattern(words + ("webhook",)) != first  # other words: built afresh
    assert re.compile(first, re.IGNORECASE).search("keep the rate-limit low")
    for name in list(later.codes):  # a damaged entry (not a string) is built again
        if name.startswith("source:"):
            later.codes[name] = ["not", "a", "source"]
    assert regexcache.built_source(words, build) == "unused"
    assert calls == ["built"]
