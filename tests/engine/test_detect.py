"""Classification and detail detection."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from promptcoach.engine.detect import classify, detect_details
from promptcoach.engine.knowledge import KnowledgeBase, builtin_knowledge

CHEAT_SHEET = Path("/work/shared/seeds/backend-prompts-cheat-sheet.md")

BASIC = [
    ("Make a posts table.", "database-schema", ("models",)),
    ("API to get posts.", "api-endpoint", ()),
    ("Add user login.", "authentication", ()),
    ("Process a new user signup.", "business-logic", ()),
    ("Get stock price data.", "external-api", ()),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return builtin_knowledge()


@pytest.mark.parametrize("text,category,present", BASIC)
def test_cheat_sheet_basic_prompts(kb, text, category, present) -> None:
    result = classify(text, kb)
    assert result.category == category
    assert result.present == present
    details = kb.category(category).detail_ids
    assert result.missing == tuple(d for d in details if d not in present)
    assert result.score == (len(present), len(details))


def _specific_prompts() -> list[str]:
    if not CHEAT_SHEET.exists():
        return []
    text = CHEAT_SHEET.read_text(encoding="utf-8")
    found = re.findall(r"Specific Prompt:\*?\*?\s*\n\s*>\s*(.+)", text)
    return [re.sub(r"\*\*", "", f).strip() for f in found]


def test_cheat_sheet_specific_prompts_name_every_detail(kb) -> None:
    prompts = _specific_prompts()
    if len(prompts) != 5:
        pytest.skip("cheat sheet not available")
    for (_, category, _), text in zip(BASIC, prompts):
        result = classify(text, kb)
        assert result.category == category, text
        assert result.missing == (), (text, result.missing)
        assert result.confidence > 0.3


@pytest.mark.parametrize(
    "text,category,detail",
    [
        ("Add a comments table to the prsima schema.", "database-schema", "technology"),
        ("Implement logn with email and passwrd.", "authentication", "login-methods"),
        ("Set up Supabse Auth with magic links.", "authentication", "provider"),
        ("Create an Expres endpoint at /api/orders that handles POST.", "api-endpoint", "framework"),
        ("Call the OpenWeatherMap API with axois and keep the key in an env var.", "external-api", "http-client"),
    ],
)
def test_typos_still_count(kb, text, category, detail) -> None:
    result = classify(text, kb)
    assert result.category == category
    assert detail in result.present
    assert any(m.fuzzy and m.detail == detail for m in result.matches)


@pytest.mark.parametrize(
    "text,category",
    [
        ("Add authentcation to the app.", "authentication"),
        ("Design the databse for my project.", "database-schema"),
        ("Set up a nigthly cron job that cleans old sessions.", "business-logic"),
    ],
)
def test_misspelt_signals_still_decide_the_category(kb, text, category) -> None:
    assert classify(text, kb).category == category


@pytest.mark.parametrize(
    "text",
    [
        "Add a login button to the navbar.",
        "Create a table component that lists users with pagination.",
        "Build the posts page with a card per post.",
        "Style the signup form with Tailwind and add a dark mode toggle.",
        "Write unit tests for the login handler with Jest and mock the database.",
        "Add a Dockerfile and a GitHub Actions workflow that deploys the API.",
        "Update the README with setup instructions.",
        "Use descriptive variable names and keep functions short.",
        "Always answer in English.",
        "",
        "   ",
    ],
)
def test_non_backend_prompts_have_no_category(kb, text) -> None:
    result = classify(text, kb)
    assert result.category is None
    assert result.present == result.missing == result.matches == ()


def test_matches_point_into_the_prompt(kb) -> None:
    text = "Using Drizzle, make a `Post` model with `title` (varchar, unique) that belongs to a User."
    result = classify(text, kb)
    assert result.category == "database-schema"
    assert set(result.present) == {"technology", "models", "fields", "types", "constraints", "relationships"}
    by_detail = {m.detail: text[m.start : m.end] for m in result.matches}
    assert by_detail["technology"] == "Drizzle"
    assert by_detail["relationships"] == "belongs to"
    assert by_detail["types"] == "varchar"
    for m in result.matches:
        assert 0 <= m.start < m.end <= len(text)
    assert list(result.matches) == sorted(result.matches, key=lambda m: (m.start, -m.end))


def test_fuzzy_match_span_covers_the_misspelt_word(kb) -> None:
    text = "Define the schema in Prsima, please."
    result = classify(text, kb)
    match = next(m for m in result.matches if m.detail == "technology")
    assert text[match.start : match.end] == "Prsima"
    assert match.fuzzy and match.term == "prisma"


def test_repeated_words_get_their_own_spans(kb) -> None:
    text = "GET posts, return json. Posts need json too; json everywhere."
    result = detect_details(text, kb, "api-endpoint")
    spans = [(m.start, m.end) for m in result.matches if m.detail == "success"]
    assert all(text[s:e].lower() in ("json", "return") for s, e in spans)


def test_detect_details_for_a_given_category(kb) -> None:
    result = detect_details("Keep the key in an environment variable and use httpx.", kb, "external-api")
    assert result.category == "external-api"
    assert result.present == ("http-client", "secrets")
    assert result.missing == ("provider", "endpoint", "transform")
    with pytest.raises(KeyError):
        detect_details("x", kb, "no-such-category")


def test_steps_need_two_actions(kb) -> None:
    one = detect_details("When a user signs up, send a welcome email.", kb, "business-logic")
    two = detect_details(
        "When a user signs up, create a Stripe customer, then send a welcome email.", kb, "business-logic"
    )
    assert "steps" not in one.present
    assert "steps" in two.present


def test_unicode_and_case_folding_do_not_break_offsets(kb) -> None:
    text = "İstanbul team: create a Gin endpoint at /api/ışık that handles GET and returns JSON."
    result = classify(text, kb)
    assert result.category == "api-endpoint"
    framework = next(m for m in result.matches if m.detail == "framework")
    assert text[framework.start : framework.end] == "Gin"


def test_identifiers_are_not_corrected(kb) -> None:
    assert kb.index.correct("prisma_client") is None
    assert kb.index.correct("taken") != "token"  # an English word, not a typo
    assert kb.index.correct("modal") != "model"  # a front-end word, not a typo
    assert kb.index.correct("passwrd") == "password"


def test_classification_speed(kb) -> None:
    """Thousands of varied prompts: report µs per prompt; generous bound against regressions."""
    subjects = ["posts", "orders", "invoices", "profiles", "comments", "teams", "tickets", "files"]
    templates = [
        "Make a {s} table with a title and a created date.",
        "Create an Express endpoint at /api/{s}/:id that returns 404 when missing.",
        "Add login with Google and keep the session in a cookie before showing {s}.",
        "Every night, archive old {s} and email a summary with Resend.",
        "Fetch {s} from the GitHub API using axios and keep the token in an env var.",
        "Render the {s} list as cards with a hover effect.",
        "Write clear commit messages when you change {s}.",
        "Prefer small pure functions; document each module that touches {s} and keep naming consistent.",
    ]
    prompts = [t.format(s=f"{s}{i}") for i in range(250) for s in subjects for t in templates[:1]]
    prompts += [t.format(s=f"{s}{i}") for i in range(30) for s in subjects for t in templates]
    start = time.perf_counter()
    for text in prompts:
        classify(text, kb)
    per_prompt = (time.perf_counter() - start) / len(prompts) * 1e6
    print(f"\nclassify: {per_prompt:.1f} us/prompt over {len(prompts)} prompts")
    assert per_prompt < 300


def test_warm_up_prepares_every_category_and_rule() -> None:
    """Engine.warm_up leaves nothing to set up on the first real document: each
    category's patterns are compiled and every rule vocabulary is loaded."""
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.detect_patterns import _FAST
    from promptcoach.engine.rules import hardcoded_secret, plaintext_password, vague_term

    builtin = builtin_knowledge()
    fresh = KnowledgeBase(builtin.categories, builtin.common_words)  # its own, empty tables
    for module in (hardcoded_secret, plaintext_password, vague_term):
        module.vocabulary.cache_clear()
    engine = Engine(knowledge=fresh)
    assert fresh.index not in _FAST
    engine.warm_up()
    index = engine.knowledge.index
    with_patterns = {
        c
        for c, category in enumerate(index.categories)
        if category.is_backend and any(detail.patterns for detail in category.details)
    }
    assert with_patterns and with_patterns <= set(_FAST[index])
    for module in (hardcoded_secret, plaintext_password, vague_term):
        assert module.vocabulary.cache_info().currsize == 1


def test_fuzzy_choices_near_in_length_change_no_correction(kb) -> None:
    """Corrections look only at choices whose length is within the allowed distance
    (no other can be that close); they equal those of the whole choice list, ties
    included, for every word of the labeled prompts and a set of misspellings."""
    import yaml
    from rapidfuzz import process
    from rapidfuzz.distance import OSA, JaroWinkler

    from promptcoach.engine.knowledge.index import fuzzy_distance

    index = KnowledgeBase(kb.categories, kb.common_words).index  # its own memo

    def reference(word: str) -> str | None:
        found = process.extract(
            word,
            index._fuzzy_choices.get(word[0], []),
            scorer=OSA.distance,
            score_cutoff=fuzzy_distance(len(word)),
            limit=8,
        )
        if not found:
            return None
        closest = min(distance for _, distance, _ in found)
        return max((t for t, d, _ in found if d == closest), key=lambda t: JaroWinkler.similarity(word, t))

    labeled = yaml.safe_load((Path(__file__).parents[1] / "data" / "labeled_prompts.yaml").read_text(encoding="utf-8"))
    words = {w for item in labeled for w in re.findall(r"[a-z]{4,}", item["text"].lower())}
    words |= {"prsima", "passwrd", "postgress", "expres", "djagno", "mongose", "stirpe", "sequelise", "fastpi"}
    words = {
        w for w in words if w not in index.known and not any(w[:-n] in index.single for n in (1, 2) if w.endswith("s"))
    }
    differing = [w for w in sorted(words) if index._correct(w) != reference(w)]
    assert len(words) > 200 and differing == []
    assert index._correct("prsima") == "prisma" and index._correct("stirpe") == "stripe"


def test_a_knowledge_base_dropped_is_freed_with_its_compiled_patterns() -> None:
    import gc
    import weakref

    from promptcoach.engine.detect_patterns import _FAST

    builtin = builtin_knowledge()
    fresh = KnowledgeBase(builtin.categories, builtin.common_words)
    assert classify("Create a Prisma model for posts with a title.", fresh).category == "database-schema"
    index = weakref.ref(fresh.index)
    assert index() in _FAST
    del fresh
    gc.collect()
    assert index() is None
