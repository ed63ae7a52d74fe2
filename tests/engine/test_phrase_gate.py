"""The word gate in front of the rules' phrase regexes: it may let a text through
that has no phrase, never the other way round. A phrase counts when the regex
matches and the matched text is the phrase (``phrase_key``): IGNORECASE alone also
takes the Turkish "ı" and "İ" for "i", and "kınd" is not the word "kind"."""

from __future__ import annotations

import random

import pytest

from bench.generate import prompt
from promptcoach.engine.phrases import PhraseGate, phrase_key, phrase_regex, text_words
from promptcoach.engine.rules import hardcoded_secret, vague_term
from promptcoach.engine.rules.pages import rule_texts


def test_gate_needs_every_word_of_some_phrase() -> None:
    gate = PhraseGate(["and so on", "stuff", "don't"])
    assert gate.admits(text_words("Tables and so on."))
    assert gate.admits(text_words("STUFF"))
    assert gate.admits(text_words("I don’t know"))  # typographic apostrophe
    assert not gate.admits(text_words("Tables and so."))  # "on" is missing
    assert not gate.admits(text_words("Make a posts table."))


def test_phrase_without_words_disables_the_gate() -> None:
    assert PhraseGate(["..."]).admits(frozenset())


def test_text_words_follows_the_text_it_is_asked_about() -> None:
    assert text_words("Stuff here") == {"stuff", "here"}
    assert text_words("other words") == {"other", "words"}


def _texts() -> list[str]:
    rng = random.Random(7)
    texts = [prompt(rng) for _ in range(3000)]
    # phrases glued to punctuation, hyphens, case and apostrophe variants
    texts += [
        "Handle it, etc.",
        "and-so-on",
        "SOME KIND OF table",
        "stuff's",
        "(somehow)",
        "the password_hash",
        "Store passwords in plain text",
        "hard-code the Stripe API key",
        "put the api key in config.ts",
        "Use whatever works.",
        "ſtuff",
        "passwds in clear",
        "Embed the secret in the client.",
        "HARDCODED credentials",
        "Hard code the token",
        "Nİce stuff",
        "ımprove it properly",
        "some kınd of table",
        "Handle İt",
        "the passİword",
    ]
    return texts


@pytest.mark.parametrize(
    "phrases",
    [
        pytest.param(lambda: list(vague_term.vocabulary().terms), id="vague terms"),
        pytest.param(lambda: list(hardcoded_secret.vocabulary().nouns), id="secret nouns"),
        pytest.param(lambda: rule_texts().section("plaintext_password")["password_words"], id="password words"),
        pytest.param(lambda: rule_texts().section("hardcoded_secret")["strong_verbs"], id="secret verbs"),
    ],
)
def test_gate_never_rejects_a_text_the_regex_matches(phrases) -> None:
    words = phrases()
    gate, regex, keys = PhraseGate(words), phrase_regex(words), {phrase_key(w) for w in words}
    matched = 0
    for text in _texts():
        if any(phrase_key(m.group()) in keys for m in regex.finditer(text)):
            matched += 1
            assert gate.admits(text_words(text)), text
    assert matched >= 3  # the sample does exercise the regex


@pytest.mark.parametrize("text", ["Make some kınd of table.", "Handle İt.", "Store the ımportant key in config.ts"])
def test_dotless_and_dotted_i_do_not_break_the_rules(text) -> None:
    from promptcoach.engine.analyze import Engine

    analysis = Engine().analyze(text + "\n", "a.prompt.md")  # no KeyError
    assert all(f.rule != "vague-term" for f in analysis.all_findings())


def test_gated_phrases_find_what_the_regex_finds() -> None:
    """Behind the gate, and on lower-cased ASCII text, the counted matches are the plain
    case-insensitive regex's, at the same offsets."""
    from promptcoach.engine.phrases import GatedPhrases

    words = list(vague_term.vocabulary().terms)
    gated, keys = GatedPhrases(words), {phrase_key(w) for w in words}

    def counted(matches):
        return [m.span() for m in matches if phrase_key(m.group()) in keys]

    found = 0
    for text in _texts():
        expected = counted(gated.regex.finditer(text))
        assert counted(gated.finditer(text)) == expected, text
        assert (gated.search(text) is not None) >= bool(expected), text
        found += len(expected)
    assert found > 100
