"""Expansion of basic prompts into their category's specific form (engine/expand.py)."""

from __future__ import annotations

import json
import re

import pytest

from promptcoach.engine.detect import classify
from promptcoach.engine.expand import ExpansionError, expand, expand_prompt, render_snippet
from promptcoach.engine.expand_slots import SLOT_RE, Slot
from promptcoach.engine.knowledge import load_knowledge
from promptcoach.engine.snippet import escape_choice, escape_text
from promptcoach.engine.subject import find_subject, pascal_case, singular

BASIC = {
    "Make a posts table.": "database-schema",
    "API to get posts.": "api-endpoint",
    "Add user login.": "authentication",
    "Process a new user signup.": "business-logic",
    "Get stock price data.": "external-api",
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def run(text, kb, **kwargs):
    return expand(text, classify(text, kb), kb, **kwargs)


# --- a small parser of VS Code snippet syntax, to check what expand() emits ----------------------


def parse_snippet(snippet: str) -> list:
    """Tokens: ("text", str) | ("stop", n, default) | ("choice", n, [items]) | ("mirror", n) | ("final",)."""
    tokens, i, text = [], 0, []

    def flush():
        if text:
            tokens.append(("text", "".join(text)))
            text.clear()

    def read_until(i, stops, escapable):
        out = []
        while snippet[i] not in stops:
            if snippet[i] == "\\" and snippet[i + 1] in escapable:
                i += 1
            elif snippet[i] == "$" or (snippet[i] == "\\"):
                raise AssertionError(f"unescaped {snippet[i]!r} at {i} in {snippet!r}")
            out.append(snippet[i])
            i += 1
        return "".join(out), i

    while i < len(snippet):
        ch = snippet[i]
        if ch == "\\":
            assert snippet[i + 1] in "\\$}", f"bad escape at {i}"
            text.append(snippet[i + 1])
            i += 2
        elif ch == "}":
            raise AssertionError(f"unescaped '}}' at {i} in {snippet!r}")
        elif ch == "$":
            flush()
            if snippet.startswith("${", i):
                number = re.match(r"\d+", snippet[i + 2 :]).group()
                i += 2 + len(number)
                if snippet[i] == ":":
                    default, i = read_until(i + 1, "}", "\\$}")
                    tokens.append(("stop", int(number), default))
                    i += 1
                else:
                    assert snippet[i] == "|"
                    items, i = [], i + 1
                    while True:
                        item, i = read_until(i, ",|", "\\$},|")
                        items.append(item)
                        if snippet[i] == "|":
                            break
                        i += 1
                    assert snippet[i + 1] == "}"
                    tokens.append(("choice", int(number), items))
                    i += 2
            else:
                number = re.match(r"\d+", snippet[i + 1 :]).group()
                tokens.append(("final",) if number == "0" else ("mirror", int(number)))
                i += 1 + len(number)
        else:
            text.append(ch)
            i += 1
    flush()
    return tokens


# --- naming helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("posts", "post"),
        ("categories", "category"),
        ("addresses", "address"),
        ("boxes", "box"),
        ("status", "status"),
        ("users", "user"),
        ("stock price data", "stock price data"),
        ("blog posts", "blog post"),
        ("news", "news"),
        ("batches", "batch"),
    ],
)
def test_singular(word, expected):
    assert singular(word) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("post", "Post"),
        ("blog post", "BlogPost"),
        ("order_item", "OrderItem"),
        ("user-profile", "UserProfile"),
    ],
)
def test_pascal_case(phrase, expected):
    assert pascal_case(phrase) == expected


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Make a posts table.", "posts"),
        ("API to get posts.", "posts"),
        ("Create a `BlogPost` model with a title.", "blog post"),
        ("Build an endpoint for the product catalog.", "product catalog"),
        ("Get stock price data.", "stock price data"),
        ("Rename the column fname to first_name in the customers table.", "customers"),  # before a container
        ("I need a table for storing user preferences like theme.", "user preferences"),  # after a gerund
        ("Create a model called Article with a title.", "article"),
        ("Create an API to update a user's profile.", "profile"),  # a later verb starts again
        ("Design the database for a blog.", "blog"),
        ("Model: User has many Posts.", None),  # no task verb, no container before a name
    ],
)
def test_find_subject(text, subject):
    assert find_subject(text) == subject


# --- the five basic prompts ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "category"), BASIC.items())
def test_basic_prompts_expand_to_their_category_template(kb, text, category):
    result = run(text, kb)
    assert result.category == category
    cat = kb.category(category)
    assert not SLOT_RE.search(result.plain.replace("{ticker}", "")), "every slot is filled"
    for slot in result.slots:
        shown = slot.value if slot.value is not None else slot.placeholder
        assert shown in result.plain
    open_details = [s for s in result.slots if s.value is None and cat.detail(s.name) is not None]
    assert open_details, "a basic prompt leaves details open"
    for slot in open_details:
        assert slot.placeholder == cat.detail(slot.name).clause.placeholder


LONG = (  # kept as written, with the missing details' clauses
    "Create a nightly cron job that deletes unverified accounts older than 30 days.",
    "Create an API to update a user's profile.",
    "Get weather data from OpenWeather for the user's city and show temperature and humidity.",
    "add a comments table. it needs a $ amount} column",  # lower case, snippet syntax in the text
)


@pytest.mark.parametrize("text", [*BASIC, *LONG])
def test_snippet_is_well_formed_and_matches_the_plain_text(kb, text):
    result = run(text, kb)
    tokens = parse_snippet(result.snippet)
    assert tokens[-1] == ("final",)
    stops = [t for t in tokens if t[0] in ("stop", "choice")]
    assert [t[1] for t in stops] == list(range(1, len(stops) + 1))
    # Replacing each tab stop by its slot's plain text gives back the plain expansion.
    by_number = dict(zip(range(1, len(result.slots) + 1), result.slots))
    rebuilt = []
    for token in tokens:
        if token[0] == "text":
            rebuilt.append(token[1])
        elif token[0] in ("stop", "choice", "mirror"):
            slot = by_number[token[1]]
            if token[0] == "choice":
                assert token[2] == list(slot.choices) and slot.value is None
            shown = slot.value if slot.value is not None else slot.placeholder
            rebuilt.append(shown.strip("`") if token[0] == "stop" else shown)
    assert "".join(rebuilt) == result.plain


def test_schema_prompt_becomes_a_post_model_with_kb_choices(kb):
    result = run("Make a posts table.", kb)
    assert "`Post`" in result.plain
    technology = kb.category("database-schema").detail("technology")
    assert technology.clause.placeholder in result.plain
    choice = next(t for t in parse_snippet(result.snippet) if t[0] == "choice")
    assert choice[2] == list(technology.clause.choices)


# --- what the prompt says is kept ---------------------------------------------------------------


@pytest.mark.parametrize("text", LONG)
def test_longer_prompts_are_kept_as_written_with_the_missing_clauses(kb, text):
    classification = classify(text, kb)
    result = expand(text, classification, kb)
    written = " ".join(text.split())
    assert written[1:] in result.plain  # a start clause may lower-case the first letter
    cat = kb.category(result.category)
    for detail_id in classification.missing:
        assert cat.detail(detail_id).clause.placeholder in result.plain
    assert [slot.name for slot in result.slots] == [
        d.id
        for d in sorted(
            (cat.detail(i) for i in classification.missing),
            key=lambda d: (d.clause.position != "start", cat.details.index(d)),
        )
    ]


def test_a_prompt_naming_every_detail_is_unchanged(kb):
    text = "Create an endpoint with Express: GET /api/posts/:id returns the post as JSON, 404 if missing, admins only."
    classification = classify(text, kb)
    assert not classification.missing
    assert run(text, kb).plain == text


def test_a_word_the_template_would_lose_keeps_the_prompt(kb):
    assert "update" in run("API to update posts.", kb).plain
    assert run("API to get posts.", kb).plain.startswith("Using ")  # "get" is what the template says


def test_a_placeholder_example_does_not_carry_a_word(kb):
    # "title" is no detected field here; the fields placeholder's example ("e.g. title String")
    # must not count as saying it, so the prompt is kept as written
    assert "make a posts table with a title." in run("Make a posts table with a title.", kb).plain


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Make a posts table для блога", "для блога"),  # words of any script count
        ("Let only admins log in with Google", "only admins"),  # a quantifier says something
        ("Create an endpoint for new posts", "new posts"),
        ("Make a table with a field named email", "a field named email"),  # "named" after a field names no model
    ],
)
def test_what_a_rewrite_would_lose_is_kept(kb, text, kept):
    result = run(text, kb)
    assert kept in result.plain
    assert "`Named`" not in result.plain and "`Email`" not in result.plain


def test_a_rewrite_needs_its_subject(kb):
    result = run("Handle refunds.", kb)  # no resource to name the function after
    assert "handle refunds" in result.plain and "<resource" not in result.plain


def test_vague_terms_are_neither_kept_nor_slot_values(kb):
    assert "stuff" not in run("Make a users table and stuff.", kb).plain
    result = run("Handle errors properly in the orders API.", kb)
    assert not any(slot.value and "properly" in slot.value for slot in result.slots)


# --- the rewrite reads well ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Make an invoices table.", "define an `Invoice` model"),
        ("Make a users table.", "define a `User` model"),  # "a user": a consonant sound
        ("Make a posts table with title and body.", "with the fields title and body."),  # no "with the fields with"
        ("Create a posts table with a title, a slug and a body.", "the fields title, slug and body."),
        ("Make a GET endpoint for posts with Express.", "handles GET requests"),  # not "GET endpoint requests"
        ("Every night, process the orders.", "runs every night."),  # lower-cased mid-sentence
        ("Make a comments tabel with title and body.", "`Comment`"),  # a misspelt container still ends the name
        ("write a gin handler for DELETE /v1/projects/:id, admins only", "for `projects`"),  # "only" is no name
    ],
)
def test_rewrite_wording(kb, text, expected):
    assert expected in run(text, kb).plain


def test_article_follows_the_value_in_the_snippet_too(kb):
    assert "define an `${2:Invoice}` model" in run("Make an invoices table.", kb).snippet


# --- slots filled from the prompt ---------------------------------------------------------------


def test_named_technology_is_kept_even_misspelt(kb):
    result = run("Using prsima, make a comments table with a unique slug.", kb)
    slots = {s.name: s for s in result.slots}
    assert slots["technology"].value == "Prisma" and slots["technology"].source == "prompt"
    assert "`Comment`" in result.plain
    assert slots["constraints"].value == "unique slug"
    related = run("Make a prsima comments table that belongs to users.", kb)
    assert {s.name: s.value for s in related.slots}["relationships"] == "belongs to users"


def test_route_method_and_framework_are_kept(kb):
    result = run("Create an Express endpoint GET /api/posts/:id that returns 404 if missing.", kb)
    slots = {s.name: s.value for s in result.slots}
    assert slots["framework"] == "Express"
    assert slots["route"] == "/api/posts/:id"
    assert slots["method"] == "GET"
    assert slots["resource"] == "posts"
    assert "404" in slots["errors"]


def test_explicit_category_for_an_uncategorized_prompt(kb):
    classification = classify("list the invoices", kb)
    assert classification.category is None
    with pytest.raises(ExpansionError):
        expand("list the invoices", classification, kb)
    result = expand("list the invoices", classification, kb, category="api-endpoint")
    assert result.category == "api-endpoint"
    assert "list the invoices" in result.plain  # "list" says more than the template would: kept as written


def test_unknown_category_is_an_error(kb):
    with pytest.raises(ExpansionError, match="unknown category"):
        run("Make a posts table.", kb, category="nope")


def test_project_stack_fills_and_orders_choices(kb, tmp_path):
    from promptcoach.engine.stack import detect_stack

    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"@prisma/client": "5", "express": "4"}}))
    stack = detect_stack(tmp_path)
    result = run("Make a posts table.", kb, stack=stack)
    technology = next(s for s in result.slots if s.name == "technology")
    assert technology.source == "stack"
    assert "Prisma" in technology.value and result.plain.startswith(f"Using {technology.value}")


# --- escaping -----------------------------------------------------------------------------------


def test_escaping_round_trips_through_the_snippet_parser():
    tricky = "cost $5 {a} \\ path, a|b"
    template = "X {a} Y $ } \\ {b} {a}"
    slots = {"a": Slot("a", tricky, "<a>"), "b": Slot("b", None, "<b>", choices=(tricky, "plain"))}
    snippet = render_snippet(template, slots)
    assert parse_snippet(snippet) == [
        ("text", "X "),
        ("stop", 1, tricky),
        ("text", " Y $ } \\ "),
        ("choice", 2, [tricky, "plain"]),
        ("text", " "),
        ("mirror", 1),
        ("final",),
    ]
    assert escape_text("a$b}c\\") == "a\\$b\\}c\\\\"
    assert escape_choice("a,b|c") == "a\\,b\\|c"


# --- editor glue --------------------------------------------------------------------------------


def test_expand_prompt_for_an_analysis(kb):
    from promptcoach.engine.analyze import Engine

    engine = Engine(knowledge=kb)
    analysis = engine.analyze("Make a posts table.\n\nMake the navbar sticky.\n", "a.prompt.md")
    schema, navbar = analysis.prompts
    assert expand_prompt(schema, engine).text.startswith("Using ")
    assert expand_prompt(navbar, engine) is None


def test_results_are_cached_per_knowledge_base(kb):
    first = run("API to get posts.", kb)
    assert run("API to get posts.", kb) is first
    other = load_knowledge()
    if other is not kb:
        assert expand("API to get posts.", classify("API to get posts.", other), other) is not first
