"""What a prompt is: a ``request``, a ``guideline``, ``context`` or a ``question``.

Only requests get missing-detail (SPEC "Requests, guidelines, context"). The lead line
of a block is read with the word lists of ``knowledge/intent.yaml`` (:mod:`.intent_vocabulary`):

* a leading label decides first: "Prompt 3:"/"TODO:" mark a request, "Notes:"/"Result:"
  a note, "Database: PostgreSQL" a description;
* a line ending in "?" is a question unless it asks for work ("Can you add ...?");
* a note about what the assistant did ("It forgot the index.", "Worked.") is context;
* after lead-ins ("Please", "Can you", "Next,"), a build verb makes a request, unless
  the sentence speaks of all cases with nothing particular after the verb ("Add tests
  for every endpoint" is a rule); "Every night at 2, delete ..." is a request too;
* "Use", "Never", "Always", "Prefer" ... start a guideline;
* a subject and a verb ("This project uses ...", "We deploy to ...") describe: context;
  with "should"/"must" a prompt file asks for that behaviour (a request), an instruction
  file sets a rule (a guideline);
* what is left is a fragment ("API to get posts.", "Posts table with a title"): a
  request in a prompt file, a description in an instruction file.

In an instruction file (``role="instructions"``) an imperative is a standing rule: only
a request label ("TODO: ...") makes a request there.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.intent_vocabulary import IntentWords, Phrases, intent_words, tokens_of

_LABEL = regexcache.compile(r"([^\W\d_][\w ’'/*-]{0,40}?)\s*(?:\([^)\n]{0,20}\))?\s*[:：](?!\d|//)[*_]*\s*(.*)", re.S)
_SENTENCES = regexcache.compile(r"[^.!?]+(?:[.!?]+|$)")
_DECORATION = " \t*_>#`~[]()-–—•·:0123456789.)"
_SENTENCE_END = regexcache.compile(r"[.!?](?:\s|$)")
_WANT = frozenset(
    {
        "need",
        "want",
        "needs",
        "wants",
        "require",
        "brauche",
        "brauchen",
        "necesito",
        "necesitamos",
        "preciso",
        "precisamos",
    }
)
_WANT_FIRST = frozenset(
    {
        "quiero",
        "queremos",
        "quero",
        "necesito",
        "necesitamos",
        "preciso",
        "precisamos",
        "möchte",
        "brauche",
        "veux",
        "voudrais",
        "souhaite",
    }
)


class Reading(NamedTuple):
    """How a block reads: its kind, and what decides whether it joins the prompt above."""

    kind: str  # "request", "guideline", "context" or "question"
    opens: bool = False  # a request that opens a new task (a verb first; not a fragment)
    note: bool = False  # a note about something else ("Notes: ...", "It forgot the index.")
    labelled: bool = False  # led by a request label ("Prompt 3:", "TODO:"): a prompt log entry
    fragment: bool = False  # a request with no verb ("API to get posts."): a new prompt of its own


def lead_sentence(text: str) -> str:
    """The prompt's lead: its first line, cut at the end of its first sentence."""
    line = text.split("\n", 1)[0][:600]
    end = _SENTENCE_END.search(line)
    return line[: end.end()].strip() if end else line.strip()


def kind_of(text: str, role: str = "prompt", words: IntentWords | None = None) -> str:
    """The kind of the prompt whose text (lead line first) is ``text``.
    ``role``: "prompt" (a task prompt file), "instructions" or "source" (a marked comment)."""
    return read(text, role, words).kind


_READINGS: dict[
    tuple[int, str, str], tuple[IntentWords, Reading]
] = {}  # (id(words), role, lead line) -> Reading: an edit re-reads only the blocks it changed


def read(text: str, role: str = "prompt", words: IntentWords | None = None) -> Reading:
    """How the block whose text is ``text`` reads (see the module doc)."""
    words = words or intent_words()
    first = text.split("\n", 1)[0][:600]
    key = (id(words), role, first)
    cached = _READINGS.get(key)
    if cached is not None and cached[0] is words:
        return cached[1]
    reading = _read(first, role, words)
    if len(_READINGS) > 8192:
        _READINGS.clear()
    _READINGS[key] = (words, reading)
    return reading


def clear_readings() -> None:
    """Forget every remembered reading (benchmarks: a cold run)."""
    _READINGS.clear()


def _read(first: str, role: str, words: IntentWords) -> Reading:
    line = _undecorated(first)
    labelled = False
    label = _label(line, words)
    if label == "note":
        return Reading("context", note=True)
    if label == "context":
        return Reading("context")
    if isinstance(label, tuple):  # (the strings were handled above)
        line, labelled = label
    sentence = lead_sentence(line)
    tokens = tokens_of(sentence)
    rest = _without_lead_ins(tokens, words)
    if (line.endswith(("?", "？")) or sentence.endswith("?")) and not _asks_for_work(tokens, words):
        return Reading("question", labelled=labelled)
    if not labelled and _starts_with(tokens, words.note_starts):
        return Reading("context", note=True)
    if _starts_with(rest, words.question_verbs):
        return Reading("question", labelled=labelled)  # "Explain what this query does."
    kind = _sentence_kind(sentence, words, role, tokens)
    if kind in ("context", "fragment") and len(sentence) < len(line):
        # "Sellers need to see their payouts. Add a Fastify route for it:"
        sentences = _SENTENCES.findall(line)[1:4]
        later = [_sentence_kind(later_sentence, words, role) for later_sentence in sentences]
        for later_sentence, later_kind in zip(sentences, later):
            if later_kind == "request" and _verb_first(later_sentence, words):
                kind = "request"
                break
        else:
            if kind == "fragment" and later[:1] == ["context"] and len(tokens) <= 4:
                kind = "context"  # "Stack notes. We run Go on Fly.io."
    if labelled:
        kind = "request"  # "Prompt: Only admins can edit the schedule."
    elif role == "instructions":
        kind = {"request": "guideline", "fragment": "context", "modal": "guideline"}.get(kind, kind)
    if kind == "modal":
        return Reading("request" if role != "instructions" else "guideline", labelled=labelled)
    if kind == "fragment":
        return Reading("request", labelled=labelled, fragment=True)
    opens = kind == "request" and not _starts_with(rest, words.specifics_verbs)
    return Reading(kind, opens=opens, labelled=labelled)


def _sentence_kind(sentence: str, words: IntentWords, role: str, tokens: list[str] | None = None) -> str:
    """The kind of one sentence, a trigger first ("Every night at 2, delete ...") included."""
    tokens = tokens_of(sentence) if tokens is None else tokens
    kind = _kind_of_sentence(tokens, words, role)
    if kind not in ("request", "fragment") and "," in sentence and _starts_with(tokens, words.trigger_starts):
        for part in sentence.split(",")[1:4]:  # the trigger, then the request
            if _verb_first(part, words):
                return "request"
    return kind


def is_specifics_heading(title: str, words: IntentWords | None = None) -> bool:
    """ "Requirements", "Acceptance criteria": a heading whose section details the request above."""
    words = words or intent_words()
    title = " ".join(tokens_of(title))
    headings = words.specifics_headings
    if title in headings:
        return True
    # "Requirements for the API": one of them, then a space (looked up at each space, not
    # each heading word tried in turn)
    longest = _longest(headings)
    space = title.find(" ")
    while 0 <= space <= longest:
        if title[:space] in headings:
            return True
        space = title.find(" ", space + 1)
    return False


@lru_cache(maxsize=8)
def _longest(words: frozenset[str]) -> int:
    return max(map(len, words), default=0)


def _undecorated(line: str) -> str:
    """The line without list numbers, emphasis and quote marks around it (a trailing ":"
    stays: it makes "Example response:" a label)."""
    return line.strip().lstrip(_DECORATION).rstrip(" \t*_`~").strip()


def _label(line: str, words: IntentWords) -> str | tuple[str, bool] | None:
    """ "note" or "context" for such a label; ``(text after it, labelled)`` when the
    text after it is what to read ("Prompt 3: make ...", "**Health check**: add ...");
    None when the line starts with no label."""
    if ":" not in line and "：" not in line:
        return None  # (the common case, without the regex)
    match = _LABEL.match(line)
    if match is None:
        return None
    label = match.group(1).strip(" *_").lower()
    rest = _undecorated(match.group(2))
    tokens = tokens_of(label)
    if not tokens:
        return None
    if label in words.request_labels or (tokens[0] in words.request_labels and len(tokens) <= 4):
        return rest or "task", True
    if label in words.context_labels:
        return "note"
    if len(tokens) <= 4 and tokens[0] not in words.build_verbs and tokens[0] not in words.soft_verbs:
        # "Database: PostgreSQL", "**Data models:** ...": a labelled description, unless
        # what follows is a sentence of its own ("Step 1: Create ...", "Auth: Never ...")
        after = _without_lead_ins(tokens_of(rest), words)
        if (
            after
            and not rest.split(None, 1)[0].isupper()
            and (
                _starts_with(after, words.guideline_starts)
                or after[0] in words.build_verbs
                or after[0] in words.soft_verbs
            )
        ):
            return rest, any(t.isdigit() for t in tokens)  # "Step 1:" leads a request of a log
        return "context"
    return None


def _starts_with(tokens: list[str], phrases: Phrases) -> int:
    """Length of the longest phrase of ``phrases`` that ``tokens`` start with (0: none)."""
    return phrases.longest_start(tokens)


def _without_lead_ins(tokens: list[str], words: IntentWords) -> list[str]:
    for _ in range(4):
        skip = _starts_with(tokens, words.lead_ins) or _starts_with(tokens, words.continuation_starts)
        if not skip:
            break
        tokens = tokens[skip:]
    return tokens


def _asks_for_work(tokens: list[str], words: IntentWords) -> bool:
    """ "Can you add ...?", "Could we build ...?": a request phrased as a question."""
    rest = _without_lead_ins(tokens, words)
    if len(rest) == len(tokens) or not rest:
        return False
    # "Can you add ...?"; "Kannst du einen Endpunkt ... bauen?" (the verb last)
    return rest[0] in words.build_verbs or rest[0] in words.soft_verbs or rest[-1] in words.build_verbs


def _kind_of_sentence(tokens: list[str], words: IntentWords, role: str) -> str:
    """ "request", "guideline", "context", "modal" (a statement with should/must) or
    "fragment" (no verb: a noun phrase)."""
    if not tokens:
        return "context"
    if _starts_with(tokens, words.context_starts):
        return "context"
    rest = _without_lead_ins(tokens, words)
    if not rest:
        return "context"
    first = rest[0]
    universal = not words.universal.isdisjoint(rest)
    particular = _particular(rest[1:4], words)
    if (
        first in ("i", "we", "ich", "wir", "yo", "je", "eu", "nous")
        and len(rest) > 2
        and rest[1] in _WANT
        and (rest[2] in words.determiners or rest[2] in words.build_verbs or rest[2] == "to")
    ):
        return "request"  # "I need a posts table", "We want to add ..."
    if first in ("i'd", "we'd") and rest[1:2] == ["like"] or first in _WANT_FIRST:
        return "request"  # "I'd like ...", "Quiero que ...", "Ich möchte ..."
    if first in words.soft_verbs:
        if universal and not particular or any(t in ("all", "any") for t in rest[1:3]) and role == "instructions":
            return "guideline"
        return "request" if particular or role != "instructions" else "guideline"
    if first in words.build_verbs or " ".join(rest[:2]) in words.build_verbs:
        return "guideline" if universal and not particular else "request"
    if first == "only" and role != "instructions":
        return "modal"  # "Only editors can open /admin": an access rule asked for
    if _starts_with(rest, words.guideline_starts):
        return "guideline"
    if "'" in first and first in words.context_subjects:
        return "context"  # "I'm building ...", "It's public"
    if first in words.context_subjects or (len(rest) > 1 and rest[1] in words.context_verbs):
        verbs = rest[1:7]
        if any(t in words.context_verbs for t in verbs):
            if any(t in ("must", "should", "shall") for t in verbs):
                return "modal"
            return "context"
    if any(t in ("must", "should", "shall") for t in rest[1:7]):
        return "modal"
    if any(t in ("never", "always") for t in rest[:6]):
        return "guideline"
    if any(t in words.context_verbs for t in rest[1:4]) and first not in words.determiners:
        return "context"
    return "fragment"


def _verb_first(text: str, words: IntentWords) -> bool:
    rest = _without_lead_ins(tokens_of(text), words)
    return bool(rest) and (rest[0] in words.build_verbs or rest[0] in words.soft_verbs)


def _particular(tokens: list[str], words: IntentWords) -> bool:
    """One particular thing: "the", "a", a `code` name, a "quoted" name, a /path, a number."""
    if not tokens:
        return False
    first = tokens[0]
    return first in words.determiners or first.isdigit() or any(t[0] in '`"/' for t in tokens)
