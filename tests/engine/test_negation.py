"""One negation matcher for every reader: the phrases are each reader's data, the test
(a phrase among the words just before a position, or earlier in a sentence) is shared."""

from __future__ import annotations

from promptcoach.engine.analyze import Engine
from promptcoach.engine.negation import NO_NEGATIONS, Negations
from promptcoach.engine.stack_catalog import load_catalog
from promptcoach.engine.statements import _stated, clear_statements


def test_a_phrase_among_the_last_words_negates():
    negations = Negations(["not", "instead of"])
    text = "Use Prisma instead of Mongoose for the models."
    assert negations.in_words_before(text, text.index("Mongoose"), 3)
    assert not negations.in_words_before(text, text.index("Prisma"), 3)
    far = "Do not touch the routes, the tests or the CI, and add Mongoose."
    assert not negations.in_words_before(far, far.index("Mongoose"), 3)  # too far back
    assert not negations.in_words_before(text, text.index("Mongoose"), 3, floor=text.index("of"))  # before the floor


def test_phrases_match_whole_words_and_typographic_apostrophes():
    negations = Negations(["not", "don't"])
    assert not negations.in_words_before("another Redis", 8, 2)  # "not" inside a word
    assert negations.in_words_before("we don’t use Redis", 13, 3)


def test_in_span_reads_a_sentence_up_to_a_position():
    negations = Negations(["never"])
    text = "We never store sessions in Redis"
    assert negations.in_span(text, 0, text.index("Redis"))
    assert not negations.in_span(text, text.index("store"), text.index("Redis"))


def test_no_phrases_negate_nothing():
    assert not NO_NEGATIONS.in_words_before("not this", 8, 3)
    assert not NO_NEGATIONS.in_span("not this", 0, 8)


def test_context_statements_and_prompts_read_their_own_lists():
    catalog = load_catalog()
    assert "replace" in catalog.negations.phrases  # "replace Mongoose with ..." asks for no Mongoose
    assert "replace" not in catalog.statement_negations.phrases
    knowledge = Engine().knowledge
    clear_statements()
    stated = {(c, d) for c, d, _, _ in _stated("Replace hardcoded keys with an env reference.", knowledge)}
    assert ("external-api", "secrets") in stated
    assert not _stated("We do not use environment variables for that.", knowledge)
