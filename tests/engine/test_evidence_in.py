"""evidence_in: the cheap test that tells which project-wide details a statement may name."""

from __future__ import annotations

from promptcoach.engine.analyze import Engine
from promptcoach.engine.detect import evidence_in
from promptcoach.engine.statements import project_details


def test_a_statement_with_no_word_of_a_detail_holds_none():
    knowledge = Engine().knowledge
    assert evidence_in("Write short functions and name them well.", knowledge, project_details(knowledge)) == set()


def test_terms_phrases_and_patterns_are_found():
    knowledge = Engine().knowledge
    held = evidence_in("We use PostgreSQL; read the key from STRIPE_SECRET_KEY.", knowledge, project_details(knowledge))
    assert held is not None
    assert ("database-schema", "technology") in held
    assert ("external-api", "secrets") in held


def test_a_phrase_counts_only_whole():
    knowledge = Engine().knowledge
    wanted = project_details(knowledge)
    assert ("external-api", "secrets") in (evidence_in("Keep them in a secret manager.", knowledge, wanted) or ())
    assert ("external-api", "secrets") not in (evidence_in("A secret plan to manage.", knowledge, wanted) or ())
