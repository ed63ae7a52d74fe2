"""hardcoded-secret's sentence detectors: a request to put a secret in the code,
strong ("hardcode the Stripe key") or weak ("paste the token in config.ts", when
the sentence names no safe place), and a value spelled out after a secret noun
("use password 'hunter2'"). Each works on one sentence and its secret nouns
(:func:`sentence_nouns`), named after their owner (``STRIPE_SECRET_KEY``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate

from promptcoach.engine import regexcache
from promptcoach.engine.phrases import phrase_key, text_words
from promptcoach.engine.rules.secret_vocabulary import (
    DETERMINER_REACH,
    INTO,
    SOURCE_EXTENSION,
    Candidate,
    Noun,
    Provider,
    SecretNoun,
    Vocabulary,
    message,
    negated,
    with_determiner,
)
from promptcoach.engine.rules.spans import match_case

_WINDOW = 48  # characters between a verb and its secret noun (about six words)
_AUX = regexcache.compile(r"\s+(?:is|are|gets|get|be|being|been|was|were)\s+", re.IGNORECASE)
_IMPERATIVE = regexcache.compile(
    r"^(?:hard[\s-]?code|embed|inline|put|paste|write|store|place|include|commit|keep|save|add|insert|copy|stick|leave)$",
    re.IGNORECASE,
)
_LITERAL = regexcache.compile(
    r"""(?:\s*[:=]\s*|\s+(?:is|of|as|to|equal\s+to|set\s+to)\s+|\s+)"""
    r"""(?:'(?P<v>[^'\n]{1,200})'|"(?P<dv>[^"\n]{1,200})"|“(?P<sv>[^”\n]{1,200})”)"""
    r"""|\s*[:=]\s*`(?P<bv>[^`\n]{1,200})`"""
    r"""|\s*[:=]\s*(?P<uv>[^\s,;'"`]{4,200})"""
    # unquoted after the noun or "is": only what looks like a secret, letters and digits
    r"""|(?:\s+(?:is|equals)\s+|\s+)(?P<wv>(?=[^\s,;'"`]*\d)(?=[^\s,;'"`]*[A-Za-z])[^\s,;'"`/:]{6,200}?)(?=[.,;:!?)]*(?:\s|$))"""
)
# An unquoted word with letters and digits that is still no secret: a hyphenated word
# ("base64url-encoded", "1password-managed"), a number with its unit ("12chars"), a
# version or a dotted name ("v2.1", "gpt-4o").
_NOT_A_BARE_SECRET = regexcache.compile(r"-[a-z]{3,}|^\d+[a-z]+$|^v?\d+(?:\.\d+)+$|\.|^[a-z]+-\d", re.IGNORECASE)
_PLACE_START = regexcache.compile(rf"\s{INTO}\s", re.IGNORECASE)  # what every code_place match holds
_VALUE_START = regexcache.compile("[:='\"“]")  # what a spelled-out value (_LITERAL) needs after its noun
_API = regexcache.compile(r"\bapi\b", re.IGNORECASE)
_HAS_SOURCE_EXTENSION = regexcache.compile(SOURCE_EXTENSION, re.IGNORECASE)  # as code_place reads it


# How far before the end of its secret noun a spelled-out value's candidate can start:
# the owner word is searched in the 30 characters before the noun, the determiner
# ("the ") in the 8 before that. A request of a later sentence starts at most 8
# characters (a determiner) before that sentence.
REACH_BACK = 30 + DETERMINER_REACH


def may_ask(text: str, vocab: Vocabulary) -> bool:
    """Whether shapes 2-4 can occur at all, checked on the whole text: each needs its
    trigger somewhere in a sentence (a strong verb; a weak verb and the preposition
    that starts a place in the code, " in the file"; a ``:``, ``=`` or quote after the
    noun). A match inside a sentence is a match in the text, since sentences end at
    punctuation or a line break, where the phrases' look-aheads read the same. Most
    prompts that name a key or a password have none of these, and skip the
    sentence-by-sentence work. (Each search here is linear: the place pattern itself,
    tried at every blank of a long run of blanks, would not be.)"""
    # the strong verbs first: their word gate usually answers at once, and when it lets
    # them through one occurs, while the word-by-word test reads the whole text
    return bool(
        vocab.strong_verbs.search(text)
        or _VALUE_START.search(text)
        or _has_secretish_word(text)
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


_LONG_WORD = regexcache.compile(r"\S{6,}")  # the words of six characters or more, as str.split() splits


def _may_name_place(text: str, vocab: Vocabulary) -> bool:
    """A code place needs one of its words ("code", "repo" ...) or a source file name."""
    return vocab.place_words.admits(text_words(text)) or _HAS_SOURCE_EXTENSION.search(text) is not None


def sentence_nouns(text: str, start: int, end: int, vocab: Vocabulary) -> Iterator[SecretNoun]:
    """The secret nouns of the sentence ``text[start:end]``, in text order (their
    matches', see :data:`REACH_BACK`)."""
    sentence = text[start:end]
    sentence_provider = _sentence_provider(text, sentence, vocab)
    strong = vocab.strong_verbs.regex.search(sentence) is not None
    # Whether a bare "key" may stand for a credential here; and where the sentence's first
    # word starts (an owner word there is no proper name). Both read the sentence once.
    owner_implied = strong and (sentence_provider is not None or _API.search(sentence) is not None)
    first_word_start = start + len(sentence) - len(sentence.lstrip())
    for match in vocab.noun_regex.finditer(text, start, end):
        noun = vocab.nouns.get(phrase_key(match.group()))
        if noun is None:  # a regex-only case-insensitive match ("İ" for "i"): not the word
            continue
        owner = _owner_before(text, max(start, match.start() - 30), match.start())
        owner_word = owner[0] if owner else ""
        provider = vocab.providers.get(owner_word.lower())
        first_word = owner is None or owner[1] <= first_word_start
        named = provider is not None or _proper_name(owner_word, first_word, vocab)
        if noun.needs_owner and provider is None and not named and not owner_implied:
            continue
        if provider is None and not named:
            provider = sentence_provider
        env = _env_name(noun, provider, owner_word.upper() if named and provider is None else None)
        phrase_start = owner[1] if named and owner is not None else match.start()
        yield SecretNoun(phrase_start, match.end(), text[phrase_start : match.end()], env)


# the word right before a secret noun, "([A-Za-z][\w.]*)[\s-]+$", read backwards from the noun
_OWNER_BACKWARDS = regexcache.compile(r"[\s-]+([\w.]*[A-Za-z])")


def _owner_before(text: str, window: int, end: int) -> tuple[str, int] | None:
    """The word right before a secret noun that starts at ``end`` (letters, digits, "_"
    and ".", a letter first; then blanks or hyphens up to the noun), in ``text[window:end]``,
    and where it starts. Read backwards from the noun, the one start that fits is found
    without trying every other (a search for the word at the end tried each in turn)."""
    backwards = text[window:end][::-1]
    found = _OWNER_BACKWARDS.match(backwards)
    if found is None:
        return None
    return found.group(1)[::-1], end - found.end(1)


def _proper_name(word: str, first_word: bool, vocab: Vocabulary) -> bool:
    """A capitalised name ("Mailchimp key") or acronym ("SMTP password") not at the
    start of its sentence, that is not a determiner or a secret word itself."""
    if not word.isalnum() or word.lower() in vocab.not_owners or word.lower() in vocab.nouns:
        return False
    return (len(word) > 1 and word.isupper()) or (word[:1].isupper() and not first_word)


def _sentence_provider(text: str, sentence: str, vocab: Vocabulary) -> Provider | None:
    """The provider the sentence names first. (No provider word in ``text`` at all: none in
    the sentence, which has a non-word character or nothing on each side in ``text``.)"""
    if not vocab.provider_phrases.may_occur_in(text):
        return None
    match = vocab.provider_phrases.regex.search(sentence)
    return vocab.providers.get(phrase_key(match.group())) if match else None


def _env_name(noun: Noun, provider: Provider | None, owner: str | None) -> str:
    if noun.suffix == "DATABASE_URL":
        return noun.suffix
    if provider is not None:
        return provider.names.get(noun.suffix, f"{provider.prefix}_{noun.suffix}")
    if owner:
        return f"{re.sub(r'[^A-Z0-9]+', '_', owner).strip('_')}_{noun.suffix}"
    return noun.default


def strong_requests(text: str, start: int, end: int, near: NearNouns, vocab: Vocabulary) -> Iterator[Candidate]:
    """The strong requests of the sentence ``text[start:end]``, verb by verb. Each starts
    at or before its verb (the caller stops early on that, see :meth:`NearNouns.reach_before`)."""
    # (``end`` ends a sentence: a phrase the text's words rule out matches in none of it)
    refusal = _LaterMatch(vocab.refusals.regex, text, end, vocab.refusals.may_occur_in(text))
    request_word = _EarlierMatch(vocab.request_words.regex, text, start, end, vocab.request_words.may_occur_in(text))
    for verb in vocab.strong_verbs.regex.finditer(text, start, end):
        # what the verb asks first: most verbs of a long sentence of them have no noun
        # near or no request word, and need not be read for a negation or refusal
        found = _verb_request(verb, near, request_word)
        if found is None or negated(text, verb.start(), start, vocab) or refusal.after(verb.end()):
            continue
        noun, shape = found
        if shape != "after":
            place = vocab.code_place.match(text, noun.end, end)
            span_end = place.end() if place else noun.end
            if shape == "imperative":
                yield _request(text, verb.start(), span_end, noun, "imperative_replacement")
            else:
                yield _request(text, with_determiner(text, verb.start()), span_end, noun, "noun_replacement")
        else:
            place = vocab.code_place.match(text, verb.end(), end)
            span_end = place.end() if place else verb.end()
            aux = _AUX.match(text, noun.end, verb.start())
            if aux and aux.end() == verb.start():  # "the API key is hardcoded"
                yield _request(text, verb.start(), span_end, noun, "passive_replacement")
            else:  # "the key hardcoded in the file"
                yield _request(text, with_determiner(text, noun.start), span_end, noun, "noun_replacement")


def _verb_request(verb: re.Match[str], near: NearNouns, request_word: _EarlierMatch) -> tuple[SecretNoun, str] | None:
    """The secret noun a strong verb asks to hardcode, and how: ``"imperative"`` ("hardcode
    the API key"), ``"attributive"`` ("use a hardcoded API key": a request word before
    it) or ``"after"`` (the noun before the verb: "the API key is hardcoded"); None."""
    noun = near.first_after(verb.end())
    if noun is not None:
        if _IMPERATIVE.match(verb.group()):
            return noun, "imperative"
        return (noun, "attributive") if request_word.before(verb.start()) else None
    noun = near.last_before(verb.start())
    return None if noun is None else (noun, "after")


class NearNouns:
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
        self._least_starts: list[int] | None = None  # least start of nouns[i:], see reach_before

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

    def reach_before(self, position: int) -> int:
        """A position at or before which every strong request of a verb that starts at or
        after ``position`` starts: the verb, or the noun before it that :meth:`last_before`
        gives (one that ends at most :data:`_WINDOW` before it), less a determiner."""
        if self._least_starts is None:
            self._least_starts = list(accumulate(reversed(self.starts), min))[::-1]
        index = bisect_left(self.ends, position - _WINDOW)
        least = self._least_starts[index] if index < len(self.nouns) else position
        return min(position, least) - DETERMINER_REACH


class _LaterMatch:
    """Whether ``regex`` matches somewhere in ``text[position:end]``, asked for growing
    positions (a sentence's verbs in turn). The leftmost match from one position is
    also the leftmost from any later position up to its start, and no match from one
    position means none from a later one: the sentence is searched about once, not to
    its end once a verb."""

    def __init__(self, regex: re.Pattern[str], text: str, end: int, possible: bool = True) -> None:
        self.regex, self.text, self.end = regex, text, end
        self.possible = possible  # False: the caller knows ``regex`` matches nowhere before ``end``
        self.searched_from = -1  # the position of the last search; -1: none yet
        self.found: re.Match[str] | None = None  # what it found

    def after(self, position: int) -> bool:
        if not self.possible:
            return False
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

    def __init__(self, regex: re.Pattern[str], text: str, start: int, end: int, possible: bool = True) -> None:
        self.regex, self.text, self.start, self.end = regex, text, start, end
        # possible=False: the caller knows ``regex`` matches nowhere in text[start:end],
        # so the leftmost match is known without a search
        self.searched = not possible
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


_WORD_CHAR = regexcache.compile(r"\w")


def weak_requests(text: str, start: int, end: int, near: NearNouns, vocab: Vocabulary) -> list[Candidate]:
    if not near.nouns or vocab.safe_places.search_in(text, start, end):
        return []
    found = []
    for verb in vocab.weak_verbs.finditer_in(text, start, end):
        noun = near.first_after(verb.end())
        if noun is None or negated(text, verb.start(), start, vocab):
            continue
        place = vocab.code_place.match(text, noun.end, end)
        if place is None:
            continue
        found.append(_request(text, verb.start(), place.end(), noun, "imperative_replacement"))
    return found


def only_strong_requests(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """Whether the sentence ``text[start:end]`` can hold no weak request (it has no weak
    verb) and no spelled-out value (:func:`spelled_out` finds none: a literal context
    rules them out, else each needs a ``:``, ``=`` or quote, or an unquoted word of six
    characters or more with letters and digits, as :data:`_LITERAL` reads them)."""
    if vocab.weak_verbs.search_in(text, start, end):
        return False
    if vocab.literal_contexts.search_in(text, start, end):
        return True
    return not (_VALUE_START.search(text, start, end) or _has_secretish_word(text[start:end]))


def spelled_out(
    text: str, start: int, end: int, nouns: Iterable[SecretNoun], vocab: Vocabulary
) -> Iterator[tuple[Candidate, int]]:
    """The spelled-out values after ``nouns`` (in text order), each with the end of its noun."""
    if vocab.literal_contexts.search_in(text, start, end):
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
        if negated(text, noun.start, start, vocab):
            continue
        span_start = with_determiner(text, noun.start)
        replacement = _replacement("noun_replacement", noun)
        values = {"secret": "the " + noun.phrase, "env": noun.env}
        candidate = Candidate(
            span_start, literal.end(), "literal", match_case(text[span_start : span_start + 1], replacement), values
        )
        yield candidate, noun.end


def _replacement(key: str, noun: SecretNoun) -> str:
    return message(key, secret=noun.phrase, env=noun.env)


def _request(text: str, start: int, end: int, noun: SecretNoun, template: str) -> Candidate:
    replacement = match_case(text[start : start + 1], _replacement(template, noun))
    return Candidate(start, end, "request", replacement, {"secret": "the " + noun.phrase, "env": noun.env})
