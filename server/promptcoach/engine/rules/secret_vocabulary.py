"""hardcoded-secret's vocabulary and the shapes its detectors share.

The words, places and key patterns come from the ``hardcoded_secret`` section of
the rule texts (:func:`vocabulary`, loaded once); :class:`SecretNoun` and
:class:`Candidate` are what the detectors of :mod:`.secret_literals` and
:mod:`.secret_requests` find, and :func:`message`, :func:`negated` and
:func:`with_determiner` what they all use to word and place a candidate.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.negation import Negations
from promptcoach.engine.phrases import GatedPhrases, PhraseGate, any_substring, phrase_key, phrase_pattern, phrase_regex
from promptcoach.engine.rules.pages import rule_texts

RULE_ID = "hardcoded-secret"
_DETERMINER = regexcache.compile(r"(?:\b(?:the|a|an|my|our|your|this|that|its|their)\s+)$", re.IGNORECASE)
INTO = r"(?:in|into|inside|to)"  # before a place: "in the code", "into config.ts"
SOURCE_EXTENSION = r"\.(?:js|jsx|ts|tsx|mjs|cjs|py|go|java|kt|rb|php|cs|swift|rs|dart|vue|svelte)"
_FILE_NAME = rf"`?[\w./-]+{SOURCE_EXTENSION}`?"


class Noun(NamedTuple):
    suffix: str
    default: str
    needs_owner: bool


class Provider(NamedTuple):
    prefix: str
    names: dict[str, str]  # secret noun suffix -> the provider's own variable name


class KeyPattern(NamedTuple):
    name: str
    env: str
    phrase: str  # what the fix calls it: "the key", "the token"
    hints: tuple[str, ...]  # a match contains one of these
    regex: re.Pattern[str]

    def may_occur_in(self, text: str) -> bool:
        """The cheap test before the regex: ``text`` holds one of the hints."""
        return any(hint in text for hint in self.hints)


class Vocabulary(NamedTuple):
    nouns: dict[str, Noun]  # normalised word -> noun
    noun_regex: re.Pattern[str]
    providers: dict[str, Provider]  # normalised word -> provider
    provider_phrases: GatedPhrases
    not_owners: frozenset[str]
    strong_verbs: GatedPhrases  # .regex inside a sentence; .search on a whole text, words first
    weak_verbs: GatedPhrases
    # phrases searched inside each sentence (``.regex``), skipped in a text their gate rules
    # out (``.may_occur_in``): each search reads the whole of a long sentence
    request_words: GatedPhrases
    code_place: re.Pattern[str]
    safe_places: GatedPhrases
    negations: Negations
    refusals: GatedPhrases
    literal_contexts: GatedPhrases
    not_value: re.Pattern[str]
    key_patterns: tuple[KeyPattern, ...]
    key_hints: re.Pattern[str]  # search: does the text hold a hint of any key pattern?
    key_owner: re.Pattern[str]  # search in the 60 characters before a key literal: "the Stripe key is"
    key_owner_gate: re.Pattern[str]  # the same without its optional start: matches where key_owner does
    prefilter: GatedPhrases  # nouns and strong verbs: can the text ask for a secret at all?
    place_words: PhraseGate  # code places: can the text name one at all?


# The words before a key literal that name it, "the Stripe key is ": an optional
# determiner and owner word, a secret noun, then what may join the noun to the value.
_KEY_OWNER_START = r"(?:\b(?:the|a|an|my|our|your|this)\s+)?(?:[A-Za-z]\w*\s+)?"
_KEY_OWNER_END = r"\s*(?:[:=]\s*|\s+(?:is|of|as|to)\s+|\s+)?[`'\"“]?$"


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = rule_texts().section("hardcoded_secret")
    nouns = {}
    for entry in data["nouns"]:
        noun = Noun(entry["suffix"], entry["default"], bool(entry.get("needs_owner", False)))
        for word in entry["words"]:
            nouns[phrase_key(word)] = noun
    providers = {}
    for entry in data["providers"]:
        provider = Provider(entry["prefix"], dict(entry.get("names", {})))
        for word in entry["words"]:
            providers[phrase_key(word)] = provider
    places = phrase_pattern(data["code_places"])
    code_place = regexcache.compile(
        rf"(?:\s+directly)?\s+{INTO}\s+(?:(?:the|this|that|our|my|a|an|your)\s+)?"
        rf"(?:(?:\w+\s+){{0,2}}{places}|{_FILE_NAME})",
        re.IGNORECASE,
    )
    key_patterns = tuple(
        KeyPattern(k["name"], k["env"], k.get("phrase", "key"), tuple(k["hints"]), regexcache.compile(k["pattern"]))
        for k in data["key_patterns"]
    )
    not_values = data.get("not_values") or ["(?!)"]
    noun_before_key = phrase_pattern(nouns) + _KEY_OWNER_END
    return Vocabulary(
        nouns=nouns,
        noun_regex=phrase_regex(nouns),
        providers=providers,
        provider_phrases=GatedPhrases(providers),
        not_owners=frozenset(w.lower() for w in data.get("not_owners", ())),
        strong_verbs=GatedPhrases(data["strong_verbs"]),
        weak_verbs=GatedPhrases(data["weak_verbs"]),
        request_words=GatedPhrases(data.get("request_words") or ["(?!)"]),
        code_place=code_place,
        safe_places=GatedPhrases(data["safe_places"]),
        negations=Negations(data["negations"]),
        refusals=GatedPhrases(data.get("refusals") or ["(?!)"]),
        literal_contexts=GatedPhrases(data.get("literal_contexts") or ["(?!)"]),
        not_value=regexcache.compile("|".join(f"(?:{p})" for p in not_values)),
        key_patterns=key_patterns,
        key_hints=any_substring(h for k in key_patterns for h in k.hints),
        key_owner=regexcache.compile(_KEY_OWNER_START + noun_before_key, re.IGNORECASE),
        key_owner_gate=regexcache.compile(noun_before_key, re.IGNORECASE),
        prefilter=GatedPhrases([*nouns, *data["strong_verbs"]]),
        place_words=PhraseGate(data["code_places"]),
    )


class SecretNoun(NamedTuple):
    """A secret noun in the prompt with the word before it, if that names an owner."""

    start: int  # of the owner word when there is one, else of the noun
    end: int
    phrase: str  # "Stripe key", "API key"
    env: str


class Candidate(NamedTuple):
    start: int
    end: int
    message_key: str
    replacement: str
    values: dict[str, str]


def message(key: str, **values: str) -> str:
    """The rule's message ``key`` with ``values`` filled in."""
    return rule_texts().rules[RULE_ID].message(key, **values)


def negated(text: str, position: int, floor: int, vocab: Vocabulary) -> bool:
    return vocab.negations.in_words_before(text, position, 4, floor)


DETERMINER_REACH = 8  # characters before a position that with_determiner reads


def with_determiner(text: str, position: int) -> int:
    determiner = _DETERMINER.search(text[max(0, position - DETERMINER_REACH) : position])
    return position - len(determiner.group()) if determiner else position
