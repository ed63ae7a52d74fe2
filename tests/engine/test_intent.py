"""What a block of a prompt file is: request, guideline, context or question (engine/intent.py)."""

from __future__ import annotations

import pytest

from promptcoach.engine.intent import is_specifics_heading, kind_of, read

REQUESTS = [
    "Make a posts table.",
    "API to get posts.",
    "Get stock price data.",
    "Create a posts table for the blog:",
    "Can you add login with Google?",
    "I need an endpoint that returns the open orders.",
    "**Prompt:** Only club admins can edit the schedule.",
    "Step 2: Write the migration for the invoices table.",
    "Every night at 02:00, delete sessions older than 30 days.",
    "When a payment fails, email the customer and mark the invoice overdue.",
    "Only signed-in editors can open `/admin/subscribers`.",
    "Erstelle eine Tabelle für Beiträge mit Titel und Text.",
    "Crea un endpoint `GET /reservas` que devuelva las reservas del día.",
    "Please add a unique index on `slug`.",
]
GUIDELINES = [
    "Use GPU acceleration when available, especially for PyTorch models.",
    "Never commit secrets; read them from environment variables.",
    "Always validate input at the edge of the system.",
    "Prefer Zod for request validation.",
    "Avoid N+1 queries: load relations in one go.",
    "Add tests for every new endpoint, always.",
]
CONTEXT = [
    "**Data Models:** Data structures and database schemas.",
    "Backend: FastAPI with SQLAlchemy 2.0 and PostgreSQL.",
    "You are an expert in TypeScript and Node.js.",
    "This project is the backend of a small blog.",
    "I'm building a podcast hosting app on Laravel.",
    "Notes: it forgot the index on `ownerId`.",
    "It made `done` required, which broke creating todos.",
    "Not sure yet how long sessions should last.",
]
QUESTIONS = [
    "Why does my migration fail on SQLite?",
    "How do I add a foreign key in Drizzle?",
    "Explain what this SQL query does.",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_requests(text):
    assert kind_of(text) == "request"


@pytest.mark.parametrize("text", GUIDELINES)
def test_guidelines(text):
    assert kind_of(text) == "guideline"


@pytest.mark.parametrize("text", CONTEXT)
def test_context(text):
    assert kind_of(text) == "context"


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(text):
    assert kind_of(text) == "question"


@pytest.mark.parametrize(
    "text",
    [
        "Validate request bodies with Pydantic models.",
        "Add a unique index on slug.",
        "Keep business logic out of route handlers.",
    ],
)
def test_an_instruction_file_sets_rules_not_tasks(text):
    assert kind_of(text, "instructions") == "guideline"


def test_a_request_label_makes_a_task_even_in_an_instruction_file():
    assert kind_of("TODO for the agent: add rate limiting to `/api/login`.", "instructions") == "request"


def test_readings_tell_what_joins_a_prompt():
    assert read("Add an endpoint that lists posts.").opens
    assert read("API to get posts.").fragment and not read("API to get posts.").opens
    assert not read("Respond with 201 and the ticket.").opens  # a specific of the request above
    assert read("Worked, but it forgot the index.").note
    assert read("prompt 3: add signup with email").labelled


def test_specifics_headings():
    assert is_specifics_heading("Requirements") and is_specifics_heading("Acceptance criteria")
    assert not is_specifics_heading("Deployment")


def test_a_request_with_its_means_first_is_a_request():
    """Every specific form starts "Using <technology>, ...": an expanded prompt must stay a
    request of its own, not a guideline that swallows the next prompt."""
    from promptcoach.engine.analyze import Engine

    assert kind_of("Using Prisma, define a `Post` model with the fields title and body.") == "request"
    assert kind_of("With Express, add a route for posts.") == "request"
    assert kind_of("Using TypeScript, always write explicit return types.") == "guideline"
    assert kind_of("Using Prisma, define models in schema.prisma.", role="instructions") == "guideline"
    text = "# Backend\n\nUsing Prisma, define a `Post` model with a title.\n\nCreate a comments table.\n"
    prompts = Engine().analyze(text, "/tmp/x/tasks.prompt.md").prompts
    assert [p.prompt.text for p in prompts] == [
        "Using Prisma, define a `Post` model with a title.",
        "Create a comments table.",
    ]
