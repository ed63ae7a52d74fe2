"""The one-pass forms of the rules' and the expander's text scans (issue 16): each gives
what the quadratic form it replaced gave (kept here as the reference), on hand-picked
and on generated texts."""

from __future__ import annotations

import random
import re

import pytest

from promptcoach.engine.clauses import _ends_sentence
from promptcoach.engine.expand_slots import detail_value
from promptcoach.engine.phrases import phrase_regex
from promptcoach.engine.rules.hardcoded_secret import find_secrets
from promptcoach.engine.rules.plaintext_password import find_plaintext_passwords
from promptcoach.engine.rules.secret_requests import _EarlierMatch, _LaterMatch
from promptcoach.engine.rules.spans import QuotedSpans, match_case, quoted_spans
from promptcoach.engine.rules.vague_term import _removal
from promptcoach.engine.subject import blank_spans

# --- quoted spans -------------------------------------------------------------------------------

_QUOTED_REGEX = re.compile(r"`[^`\n]*`|\"[^\"\n]*\"|“[^”\n]*”|(?<!\w)'[^'\n]*'(?!\w)")


@pytest.mark.parametrize(
    "text, spans",
    [
        ("say “hi” now", [(4, 8)]),
        ("“a “b” c", [(0, 6)]),  # the first “ reaches the first ”
        ("“open\n“closed”", [(6, 14)]),  # a line break ends an unclosed “
        ("“a “b “c", []),
        ("`x` “y” \"z\" 'w'", [(0, 3), (4, 7), (8, 11), (12, 15)]),
        ("don't “stop", []),
    ],
)
def test_quoted_spans(text, spans):
    assert quoted_spans(text) == spans
    assert [m.span() for m in _QUOTED_REGEX.finditer(text)] == spans


def test_quoted_spans_are_the_regex_spans_on_generated_texts():
    chars = ["“", "”", "\n", "'", '"', "`", "a", " "]
    generator = random.Random(16)
    for _ in range(20_000):
        text = "".join(generator.choice(chars) for _ in range(generator.randint(0, 16)))
        assert quoted_spans(text) == [m.span() for m in _QUOTED_REGEX.finditer(text)], text


def test_a_line_of_unclosed_curly_quotes_covers_nothing_and_a_closed_one_does():
    text = "Write the docs. " + "“stuff " * 2000 + "\n“done”"
    quoted = QuotedSpans(text)
    assert quoted.spans == [(len(text) - 6, len(text))]
    assert quoted.covers(len(text) - 5, len(text) - 1)
    assert not quoted.covers(17, 22)


# --- the sentence end before an added clause --------------------------------------------------------

_SENTENCE_END_REGEX = re.compile(r"(?:[.!?…。！？]|\*\*|__)[\"'”’)\]`*_]*$")


@pytest.mark.parametrize(
    "text, ends",
    [
        ("Make a posts table.", True),
        ('He said "done."', True),
        ("Make it **fast**", True),
        ("Make it __fast__", True),
        ("Make it *fast*", False),
        ("Make a posts table", False),
        ("Make a table " + "*" * 5000 + "x", False),
        ("Make a table x" + "*" * 5000, True),
        ("。", True),
        ("", False),
    ],
)
def test_ends_sentence(text, ends):
    assert _ends_sentence(text, len(text)) is ends
    assert (_SENTENCE_END_REGEX.search(text) is not None) is ends


def test_ends_sentence_is_the_regex_on_generated_texts():
    chars = list(".!?…\"'”’)]`*_a ,")
    generator = random.Random(17)
    for _ in range(20_000):
        text = "".join(generator.choice(chars) for _ in range(generator.randint(0, 10)))
        end = len(text.rstrip())
        assert _ends_sentence(text, end) == (_SENTENCE_END_REGEX.search(text[:end]) is not None), text


# --- vague-term's removal --------------------------------------------------------------------------


def _removal_by_copy(text, start, end):
    before = text[:start].rstrip(" \t")
    if not before or before[-1] in ".!?:;\n(":
        return None
    if start > 0 and text[start - 1] in " \t":
        return len(before), end
    return None


@pytest.mark.parametrize(
    "text, start, expected",
    [
        ("Make it work somehow", 13, (12, 20)),
        ("Make it work \t somehow", 15, (12, 22)),
        ("Somehow make it work", 0, None),
        ("Done.  somehow", 7, None),
        ("work(somehow", 5, None),
    ],
)
def test_removal(text, start, expected):
    end = start + len("somehow")
    assert _removal(text, start, end) == expected == _removal_by_copy(text, start, end)


def test_removal_is_the_copying_form_on_generated_texts():
    generator = random.Random(18)
    for _ in range(20_000):
        text = "".join(generator.choice(" \t.!?:;\n(ab") for _ in range(generator.randint(0, 10)))
        start = generator.randint(0, len(text))
        end = generator.randint(start, len(text))
        assert _removal(text, start, end) == _removal_by_copy(text, start, end), (text, start)


# --- plaintext-password: each clause keeps its own findings ------------------------------------------


def test_plaintext_password_finds_one_request_per_clause():
    text = ", ".join(f"store password {i} in plain text" for i in range(300))
    found = find_plaintext_passwords(text)
    assert len(found) == 300
    assert all(text[start:end] == "in plain text" for start, end, _ in found)


def test_plaintext_password_overlapping_markers_in_one_clause_give_one_finding():
    text = "store passwords in plain text, save the password unhashed"
    assert [(text[s:e], m.kind) for s, e, m in find_plaintext_passwords(text)] == [
        ("in plain text", "plaintext"),
        ("unhashed", "plaintext"),
    ]


# --- hardcoded-secret: verbs and nouns of long sentences -----------------------------------------------


def test_each_strong_request_of_a_long_sentence_is_found_once():
    text = " and ".join(f"hardcode the Stripe key {i}" for i in range(200))
    found = find_secrets(text)
    assert len(found) == 200
    assert {text[c.start : c.end] for c in found} == {"hardcode the Stripe key"}
    assert found[0].replacement == "read the Stripe key from the `STRIPE_SECRET_KEY` environment variable"


def test_a_noun_phrase_request_needs_a_request_word_before_it():
    assert find_secrets("a hardcoded Stripe key and a hardcoded Stripe key") == []
    found = find_secrets("use a hardcoded Stripe key and a hardcoded Stripe key")
    assert [(c.start, c.end) for c in found] == [(4, 26), (31, 53)]


def test_a_refusal_later_in_the_sentence_turns_every_earlier_request_off():
    assert find_secrets("hardcode the Stripe key, hardcode the Stripe key, hardcoding it is forbidden") == []
    assert len(find_secrets("hardcode the Stripe key, hardcode the Stripe key. Hardcoding it is forbidden")) == 2


def test_a_bare_key_needs_a_named_owner_or_an_api_in_the_sentence():
    assert find_secrets("hardcode the key and " * 50) == []
    text = "hardcode the API key and hardcode the key"
    assert [text[c.start : c.end] for c in find_secrets(text)] == ["hardcode the API key", "hardcode the key"]


def test_a_key_literal_takes_the_words_that_name_it():
    text = "Use the Stripe key sk_live_abcdefghijklmnop1234 for charges."
    (found,) = find_secrets(text)
    assert text[found.start : found.end] == "the Stripe key sk_live_abcdefghijklmnop1234"
    (bare,) = find_secrets("Set it to sk_live_abcdefghijklmnop1234 now.")
    assert bare.replacement == "the key from the `STRIPE_SECRET_KEY` environment variable"


def test_later_match_answers_as_a_search_from_each_position():
    regex = phrase_regex(["never", "is bad"])
    text = "a never b c is bad d e f never g"
    later = _LaterMatch(regex, text, len(text))
    for position in range(len(text) + 1):
        assert later.after(position) == (regex.search(text, position, len(text)) is not None), position


def test_earlier_match_answers_as_a_search_up_to_each_phrase_start():
    regex = phrase_regex(["use", "make it"])
    text = "x make it y z use w v make u"
    earlier = _EarlierMatch(regex, text, 0, len(text))
    for position in range(len(text) + 1):
        assert earlier.before(position) == (regex.search(text, 0, position) is not None), position


def test_match_case_reads_the_first_character():
    assert match_case("H", "read it") == "Read it"
    assert match_case("", "read it") == "read it"


# --- expansion ---------------------------------------------------------------------------------------


def _blanked_one_by_one(text, spans):
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def test_blanked_is_the_one_by_one_form_on_generated_spans():
    generator = random.Random(19)
    for _ in range(5_000):
        text = "".join(generator.choice("ab c") for _ in range(generator.randint(0, 12)))
        spans = []
        for _ in range(generator.randint(0, 5)):
            start = generator.randint(0, len(text))
            spans.append((start, generator.randint(start, len(text))))
        assert blank_spans(text, spans) == _blanked_one_by_one(text, spans), (text, spans)


def test_detail_value_lists_each_value_once_whatever_its_case():
    from promptcoach.engine.analyze import Engine

    engine = Engine()
    text = "Create a REST API for posts with routes GET /posts/1 get /posts/1 GET /posts/2 GET /Posts/2"
    classification = engine.classify(text)
    routes = [m for m in classification.matches if m.detail == "route"]
    assert len(routes) == 4
    detail = engine.knowledge.category(classification.category).detail("route")
    assert detail_value(text, routes, detail) == "/posts/1, /posts/2"
