"""What a prompt is about ("posts", "stock price data"), and the names made from it:
``posts`` -> ``Post``. Expansion fills its ``{model}`` and ``{resource}`` slots with
these (see :mod:`promptcoach.engine.expand`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from promptcoach.engine import regexcache
from promptcoach.engine.model import Match, starting_before
from promptcoach.engine.taskwords import is_task_verb

_SKIP = frozenset(
    "a an the new some all any each every my our your their its this that these those single "
    "user's users' up simple basic i we you me us it they please just also quick only "
    "app application project system backend site website platform".split()
)
_PREPOSITIONS = frozenset("to for from with by in on at of into via using about between like".split())
_ENDS = frozenset(
    "and or that which who when where so as if is are be it but then such including has have belongs belong".split()
)
_FUNCTION_WORDS = _SKIP | _PREPOSITIONS | _ENDS
_DETAIL_PREPOSITIONS = frozenset("with using via by".split())
# Function words a rewrite may drop; quantifiers ("only admins", "new posts", "all users") say something.
SAYS_NOTHING = _FUNCTION_WORDS - frozenset("only new all any each every single no not like".split())
CONTAINERS = frozenset(
    "table tables model models schema schemas collection collections entity entities endpoint "
    "endpoints api apis route routes function functions handler handlers service record records controller "
    "controllers action actions resolver resolvers "
    "migration migrations database databases db job jobs task tasks webhook webhooks".split()
)
_BACKTICKED_NAME = regexcache.compile(r"`([A-Z][A-Za-z0-9]{1,40})`")
_CALLED = regexcache.compile(  # only a model's or table's name: "a field named email" names no model
    r"\b(?:tables?|models?|collections?|entit(?:y|ies)|schemas?|class(?:es)?|structs?|resources?)\s+"
    r"(?:called|named)\s+`?([A-Za-z][A-Za-z0-9_]{1,40})\b",
    re.IGNORECASE,
)
# what every _CALLED match holds (same flags): most prompts have neither word, and this
# is found in half the time the full pattern takes to try each position
_CALLED_GATE = regexcache.compile(r"(?:call|nam)ed", re.IGNORECASE)
_WORD = regexcache.compile(r"[A-Za-z][A-Za-z0-9_']*")
_ROUTE = regexcache.compile(r"(?<![\w.])/[\w\-/:\[\]{}]+")
Correct = Callable[[str], "str | None"]  # a misspelt word -> the term it stands for, if any
# where details are named, or a function giving those that start before an offset (all for None)
Matches = tuple[Match, ...] | Callable[[int | None], tuple[Match, ...]]
SUBJECT_WORDS = 3


def find_subject(text: str, matches: Matches = (), correct: Correct | None = None) -> str | None:
    """What the prompt is about, in lower case ("posts", "stock price data"), from the
    first of: a backticked model name; a name after "called"/"named"; the words just
    before a container word ("the customers table", "an orders API"); the noun phrase
    after a task verb ("get stock price data"); the last fixed part of a route
    (``/api/posts/:id`` -> ``posts``). Words that are evidence for a detail, like
    ``Express`` or ``GET``, are not part of it: ``matches`` are where details are named,
    or a function giving those that start before an offset (all for None). ``correct(word)``:
    the term a misspelt word stands for, if any ("tabel" -> "table")."""
    named = _BACKTICKED_NAME.search(text) or (_CALLED_GATE.search(text) and _CALLED.search(text))
    if named:
        return _words_of(named.group(1))
    # blank out detail evidence ("Express", "GET"), keep model names.
    # The words before the first container word that has some depend on the words up to
    # it only: a prefix that ends after a blank (no word goes on past it) is read first,
    # and the whole text only when the prefix has no such container word.
    cut = _BLANK.search(text, _PREFIX)
    if cut is not None:
        end = cut.end()
        prefix_spans = [(m.start, min(m.end, end)) for m in _before(matches, end) if m.detail != "models"]
        phrase = _before_container(_subject_words(blank_spans(text[:end], prefix_spans), correct))
        if phrase:
            return " ".join(phrase)
    spans = [(m.start, m.end) for m in _before(matches, None) if m.detail != "models"]
    words = _subject_words(blank_spans(text, spans), correct)
    phrase = _before_container(words) or _after_verb(words)
    return " ".join(phrase) if phrase else _route_resource(text)


_PREFIX = 2000  # characters read first for the words before a container


def _before(matches: Matches, offset: int | None) -> tuple[Match, ...]:
    return matches(offset) if callable(matches) else starting_before(matches, offset)


_BLANK = regexcache.compile(r"\s")


def _subject_words(blanked: str, correct: Correct | None = None) -> list[str]:
    words = [w.lower() for w in _WORD.findall(blanked)]
    if correct is not None:  # a misspelt container word still ends the name ("comments tabel")
        words = [c if w not in CONTAINERS and (c := correct(w)) in CONTAINERS else w for w in words]
    return words


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each ``(start, end)`` span (they may overlap) replaced by as many
    spaces: built in one pass over the merged spans, where replacing them one by one
    copied the whole text once a span."""
    if not spans:
        return text
    parts: list[str] = []
    position = 0  # text before it is done
    for start, end in sorted(spans):
        start = max(start, position)
        if end <= start:
            continue
        parts.append(text[position:start])
        parts.append(" " * (end - start))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _is_name_word(word: str) -> bool:
    """A word that can be part of a subject: not a function word, verb or container."""
    return not (
        word in _FUNCTION_WORDS or word in CONTAINERS or is_task_verb(word) or word.endswith("'s") or word.endswith("'")
    )


def _before_container(words: list[str]) -> list[str]:
    """The name words right before the first container word that has some."""
    for i, word in enumerate(words):
        if word in CONTAINERS and i > 0:
            start = i
            while start > 0 and i - start < SUBJECT_WORDS and _is_name_word(words[start - 1]):
                start -= 1
            if start < i:
                return words[start:i]
    return []


def _after_verb(words: list[str]) -> list[str]:
    """The name words after the first task verb ("get stock price data"), looking past
    function words, containers and a preposition before the phrase ("an endpoint for
    the posts") but not a clause's end ("... that returns 404"); a later verb starts the
    search again ("an API to update a profile")."""
    phrase: list[str] = []
    seen_verb = False
    for word in words:
        if is_task_verb(word):
            if phrase:
                break
            seen_verb = True
            continue
        if not seen_verb:
            continue
        if _is_name_word(word):
            phrase.append(word)
            if len(phrase) == SUBJECT_WORDS:
                break
        elif phrase or word in _ENDS or word in _DETAIL_PREPOSITIONS:
            break  # "make a table with a field ...": what follows "with" is a detail, not the subject
    return phrase


def _route_resource(text: str) -> str | None:
    route = _ROUTE.search(text)
    if route is None:
        return None
    fixed = [part for part in route.group().split("/") if part and part[0].isalpha()]
    return fixed[-1].lower() if fixed else None


def _words_of(name: str) -> str:
    """``BlogPost`` -> ``blog post``."""
    return " ".join(part.lower() for part in re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name))


_UNCOUNTABLE = frozenset("news series species media metadata analytics feedback inventory".split())


def singular(word: str) -> str:
    """A simple English singular of the last word: posts -> post, categories -> category."""
    head, _, last = word.rpartition(" ")
    lower = last.lower()
    if len(lower) <= 3 or lower in _UNCOUNTABLE or lower.endswith(("ss", "us", "is", "data")):
        result = last
    elif lower.endswith("ies"):
        result = last[:-3] + "y"
    elif lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        result = last[:-2]
    elif lower.endswith("s"):
        result = last[:-1]
    else:
        result = last
    return f"{head} {result}" if head else result


def pascal_case(phrase: str) -> str:
    """``user signup`` -> ``UserSignup``; ``blog_post`` -> ``BlogPost``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[\s_\-]+", phrase) if part)
