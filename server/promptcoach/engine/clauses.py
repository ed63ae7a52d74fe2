"""A detail's clause added to a prompt: "Make a posts table." + " Use Prisma." .

Each detail has a clause (knowledge YAML) with a ``{value}`` slot and a position: at
the ``end`` of the prompt (the prompt's last sentence is closed first when the clause
starts a new one) or at the ``start`` ("Using <ORM>, make a posts table.", the
prompt's first word then no longer starts the sentence). The missing-detail rule's
"Add <detail>" fixes insert one clause; an expansion that keeps what the prompt says
adds the clauses of every missing detail (engine/expand.py). Both come as plain text
and as snippet text with the slot as a tab stop (a choice list when the detail has
choices).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from promptcoach.engine.memo import IdentityMemo
from promptcoach.engine.snippet import escape_text, tab_stop
from promptcoach.engine.taskwords import is_task_verb

_SENTENCE_MARKS = ".!?…。！？"  # a sentence ends with one, or with "**" or "__" (bold closed)
_SENTENCE_CLOSERS = "\"'”’)]`*_"  # may follow the mark: quotes, brackets, emphasis
_OPEN_END = ",;:"  # "... and tags:": the clause's "." takes the place of this


class ClauseParts:
    """A detail's clause split around ``{value}``, with its placeholder and choices."""

    __slots__ = ("before", "after", "placeholder", "choices", "at_start", "snippet_before", "snippet_after", "sentence")

    def __init__(self, detail: Any) -> None:
        self.before, _, self.after = detail.clause.text.partition("{value}")
        self.placeholder = detail.clause.placeholder
        self.choices = detail.choices
        self.at_start = detail.clause.position == "start"
        self.snippet_before, self.snippet_after = escape_text(self.before), escape_text(self.after)
        sentence = detail.clause.sentence
        self.sentence = _SentenceParts(sentence) if sentence and self.at_start else None

    def goes_first(self, text: str) -> bool:
        """Whether the clause goes before ``text``: a start clause, and the prompt starts
        with a task verb ("make a posts table") or the clause has no sentence form."""
        return self.at_start and (self.sentence is None or _starts_with_task_verb(text))


class _SentenceParts:
    """A start clause's sentence form (``" Use {value}."``), split around ``{value}``."""

    __slots__ = ("before", "after", "snippet_before", "snippet_after")

    def __init__(self, sentence: str) -> None:
        self.before, _, self.after = sentence.partition("{value}")
        self.snippet_before, self.snippet_after = escape_text(self.before), escape_text(self.after)


def _first_word(text: str) -> str:
    return text.lstrip().split(" ", 1)[0] if text.strip() else ""


def _starts_with_task_verb(text: str) -> bool:
    word = _first_word(text).strip("*_`\"'“(").rstrip(",:")
    return is_task_verb(word.lower())


_PARTS: IdentityMemo[ClauseParts] = IdentityMemo()


def clause_parts(detail: Any) -> ClauseParts:
    """Computed once per detail object."""
    return _PARTS.get(detail, ClauseParts)


class Insertion(NamedTuple):
    """Replace ``text[start:end]`` with ``plain`` (or, as a snippet, ``snippet``)."""

    start: int
    end: int
    plain: str
    snippet: str


def insertion(
    text: str,
    parts: ClauseParts,
    number: int = 1,
    value: str | None = None,
    choices: tuple[str, ...] | None = None,
    first: bool | None = None,
) -> Insertion:
    """Where and what to insert into ``text`` to add the clause; the slot holds ``value``,
    else the placeholder, and is tab stop ``number`` in the snippet (a list of ``choices``
    when given, else of the detail's). ``first``: whether a start clause goes before the
    prompt (default :meth:`ClauseParts.goes_first` of ``text``); else it is added at the
    end, as its sentence form."""
    plain_value = parts.placeholder if value is None else value
    stop = tab_stop(number, plain_value, (choices or parts.choices) if value is None else ())
    if parts.at_start and (parts.goes_first(text) if first is None else first):
        return _at_start(text, parts, plain_value, stop)
    words = parts.sentence if parts.at_start else parts
    assert words is not None  # a start clause without a sentence form goes first
    end = len(text.rstrip())
    plain = words.before + plain_value + words.after
    snippet = words.snippet_before + stop + words.snippet_after
    start = end
    before = words.before
    if before[:1].isspace() and before.strip()[:1].isupper() and not _ends_sentence(text, end):
        if end > 0 and text[end - 1] in _OPEN_END:
            start = end - 1  # "... and tags:" -> "... and tags."
        plain, snippet = "." + plain, "." + snippet  # the clause is a new sentence; close the prompt's last one
    return Insertion(start, end, plain, snippet)


def _ends_sentence(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with a sentence mark, or "**" / "__", followed only by
    closers (``Done."``, ``**Done**``). Read backwards from ``end`` over the closers,
    once: the regex ``(?:[.!?…]|\\*\\*|__)[closers]*$`` searched the whole text and, in a
    run of ``*``, scanned to the run's end from each of its characters."""
    start = end
    while start > 0 and text[start - 1] in _SENTENCE_CLOSERS:
        start -= 1
    closers = text[start:end]
    return (start > 0 and text[start - 1] in _SENTENCE_MARKS) or "**" in closers or "__" in closers


def _at_start(text: str, parts: ClauseParts, value: str, stop: str) -> Insertion:
    lead = len(text) - len(text.lstrip())
    first_word = text[lead:].split(" ", 1)[0]
    replace = 0
    suffix = ""
    # "Using X, make a posts table": the prompt's first word no longer starts the sentence
    # (only a task verb is lower-cased: "Google login" keeps its name).
    if (
        parts.after.rstrip().endswith(",")
        and len(first_word) > 1
        and first_word[0].isupper()
        and first_word[1:].isalpha()
        and first_word[1:].islower()
        and is_task_verb(first_word.lower())
    ):
        replace, suffix = 1, first_word[0].lower()
    plain = parts.before + value + parts.after + suffix
    snippet = parts.snippet_before + stop + escape_text(parts.after + suffix)
    return Insertion(lead, lead + replace, plain, snippet)
