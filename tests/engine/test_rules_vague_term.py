"""vague-term: positives, a list of ordinary sentences without findings, and the fix."""

from __future__ import annotations

import pytest
from test_rules_helpers import apply, context, findings, fixed

from promptcoach.engine.rules import run_rules
from promptcoach.engine.rules.vague_term import find_vague_terms


def terms(text: str) -> list[str]:
    return [text[start:end] for start, end, _ in find_vague_terms(text)]


POSITIVES = [
    ("Add the user stuff to the profile.", ["stuff"]),
    ("Store name, email, etc. in the users table.", ["etc"]),
    ("Track clicks, views and so on.", ["and so on"]),
    ("Handle errors properly.", ["properly"]),
    ("Return the appropriate status code.", ["appropriate"]),
    ("Somehow connect to the payment provider.", ["Somehow"]),
    ("Use some kind of queue for the emails.", ["some kind of"]),
    ("If the user is missing, handle it.", ["handle it"]),
    ("Retry as needed.", ["as needed"]),
    ("Add some validation to the signup endpoint.", ["some"]),
    ("Pick a cache library or whatever.", ["or whatever"]),
    ("Add various fields to the orders table.", ["various"]),
    ("Make the API robust and follow best practices.", ["robust", "best practices"]),
    ("Keep the errors nice and the code good.", ["nice", "good"]),
    ("Cache the things we fetch.", ["things"]),
    ("Save the file somewhere.", ["somewhere"]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_vague_terms_are_found(text, expected):
    assert terms(text) == expected


ORDINARY = [
    "Make a posts table.",
    "API to get posts.",
    "Add user login.",
    "Process a new user signup.",
    "Get stock price data.",
    "If some fields are missing, return 400 with the names of the missing fields.",
    "When some users have no email, skip them.",
    "Use something like `/api/posts/:id` for the route.",
    "It's a good idea to index the email column.",
    "Dark mode is nice to have but not required.",
    "Return 404 when the post does not exist.",
    "Store the `stuff` column as JSON.",
    'Show the message "Something went wrong" on failure.',
    "The handler must validate the body and return 422 for invalid input.",
    "Create a Prisma model `Post` with `title` (String) and `published` (Boolean, default false).",
    "Integrate Supabase Auth with email and password and store the JWT in an httpOnly cookie.",
    "Some of the endpoints are public.",
    "Use the Stripe Node.js SDK to create a customer.",
    "Add a many-to-one relation from Post to User through authorId.",
    "Things to note: the API is rate limited to 100 requests per minute.",
    "Paginate with a cursor and return the next cursor in the response.",
    "Mark the invoice as paid once the webhook arrives.",
    "Log every failed login attempt with the IP address.",
    "Parse the CSV with pandas and insert each row into `contacts`.",
    "For good measure, add an index on created_at.",
    "Flag inappropriate comments for moderation.",
    "Something like this would work: call the quote endpoint with axios.",
    "Handle them by returning 400 with a list of errors.",
    "Use Argon2id to hash passwords before saving them.",
    "Sort the results by relevance.",
    "Add a `somewhere_else` field to the addresses table.",
    "Cover the edge cases in the tests for the cart reducer.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_no_false_positives_on_ordinary_sentences(text):
    assert terms(text) == []


def test_finding_message_range_data_and_severity():
    text = "Add the user stuff."
    (found,) = findings(text, "vague-term")
    assert found.severity == "information"
    assert text[found.start : found.end] == "stuff"
    assert found.message == "'stuff' is vague: which data, files or features do you mean?"
    assert found.data == {"term": "stuff", "placeholder": "<which items exactly?>"}


def test_fix_replaces_the_term_with_a_placeholder_tab_stop():
    assert fixed("Add the user stuff.", "vague-term") == "Add the user <which items exactly?>."
    (found,) = findings("Add the user stuff.", "vague-term")
    (fix,) = found.fixes
    assert fix.title == "Replace 'stuff' with a placeholder to fill in"
    assert fix.edits[0].snippet == "${1:<which items exactly?>}"
    assert not fix.safe  # a placeholder must be filled in by a human


def test_fixes_map_to_document_offsets():
    prefix = "# Notes\n\n- "
    ctx = context("Store name, email, etc.", prefix=prefix, suffix="\n")
    (found,) = [f for f in run_rules(ctx) if f.rule == "vague-term"]
    assert ctx.document_text[found.start : found.end] == "etc"
    assert (
        apply(ctx.document_text, found.fixes[0].edits)
        == "# Notes\n\n- Store name, email, <list the remaining items>.\n"
    )


def test_each_occurrence_is_reported():
    assert terms("Add stuff here and stuff there, etc., etc.") == ["stuff", "and stuff", "etc", "etc"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Connect to Stripe somehow and save the customer.", "Connect to Stripe and save the customer."),
        ("Handle errors properly.", "Handle errors."),
        ("Pick a cache library or whatever.", "Pick a cache library."),
    ],
)
def test_empty_fillers_have_a_safe_removal(text, expected):
    (found,) = findings(text, "vague-term")
    placeholder, removal = found.fixes
    assert not placeholder.safe and removal.safe
    assert removal.title.startswith("Remove '")
    assert apply(text, removal.edits) == expected


@pytest.mark.parametrize(
    "text", ["Somehow connect to Stripe.", "It works. Properly handle errors.", "Add the user stuff."]
)
def test_no_removal_where_it_would_break_the_sentence_or_lose_meaning(text):
    (found,) = findings(text, "vague-term")
    assert [fix.safe for fix in found.fixes] == [False]
