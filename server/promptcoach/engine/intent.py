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
from promptcoach.engine.intent_vocabulary import IntentWords, intent_words, tokens_of

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
_MODALS = frozenset({"must", "should", "shall"})
_NEVER_ALWAYS = frozenset({"never", "always"})
_ALL_ANY = frozenset({"all", "any"})
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


# the word lists the readings below were read with, and (role, lead line) -> Reading: an
# edit re-reads only the blocks it changed (a reading is one of a few dozen shared ones)
_READINGS: tuple[IntentWords | None, dict[tuple[str, str], Reading]] = (None, {})
_SHARED: dict[Reading, Reading] = {}  # each distinct reading once (kinds and flags: at most 64)


def read(text: str, role: str = "prompt", words: IntentWords | None = None) -> Reading:
    """How the block whose text is ``text`` reads (see the module doc)."""
    global _READINGS
    words = words or intent_words()
    first = text.split("\n", 1)[0][:600]
    remembered = _READINGS  # one tuple, read once: a thread never mixes two word lists' readings
    if remembered[0] is not words:
        remembered = _READINGS = (words, {})
    readings = remembered[1]
    key = (role, first)
    reading = readings.get(key)
    if reading is None:
        found = _read(first, role, words)
        reading = _SHARED.setdefault(found, found)
        if len(readings) > 8192:
            readings.clear()
        readings[key] = reading
    return reading


def clear_readings() -> None:
    """Forget every remembered reading (benchmarks: a cold run)."""
    global _READINGS
    _READINGS = (None, {})


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
    if not labelled and words.note_starts.longest_start(tokens):
        return Reading("context", note=True)
    if words.question_verbs.longest_start(rest):
        return Reading("question", labelled=labelled)  # "Explain what this query does."
    kind = _sentence_kind(sentence, words, role, tokens, rest)
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
    opens = kind == "request" and not words.specifics_verbs.longest_start(rest)
    return Reading(kind, opens=opens, labelled=labelled)


def _sentence_kind(
    sentence: str, words: IntentWords, role: str, tokens: list[str] | None = None, rest: list[str] | None = None
) -> str:
    """The kind of one sentence, a trigger first ("Every night at 2, delete ...") included.
    ``tokens``, ``rest``: its words, and those after its lead-ins, when known."""
    tokens = tokens_of(sentence) if tokens is None else tokens
    kind = _kind_of_sentence(tokens, words, role, rest)
    if kind not in ("request", "fragment") and "," in sentence and words.trigger_starts.longest_start(tokens):
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
                words.guideline_starts.longest_start(after)
                or after[0] in words.build_verbs
                or after[0] in words.soft_verbs
            )
        ):
            return rest, any(t.isdigit() for t in tokens)  # "Step 1:" leads a request of a log
        return "context"
    return None


def _without_lead_ins(tokens: list[str], words: IntentWords) -> list[str]:
    lead_ins, continuations = words.lead_ins, words.continuation_starts
    for _ in range(4):
        # (most lines start with no lead-in: one look-up of the first word tells)
        if not tokens or (tokens[0] not in lead_ins and tokens[0] not in continuations):
            break
        skip = lead_ins.longest_start(tokens) or continuations.longest_start(tokens)
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


def _kind_of_sentence(tokens: list[str], words: IntentWords, role: str, rest: list[str] | None = None) -> str:
    """ "request", "guideline", "context", "modal" (a statement with should/must) or
    "fragment" (no verb: a noun phrase). ``rest``: ``tokens`` after their lead-ins, when known."""
    if not tokens:
        return "context"
    if words.context_starts.longest_start(tokens):
        return "context"
    if rest is None:
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
        if universal and not particular or role == "instructions" and not _ALL_ANY.isdisjoint(rest[1:3]):
            return "guideline"
        return "request" if particular or role != "instructions" else "guideline"
    if first in words.build_verbs or " ".join(rest[:2]) in words.build_verbs:
        return "guideline" if universal and not particular else "request"
    if first == "only" and role != "instructions":
        return "modal"  # "Only editors can open /admin": an access rule asked for
    if words.guideline_starts.longest_start(rest):
        return "guideline"
    if "'" in first and first in words.context_subjects:
        return "context"  # "I'm building ...", "It's public"
    verbs = rest[1:7]
    modal = not _MODALS.isdisjoint(verbs)
    if first in words.context_subjects or (len(rest) > 1 and rest[1] in words.context_verbs):
        if not words.context_verbs.isdisjoint(verbs):
            return "modal" if modal else "context"
    if modal:
        return "modal"
    if not _NEVER_ALWAYS.isdisjoint(rest[:6]):
        return "guideline"
    if not words.context_verbs.isdisjoint(rest[1:4]) and first not in words.determiners:
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
