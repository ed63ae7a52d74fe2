"""Work skipped on long inputs gives the results of doing it all (issue 16, the 1 s budget
at 1 MB): statements passed over when they hold no word of a detail left to find, the
secrets search stopping inside a sentence, the subject read from a prefix."""

from __future__ import annotations

import random

from promptcoach.engine import subject
from promptcoach.engine.analyze import Engine
from promptcoach.engine.rules.hardcoded_secret import find_secrets
from promptcoach.engine.statements import _stated, clear_statements, project_details, statements_in
from promptcoach.engine.subject import find_subject


def _one_by_one(text: str, blocks: list[tuple[int, str]], knowledge) -> list[tuple]:
    """What statements_in finds when it reads each block in turn, passing over none."""
    found: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    wanted = sum(len(details) for details in project_details(knowledge).values())
    for offset, block in blocks:
        if len(seen) >= wanted:
            break
        for category, detail, start, words in _stated(block[:4000], knowledge, frozenset(seen)):
            if (category, detail) not in seen:
                seen.add((category, detail))
                found.append((category, detail, text.count("\n", 0, offset + start), words))
    return found


def test_statements_passed_over_state_nothing_new():
    knowledge = Engine().knowledge
    stating = [
        "Auth.js sessions are stored in the database.",
        "Express with helmet and rate limiting.",
        "Payments go through Stripe, called with axios.",
        "Secrets are read from environment variables.",
        "We do not use Prisma.",
        "Errors return 401 or 403.",
        "Keys live in STRIPE_SECRET_KEY.",
        "We use Postgress and Prizma.",
        "Never hard code the OPENAI_API_KEY; we don't use Auth0.",
    ]
    random.seed(16)
    for trial in range(6):
        paragraphs = [f"We use PostgreSQL with Prisma for table {i}." for i in range(400)]
        for sentence in random.sample(stating, 5):
            paragraphs[random.randrange(70, 400)] = sentence
        text = "\n\n".join(paragraphs) + "\n"
        blocks, offset = [], 0
        for paragraph in paragraphs:
            blocks.append((offset, paragraph))
            offset += len(paragraph) + 2
        clear_statements()
        expected = _one_by_one(text, blocks, knowledge)
        clear_statements()
        got = [(s.category, s.detail, s.line, s.text) for s in statements_in(text, blocks, "AGENTS.md", knowledge)]
        assert got == expected, trial
        assert len(got) >= 2


def test_the_secrets_search_stopping_inside_a_sentence_keeps_the_first_candidates():
    fragments = [
        "use token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "hardcode the Stripe key",
        "use password 'hunter2'",
        "API_KEY=abc123xyz",
        "sk_live_abcdefghijklmnop1234",
        "the Mailchimp key 'abcdef123'",
        "the token is Tr0ub4dor3x",
        "never hardcode the key",
        "\n",
        ". ",
    ]
    random.seed(7)
    for _ in range(300):
        text = " ".join(random.choice(fragments) for _ in range(random.randint(1, 40)))
        every = find_secrets(text)
        for limit in (1, 2, 5):
            assert find_secrets(text, limit)[:limit] == every[:limit], (limit, text)
    many = "".join(f"use token ghp_{i:036d}\n" for i in range(3000))
    assert find_secrets(many, 10)[:10] == find_secrets(many)[:10]


def test_the_subject_is_found_in_a_prefix_as_in_the_whole_text():
    engine = Engine()
    correct = engine.knowledge.index.correct
    for text in (
        "Create a REST API for posts with routes " + " ".join(f"GET /posts/{i}" for i in range(800)),
        "Make " + "with the stuff " * 300 + "an orders table with a total.",
        "Build " + "x " * 1500 + "comments tabel with a body.",
    ):
        matches = engine.classify(text).matches
        found = find_subject(text, matches, correct)
        assert found is not None
        saved = subject._PREFIX  # read whole: a prefix that would start past the text's end
        try:
            subject._PREFIX = len(text) + 1
            assert find_subject(text, matches, correct) == found
        finally:
            subject._PREFIX = saved


def test_the_matches_before_an_offset_are_those_of_the_whole_text_that_start_before_it():
    """A long prompt's subject is read from its start: only the matches there are worked out,
    and they are exactly the whole text's matches that start before the offset."""
    engine = Engine()
    pieces = [
        "Prisma",
        "Postgres",
        "many-to-many",
        "GET /posts/:id",
        "POST /api/users",
        "JWT in an httpOnly cookie",
        "id UUID primary key",
        "title String required",
        "the orders table",
        "with Stripe webhooks",
        "prsima",
        "and",
        ",",
        "\n- ",
    ]
    random.seed(23)
    checked = 0
    for _ in range(150):
        text = "Create " + " ".join(random.choice(pieces) for _ in range(random.randint(1, 60)))
        classification = engine.classify(text)
        if classification.category is None:
            continue
        every = engine.classify(text).matches
        for offset in sorted({0, 1, len(text) // 3, len(text) // 2, len(text) - 1, len(text) + 5}):
            fresh = Engine().classify(text)  # its matches not worked out yet
            expected = tuple(m for m in every if m.start < offset)
            assert fresh.matches_before(offset) == expected, (offset, text)
            checked += bool(expected)
    assert checked > 100
    routes = "Create a REST API for posts with " + " and ".join(f"GET /posts/{i}" for i in range(3000))
    classification = Engine().classify(routes)
    assert classification.matches_before(2000) == tuple(m for m in classification.matches if m.start < 2000)
