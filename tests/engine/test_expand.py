"""Expansion of basic prompts into their category's specific form (engine/expand.py)."""

from __future__ import annotations

import json
import re

import pytest

from promptcoach.engine.detect import classify
from promptcoach.engine.expand import (
    SLOT_RE,
    ExpansionError,
    Slot,
    expand,
    expand_prompt,
    find_subject,
    pascal_case,
    render_snippet,
    singular,
)
from promptcoach.engine.knowledge import load_knowledge
from promptcoach.engine.snippet import escape_choice, escape_text

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
                number = re.match(r"\d+", snippet[i + 2:]).group()
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
                number = re.match(r"\d+", snippet[i + 1:]).group()
                tokens.append(("final",) if number == "0" else ("mirror", int(number)))
                i += 1 + len(number)
        else:
            text.append(ch)
            i += 1
    flush()
    return tokens


# --- naming helpers -----------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "expected"), [
    ("posts", "post"), ("categories", "category"), ("addresses", "address"), ("boxes", "box"),
    ("status", "status"), ("users", "user"), ("stock price data", "stock price data"),
    ("blog posts", "blog post"), ("news", "news"), ("batches", "batch"),
])
def test_singular(word, expected):
    assert singular(word) == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    ("post", "Post"), ("blog post", "BlogPost"), ("order_item", "OrderItem"), ("user-profile", "UserProfile"),
])
def test_pascal_case(phrase, expected):
    assert pascal_case(phrase) == expected


@pytest.mark.parametrize(("text", "subject"), [
    ("Make a posts table.", "posts"),
    ("API to get posts.", "posts"),
    ("Create a `BlogPost` model with a title.", "blog post"),
    ("Build an endpoint for the product catalog.", "product catalog"),
    ("Get stock price data.", "stock price data"),
])
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


@pytest.mark.parametrize("text", BASIC)
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


# --- slots filled from the prompt ---------------------------------------------------------------

def test_named_technology_is_kept_even_misspelt(kb):
    result = run("Using prsima, make a comments table with a unique slug that belongs to users.", kb)
    slots = {s.name: s for s in result.slots}
    assert slots["technology"].value == "Prisma" and slots["technology"].source == "prompt"
    assert "`Comment`" in result.plain
    assert "unique slug" in slots["constraints"].value
    assert "belongs to users" in slots["relationships"].value


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
    assert "`invoices`" in result.plain


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
        ("text", "X "), ("stop", 1, tricky), ("text", " Y $ } \\ "), ("choice", 2, [tricky, "plain"]),
        ("text", " "), ("mirror", 1), ("final",),
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
