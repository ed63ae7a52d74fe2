"""hardcoded-secret: the prompt asks to write a key, password or token into the code.

Four shapes are found, in this order of precedence when they overlap:

1. a literal that looks like a real credential (``sk_live_...``, ``AKIA...``, a
   database URL with a password) anywhere in the prompt;
2. a strong request: "hardcode"/"embed"/"inline" near a secret noun
   ("hardcode the Stripe key", "with a hard-coded API key");
3. a weak request: "put"/"paste"/"store" a secret "in the file/code/repo", when the
   sentence names no safe place (environment variable, vault ...);
4. a spelled-out value after a secret noun ("use password 'hunter2'",
   ``API_KEY=abc123``), unless the sentence is about tests, seeds or examples.

Negations ("never hardcode", "remove the hardcoded key") and questions are not
findings. The fix rewrites the request to read the secret from an environment
variable whose name comes from the owner of the secret (``STRIPE_SECRET_KEY``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from promptcoach.engine import regexcache
from promptcoach.engine.model import Finding, Fix
from promptcoach.engine.rules.base import Rule, RuleContext
from promptcoach.engine.rules.texts import rule_texts
from promptcoach.engine.rules.textutil import (
    GatedPhrases,
    PhraseGate,
    any_substring,
    match_case,
    phrase_key,
    phrase_pattern,
    phrase_regex,
    sentences,
    text_words,
    words_before,
)

RULE_ID = "hardcoded-secret"
_WINDOW = 48  # characters between a verb and its secret noun (about six words)
_DETERMINER = re.compile(r"(?:\b(?:the|a|an|my|our|your|this|that|its|their)\s+)$", re.IGNORECASE)
_AUX = re.compile(r"\s+(?:is|are|gets|get|be|being|been|was|were)\s+", re.IGNORECASE)
_IMPERATIVE = re.compile(
    r"^(?:hard[\s-]?code|embed|inline|put|paste|write|store|place|include|commit|keep|save|add|insert|copy|stick|leave)$",
    re.IGNORECASE,
)
_LITERAL = re.compile(
    r"""(?:\s*[:=]\s*|\s+(?:is|of|as|to|equal\s+to|set\s+to)\s+|\s+)"""
    r"""(?:'(?P<v>[^'\n]{1,200})'|"(?P<dv>[^"\n]{1,200})"|“(?P<sv>[^”\n]{1,200})”)"""
    r"""|\s*[:=]\s*`(?P<bv>[^`\n]{1,200})`"""
    r"""|\s*[:=]\s*(?P<uv>[^\s,;'"`]{4,200})"""
    # unquoted after the noun or "is": only what looks like a secret, letters and digits
    r"""|(?:\s+(?:is|equals)\s+|\s+)(?P<wv>(?=[^\s,;'"`]*\d)(?=[^\s,;'"`]*[A-Za-z])[^\s,;'"`/:]{6,200}?)(?=[.,;:!?)]*(?:\s|$))"""
)
# NAME=value: a configuration name that ends in a secret word (API_KEY, stripeSecret, db_password)
_ASSIGNMENT_HINT = re.compile(r"(?:key|secret|token|password|passwd|pass|pwd|credentials?)\s*[:=]")  # lower-cased
_ASSIGNMENT = re.compile(
    r"""(?<![\w$.])(?P<name>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)\s*[:=]\s*"""
    r"""(?:'(?P<v>[^'\n]{1,200})'|"(?P<dv>[^"\n]{1,200})"|`(?P<bv>[^`\n]{1,200})`|(?P<uv>[^\s,;'"`]{3,200}))"""
)
# An unquoted word with letters and digits that is still no secret: a hyphenated word
# ("base64url-encoded", "1password-managed"), a number with its unit ("12chars"), a
# version or a dotted name ("v2.1", "gpt-4o").
_NOT_A_BARE_SECRET = re.compile(r"-[a-z]{3,}|^\d+[a-z]+$|^v?\d+(?:\.\d+)+$|\.|^[a-z]+-\d", re.IGNORECASE)
_CODE_VALUE = re.compile(r"[().\[\]{}]")  # a call, a member, an index: code, not a value
_SECRET_NAME = re.compile(r"(?:key|secret|token|password|passwd|pass|pwd|credentials?)$", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_INTO = r"(?:in|into|inside|to)"  # before a place: "in the code", "into config.ts"
_PLACE_START = re.compile(rf"\s{_INTO}\s", re.IGNORECASE)  # what every code_place match holds
_VALUE_START = re.compile("[:='\"“]")  # what a spelled-out value (_LITERAL) needs after its noun
_API = re.compile(r"\bapi\b", re.IGNORECASE)
_SOURCE_EXTENSION = r"\.(?:js|jsx|ts|tsx|mjs|cjs|py|go|java|kt|rb|php|cs|swift|rs|dart|vue|svelte)"
_FILE_NAME = rf"`?[\w./-]+{_SOURCE_EXTENSION}`?"
_HAS_SOURCE_EXTENSION = re.compile(_SOURCE_EXTENSION, re.IGNORECASE)  # as code_place reads it


@dataclass(frozen=True)
class Noun:
    suffix: str
    default: str
    needs_owner: bool


@dataclass(frozen=True)
class Provider:
    prefix: str
    names: dict[str, str]  # secret noun suffix -> the provider's own variable name


@dataclass(frozen=True)
class KeyPattern:
    name: str
    env: str
    phrase: str  # what the fix calls it: "the key", "the token"
    hints: tuple[str, ...]  # a match contains one of these
    regex: re.Pattern[str]

    def may_occur_in(self, text: str) -> bool:
        """The cheap test before the regex: ``text`` holds one of the hints."""
        return any(hint in text for hint in self.hints)


@dataclass(frozen=True)
class Vocabulary:
    nouns: dict[str, Noun]  # normalised word -> noun
    noun_regex: re.Pattern[str]
    providers: dict[str, Provider]  # normalised word -> provider
    provider_regex: re.Pattern[str]
    not_owners: frozenset[str]
    strong_verbs: GatedPhrases  # .regex inside a sentence; .search on a whole text, words first
    weak_verbs: GatedPhrases
    request_words: re.Pattern[str]
    code_place: re.Pattern[str]
    safe_places: re.Pattern[str]
    negations: re.Pattern[str]
    refusals: re.Pattern[str]
    literal_contexts: re.Pattern[str]
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
        rf"(?:\s+directly)?\s+{_INTO}\s+(?:(?:the|this|that|our|my|a|an|your)\s+)?"
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
        provider_regex=phrase_regex(providers),
        not_owners=frozenset(w.lower() for w in data.get("not_owners", ())),
        strong_verbs=GatedPhrases(data["strong_verbs"]),
        weak_verbs=GatedPhrases(data["weak_verbs"]),
        request_words=phrase_regex(data.get("request_words") or ["(?!)"]),
        code_place=code_place,
        safe_places=phrase_regex(data["safe_places"]),
        negations=phrase_regex(data["negations"]),
        refusals=phrase_regex(data.get("refusals") or ["(?!)"]),
        literal_contexts=phrase_regex(data.get("literal_contexts") or ["(?!)"]),
        not_value=regexcache.compile("|".join(f"(?:{p})" for p in not_values)),
        key_patterns=key_patterns,
        key_hints=any_substring(h for k in key_patterns for h in k.hints),
        key_owner=regexcache.compile(_KEY_OWNER_START + noun_before_key, re.IGNORECASE),
        key_owner_gate=regexcache.compile(noun_before_key, re.IGNORECASE),
        prefilter=GatedPhrases([*nouns, *data["strong_verbs"]]),
        place_words=PhraseGate(data["code_places"]),
    )


@dataclass(frozen=True)
class SecretNoun:
    """A secret noun in the prompt with the word before it, if that names an owner."""

    start: int  # of the owner word when there is one, else of the noun
    end: int
    phrase: str  # "Stripe key", "API key"
    env: str


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    message_key: str
    replacement: str
    values: dict[str, str]


def find_secrets(text: str, limit: int = 0) -> list[Candidate]:
    """Every request or literal the rule reports in ``text``, without overlaps. ``limit``
    (0: none): each kind of search stops after that many, in text order (the rule keeps
    at most ``maxProblems`` findings of a prompt anyway, and finding one costs tens of µs)."""
    vocab = vocabulary()
    # Overlaps go, also between key literals ("sk-ant-..." is an Anthropic key, not
    # also an OpenAI "sk-..." one): the first pattern listed wins. Each candidate is
    # kept or not as it is found, in that order (earlier shapes win).
    kept = _Kept()
    kept.add_all(_assignments(text, vocab, limit))  # before key literals: `STRIPE_KEY=sk_live_...` goes whole
    kept.add_all(_key_literals(text, vocab, limit))
    requests = 0
    for start, end in sentences(text) if vocab.prefilter.search(text) and _may_ask(text, vocab) else ():
        if limit and requests >= limit:
            break
        if text[end : end + 1] == "?":
            continue  # a question about secrets is not a request
        if vocab.strong_verbs.regex.search(text, start, end) or vocab.weak_verbs.regex.search(text, start, end):
            listed = list(_nouns(text, start, end, vocab))
            near = _NearNouns(listed)
            nouns: Iterable[SecretNoun] = listed
            requests += kept.add_all(_strong_requests(text, start, end, near, vocab))
            requests += kept.add_all(_weak_requests(text, start, end, near, vocab))
        else:  # no verb for a request: the nouns are read one by one, for spelled-out values only
            nouns = _nouns(text, start, end, vocab)
        for candidate, noun_end in _spelled_out(text, start, end, nouns, vocab):
            kept.add(candidate)
            requests += 1
            # Every candidate still to come starts at or after noun_end - _REACH_BACK (a
            # later noun of this sentence, or a later sentence): with `limit` kept ones
            # before that, none of them can be among the first `limit` kept, and none
            # can take a kept one's place. (A sentence that names a token on each of
            # thousands of lines stops there, not at its end.)
            if limit and kept.before(noun_end - _REACH_BACK) >= limit:
                return kept.candidates
    return kept.candidates


# How far before the end of its secret noun a spelled-out value's candidate can start:
# the owner word is searched in the 30 characters before the noun, the determiner
# ("the ") in the 8 before that. A request of a later sentence starts at most 8
# characters (a determiner) before that sentence.
_REACH_BACK = 30 + 8


class _Kept:
    """The candidates kept so far, by position, none overlapping: a candidate that
    overlaps one kept before it is dropped (earlier shapes win)."""

    __slots__ = ("candidates", "starts")

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.starts: list[int] = []

    def add(self, candidate: Candidate) -> None:
        kept, starts = self.candidates, self.starts
        index = bisect_right(starts, candidate.start)
        if (index == 0 or kept[index - 1].end <= candidate.start) and (
            index == len(kept) or candidate.end <= kept[index].start
        ):
            kept.insert(index, candidate)
            starts.insert(index, candidate.start)

    def add_all(self, candidates: list[Candidate]) -> int:
        for candidate in candidates:
            self.add(candidate)
        return len(candidates)

    def before(self, position: int) -> int:
        """How many kept candidates start before ``position``."""
        return bisect_left(self.starts, position)


def _may_ask(text: str, vocab: Vocabulary) -> bool:
    """Whether shapes 2-4 can occur at all, checked on the whole text: each needs its
    trigger somewhere in a sentence (a strong verb; a weak verb and the preposition
    that starts a place in the code, " in the file"; a ``:``, ``=`` or quote after the
    noun). A match inside a sentence is a match in the text, since sentences end at
    punctuation or a line break, where the phrases' look-aheads read the same. Most
    prompts that name a key or a password have none of these, and skip the
    sentence-by-sentence work. (Each search here is linear: the place pattern itself,
    tried at every blank of a long run of blanks, would not be.)"""
    return bool(
        _VALUE_START.search(text)
        or _has_secretish_word(text)
        or vocab.strong_verbs.search(text)
        or (vocab.weak_verbs.search(text) and _PLACE_START.search(text) and _may_name_place(text, vocab))
    )


def _has_secretish_word(text: str) -> bool:
    """A word of six characters or more with letters and digits, as an unquoted value
    after a secret noun needs ("the password is Tr0ub4dor&3")."""
    for match in _LONG_WORD.finditer(text):
        word = match.group()
        if not word.isalpha() and any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return True  # (a word of letters only, the common case, has no digit: one test)
    return False


_LONG_WORD = re.compile(r"\S{6,}")  # the words of six characters or more, as str.split() splits


def _may_name_place(text: str, vocab: Vocabulary) -> bool:
    """A code place needs one of its words ("code", "repo" ...) or a source file name."""
    return vocab.place_words.admits(text_words(text)) or _HAS_SOURCE_EXTENSION.search(text) is not None


def _nouns(text: str, start: int, end: int, vocab: Vocabulary) -> Iterator[SecretNoun]:
    """The secret nouns of the sentence ``text[start:end]``, in text order (their
    matches', see :data:`_REACH_BACK`)."""
    sentence = text[start:end]
    sentence_provider = _sentence_provider(sentence, vocab)
    strong = vocab.strong_verbs.regex.search(sentence) is not None
    # Whether a bare "key" may stand for a credential here; and where the sentence's first
    # word starts (an owner word there is no proper name). Both read the sentence once.
    owner_implied = strong and (sentence_provider is not None or _API.search(sentence) is not None)
    first_word_start = start + len(sentence) - len(sentence.lstrip())
    for match in vocab.noun_regex.finditer(text, start, end):
        noun = vocab.nouns.get(phrase_key(match.group()))
        if noun is None:  # a regex-only case-insensitive match ("İ" for "i"): not the word
            continue
        window = max(start, match.start() - 30)
        owner = _OWNER.search(text[window : match.start()])
        owner_word = owner.group(1) if owner else ""
        provider = vocab.providers.get(owner_word.lower())
        first_word = owner is None or window + owner.start(1) <= first_word_start
        named = provider is not None or _proper_name(owner_word, first_word, vocab)
        if noun.needs_owner and provider is None and not named and not owner_implied:
            continue
        if provider is None and not named:
            provider = sentence_provider
        env = _env_name(noun, provider, owner_word.upper() if named and provider is None else None)
        phrase_start = match.start() - len(owner.group(0)) if named and owner is not None else match.start()
        yield SecretNoun(phrase_start, match.end(), text[phrase_start : match.end()], env)


_OWNER = re.compile(r"([A-Za-z][\w.]*)[\s-]+$")  # the word right before a secret noun


def _proper_name(word: str, first_word: bool, vocab: Vocabulary) -> bool:
    """A capitalised name ("Mailchimp key") or acronym ("SMTP password") not at the
    start of its sentence, that is not a determiner or a secret word itself."""
    if not word.isalnum() or word.lower() in vocab.not_owners or word.lower() in vocab.nouns:
        return False
    return (len(word) > 1 and word.isupper()) or (word[:1].isupper() and not first_word)


def _sentence_provider(sentence: str, vocab: Vocabulary) -> Provider | None:
    match = vocab.provider_regex.search(sentence)
    return vocab.providers.get(phrase_key(match.group())) if match else None


def _env_name(noun: Noun, provider: Provider | None, owner: str | None) -> str:
    if noun.suffix == "DATABASE_URL":
        return noun.suffix
    if provider is not None:
        return provider.names.get(noun.suffix, f"{provider.prefix}_{noun.suffix}")
    if owner:
        return f"{re.sub(r'[^A-Z0-9]+', '_', owner).strip('_')}_{noun.suffix}"
    return noun.default


def _negated(text: str, position: int, floor: int, vocab: Vocabulary) -> bool:
    return bool(vocab.negations.search(" ".join(words_before(text, position, 4, floor))))


def _strong_requests(text: str, start: int, end: int, near: _NearNouns, vocab: Vocabulary) -> list[Candidate]:
    found = []
    refusal = _LaterMatch(vocab.refusals, text, end)
    request_word = _EarlierMatch(vocab.request_words, text, start, end)
    for verb in vocab.strong_verbs.regex.finditer(text, start, end):
        if _negated(text, verb.start(), start, vocab) or refusal.after(verb.end()):
            continue
        noun = near.first_after(verb.end())  # "hardcode the API key"
        if noun is not None:
            place = vocab.code_place.match(text, noun.end, end)
            span_end = place.end() if place else noun.end
            if _IMPERATIVE.match(verb.group()):
                found.append(_request(text, verb.start(), span_end, noun, "imperative_replacement"))
            elif request_word.before(verb.start()):  # "use a hardcoded API key"
                found.append(_request(text, _with_determiner(text, verb.start()), span_end, noun, "noun_replacement"))
        elif (noun := near.last_before(verb.start())) is not None:  # "the API key is hardcoded"
            place = vocab.code_place.match(text, verb.end(), end)
            span_end = place.end() if place else verb.end()
            aux = _AUX.match(text, noun.end, verb.start())
            if aux and aux.end() == verb.start():  # "the API key is hardcoded"
                found.append(_request(text, verb.start(), span_end, noun, "passive_replacement"))
            else:  # "the key hardcoded in the file"
                found.append(_request(text, _with_determiner(text, noun.start), span_end, noun, "noun_replacement"))
    return found


class _NearNouns:
    """The secret nouns of a sentence that a verb can refer to: the first that starts at
    most :data:`_WINDOW` characters after the verb, the last that ends at most that far
    before it. Found by bisection (comparing every verb with every noun was quadratic in
    a sentence of many requests)."""

    def __init__(self, nouns: list[SecretNoun]) -> None:
        self.nouns = nouns
        self.starts = [noun.start for noun in nouns]
        self.ends = [noun.end for noun in nouns]  # increasing: the nouns' matches do not overlap
        # A noun's phrase may start at an owner word before it; in the rare sentence where
        # that puts it before an earlier noun, "first" is by list order, as a scan finds it.
        self.sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:]))

    def first_after(self, position: int) -> SecretNoun | None:
        if not self.sorted:
            return next((n for n in self.nouns if 0 <= n.start - position <= _WINDOW), None)
        index = bisect_left(self.starts, position)
        if index < len(self.nouns) and self.starts[index] - position <= _WINDOW:
            return self.nouns[index]
        return None

    def last_before(self, position: int) -> SecretNoun | None:
        index = bisect_right(self.ends, position) - 1
        if index >= 0 and position - self.ends[index] <= _WINDOW:
            return self.nouns[index]
        return None


class _LaterMatch:
    """Whether ``regex`` matches somewhere in ``text[position:end]``, asked for growing
    positions (a sentence's verbs in turn). The leftmost match from one position is
    also the leftmost from any later position up to its start, and no match from one
    position means none from a later one: the sentence is searched about once, not to
    its end once a verb."""

    def __init__(self, regex: re.Pattern[str], text: str, end: int) -> None:
        self.regex, self.text, self.end = regex, text, end
        self.searched_from = -1  # the position of the last search; -1: none yet
        self.found: re.Match[str] | None = None  # what it found

    def after(self, position: int) -> bool:
        if (
            self.searched_from < 0
            or position < self.searched_from
            or (self.found is not None and self.found.start() < position)
        ):
            self.found = self.regex.search(self.text, position, self.end)
            self.searched_from = position
        return self.found is not None


class _EarlierMatch:
    """Whether a :func:`phrase_regex` ``regex`` matches inside ``text[start:position]``,
    for positions where a phrase starts (no word character before them). The leftmost
    match of the whole sentence is searched once: it fits when it ends by ``position``;
    no match starts before it, and a match that fits before ``position`` is a match of
    the whole sentence too (its last word ends before a non-word character), so none
    fits when it starts at or after ``position``. Only a match that straddles
    ``position``, or a position inside a word, asks ``text[start:position]`` itself."""

    def __init__(self, regex: re.Pattern[str], text: str, start: int, end: int) -> None:
        self.regex, self.text, self.start, self.end = regex, text, start, end
        self.searched = False
        self.first: re.Match[str] | None = None  # the leftmost match in text[start:end]

    def before(self, position: int) -> bool:
        if position > self.start and _WORD_CHAR.match(self.text, position - 1):
            return self._search_before(position)
        if not self.searched:
            self.first, self.searched = self.regex.search(self.text, self.start, self.end), True
        first = self.first
        if first is None or first.start() >= position:
            return False
        return first.end() <= position or self._search_before(position)

    def _search_before(self, position: int) -> bool:
        return self.regex.search(self.text, self.start, position) is not None


_WORD_CHAR = re.compile(r"\w")


def _weak_requests(text: str, start: int, end: int, near: _NearNouns, vocab: Vocabulary) -> list[Candidate]:
    if not near.nouns or vocab.safe_places.search(text, start, end):
        return []
    found = []
    for verb in vocab.weak_verbs.regex.finditer(text, start, end):
        noun = near.first_after(verb.end())
        if noun is None or _negated(text, verb.start(), start, vocab):
            continue
        place = vocab.code_place.match(text, noun.end, end)
        if place is None:
            continue
        found.append(_request(text, verb.start(), place.end(), noun, "imperative_replacement"))
    return found


def _spelled_out(
    text: str, start: int, end: int, nouns: Iterable[SecretNoun], vocab: Vocabulary
) -> Iterator[tuple[Candidate, int]]:
    """The spelled-out values after ``nouns`` (in text order), each with the end of its noun."""
    if vocab.literal_contexts.search(text, start, end):
        return
    for noun in nouns:
        literal = _LITERAL.match(text, noun.end, end)
        if literal is None:
            continue
        value = next(v for v in literal.group("v", "dv", "sv", "bv", "uv", "wv") if v is not None)
        if literal.group("wv") is not None and _NOT_A_BARE_SECRET.search(value):
            continue  # "sha256-hashed", "12chars", "v2.1": words and measures, not secrets
        if vocab.not_value.fullmatch(value.strip()) or len(value.strip()) < 3:
            continue
        if _negated(text, noun.start, start, vocab):
            continue
        span_start = _with_determiner(text, noun.start)
        replacement = _replacement("noun_replacement", noun)
        values = {"secret": "the " + noun.phrase, "env": noun.env}
        candidate = Candidate(
            span_start, literal.end(), "literal", match_case(text[span_start : span_start + 1], replacement), values
        )
        yield candidate, noun.end


def _assignments(text: str, vocab: Vocabulary, limit: int = 0) -> list[Candidate]:
    """``API_KEY=abc123``, ``stripeSecret: "..."``: a value given to a name that ends in a
    secret word, outside tests and examples and unless the sentence names a safe place
    (``in the .env file``)."""
    if not _may_assign(text):
        return []
    found: list[Candidate] = []
    spans: list[tuple[int, int]] | None = None  # the sentences, cut once when first needed
    starts: list[int] = []
    context_free: dict[tuple[int, int], bool] = {}  # per sentence: no test context, no safe place
    for match in _ASSIGNMENT.finditer(text):
        if limit and len(found) >= limit:
            break
        name = match.group("name")
        value = next(v for v in match.group("v", "dv", "bv", "uv") if v is not None)
        end = match.end()
        if match.group("uv") is not None:
            value = value.rstrip(".,;:!?")
            end = match.start("uv") + len(value)
            if _CODE_VALUE.search(value) or text[end : end + 1] == "(":
                continue  # an expression, not a literal: generate_token(32), settings.API_KEY
        secret_word = _SECRET_NAME.search(name)
        if secret_word is None or len(value.strip()) < 3 or vocab.not_value.fullmatch(value.strip()):
            continue
        if secret_word.group().lower() in _LOOSE_WORDS and not _looks_generated(value):
            continue  # "sortKey: createdAt", "csrfToken: header": a key or token is not always a credential
        if spans is None:
            spans = sentences(text)
            starts = [start for start, _ in spans]
        start, stop = _sentence_around(spans, starts, match.start(), len(text))
        free = context_free.get((start, stop))
        if free is None:
            free = context_free[(start, stop)] = not (
                vocab.literal_contexts.search(text, start, stop) or vocab.safe_places.search(text, start, stop)
            )
        if not free or _negated(text, match.start(), start, vocab):
            continue
        env = _CAMEL.sub("_", name).upper()
        begin = match.start()
        if begin > 0 and text[begin - 1] == "`" and text[end : end + 1] == "`":
            begin, end = begin - 1, end + 1  # `API_KEY=abc123`: the code span goes with it
        replacement = RULE.meta.message("assignment_replacement", env=env)
        if begin == start or text[start:begin].isspace():  # it starts the sentence
            replacement = replacement[:1].upper() + replacement[1:]
        key = next((k for k in vocab.key_patterns if k.may_occur_in(value) and k.regex.search(value)), None)
        if key is not None:  # a real-looking credential: say so, as for a bare one
            found.append(Candidate(begin, end, "key", replacement, {"name": key.name, "env": env}))
            continue
        values = {"secret": f"the value of `{name}`", "env": env}
        found.append(Candidate(begin, end, "literal", replacement, values))
    return found


_LOOSE_WORDS = frozenset(("key", "token"))


def _looks_generated(value: str) -> bool:
    """A value with a digit, or a long one: what a real key or token looks like."""
    return any(c.isdigit() for c in value) or len(value) >= 20


def _may_assign(text: str) -> bool:
    """The cheap gate of :func:`_assignments`."""
    return ("=" in text or ":" in text) and _ASSIGNMENT_HINT.search(text.lower()) is not None


def _sentence_around(spans: list[tuple[int, int]], starts: list[int], position: int, length: int) -> tuple[int, int]:
    """The sentence of ``spans`` (:func:`sentences`, ``starts`` their starts) that holds ``position``."""
    index = bisect_right(starts, position) - 1
    if index >= 0 and position < spans[index][1]:
        return spans[index]
    return 0, length


def _key_literals(text: str, vocab: Vocabulary, limit: int = 0) -> list[Candidate]:
    found: list[Candidate] = []
    if not vocab.key_hints.search(text):
        return found
    for key in vocab.key_patterns:
        if not key.may_occur_in(text):
            continue
        for count, match in enumerate(key.regex.finditer(text)):
            if limit and count >= limit:
                break
            start, end = match.span()
            phrase, name, env = key.phrase, key.name, key.env
            window = text[max(0, start - 60) : start]
            # The gate first: tried at each position of the window, the optional words
            # make the full pattern several times slower, and most keys have no name before them.
            before = vocab.key_owner.search(window) if vocab.key_owner_gate.search(window) else None
            if before:
                phrase = _KEY_PHRASE_TRIM.sub("", before.group())
                start -= len(before.group())
            elif start > 0 and text[start - 1] in "`'\"“":
                start -= 1
            if end < len(text) and text[end] in "`'\"”":
                end += 1
            replacement = RULE.meta.message("noun_replacement", secret=phrase, env=env)
            found.append(
                Candidate(
                    start, end, "key", match_case(text[start : start + 1], replacement), {"name": name, "env": env}
                )
            )
    return found


_KEY_PHRASE_TRIM = re.compile(r"^(?:the|a|an|my|our|your|this)\s+|[\s:=`'\"“]+$|\s+(?:is|of|as|to)$", re.IGNORECASE)


def _with_determiner(text: str, position: int) -> int:
    determiner = _DETERMINER.search(text[max(0, position - 8) : position])
    return position - len(determiner.group()) if determiner else position


def _replacement(key: str, noun: SecretNoun) -> str:
    return RULE.meta.message(key, secret=noun.phrase, env=noun.env)


def _request(text: str, start: int, end: int, noun: SecretNoun, template: str) -> Candidate:
    replacement = match_case(text[start : start + 1], _replacement(template, noun))
    return Candidate(start, end, "request", replacement, {"secret": "the " + noun.phrase, "env": noun.env})


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    meta = RULE.meta
    findings = []
    for candidate in ctx.within_limit(find_secrets(ctx.prompt.text, ctx.settings.max_problems)):
        env = candidate.values["env"]
        message = meta.message(candidate.message_key, **candidate.values)
        fix = Fix(
            meta.message("fix", env=env),
            (ctx.edit(candidate.start, candidate.end, candidate.replacement),),
            preferred=True,
        )
        data = {"kind": candidate.message_key, "env": env, "replacement": candidate.replacement}
        findings.append(ctx.finding(RULE_ID, severity, message, candidate.start, candidate.end, data, (fix,)))
    return findings


def may_find(ctx: RuleContext, words: frozenset[str]) -> bool:
    """The gates of :func:`find_secrets`, on words first: a key literal's hint, or a
    secret noun or strong verb with one of the triggers of :func:`_may_ask`."""
    vocab = vocabulary()
    text = ctx.prompt.text
    return (
        vocab.key_hints.search(text) is not None
        or _may_assign(text)
        or (vocab.prefilter.gate.admits(words) and _may_ask(text, vocab))
    )


RULE = Rule(RULE_ID, check, gate=may_find)
