"""Whole prompts: a lead and its specifics are one prompt (engine/extract/grouping.py)."""

from __future__ import annotations

import textwrap

from promptcoach.engine.extract import extract
from promptcoach.engine.settings import Settings

SETTINGS = Settings()


def prompts(doc: str, path: str = "tasks.prompt.md") -> list[tuple[str, str]]:
    """(first line, kind) of each whole prompt."""
    _, found = extract(textwrap.dedent(doc), path, settings=SETTINGS)
    return [(prompt.text.split("\n")[0], kind) for prompt, kind in found]


def texts(doc: str, path: str = "tasks.prompt.md") -> list[str]:
    _, found = extract(textwrap.dedent(doc), path, settings=SETTINGS)
    return [prompt.text for prompt, _ in found]


def test_a_lead_and_its_list_are_one_prompt():
    doc = """\
        Create a posts table:

        - Use Prisma with PostgreSQL.
        - Fields: id, title, body.

        Add an endpoint that lists posts.
        """
    assert prompts(doc) == [("Create a posts table:", "request"), ("Add an endpoint that lists posts.", "request")]
    assert "Fields: id, title, body." in texts(doc)[0]


def test_numbered_steps_phrased_as_tasks_belong_to_their_lead():
    doc = """\
        Build the invoices feature.

        1. Model `Invoice` with `id`, `total` and `dueAt`.
        2. Write the migration.
        3. Add `GET /invoices`.
        """
    assert len(prompts(doc)) == 1


def test_a_list_of_requests_with_no_lead_is_one_prompt_per_item():
    doc = """\
        # Prompts we reuse

        - Make a posts table.
        - Add user login.
          - with GitHub OAuth
        - Get stock price data.
        """
    found = texts(doc)
    assert [t.split("\n")[0] for t in found] == ["Make a posts table.", "Add user login.", "Get stock price data."]
    assert found[1] == "Add user login.\nwith GitHub OAuth"  # an item's sub-list belongs to it


def test_a_file_with_one_task_is_one_prompt_whatever_its_sections():
    doc = """\
        # Invoices endpoint

        ## Context
        The billing service is a NestJS app.

        ## Task
        Add an endpoint that returns the invoices of one account.

        ## Requirements
        - Route: `GET /v1/accounts/:id/invoices`
        - 404 when the account does not exist
        """
    [(lead, kind)] = prompts(doc)
    assert kind == "request" and lead == "The billing service is a NestJS app."


def test_a_thematic_break_and_a_new_heading_start_new_prompts():
    doc = """\
        Add a `lessons` table with `startsAt` (timestamp).

        ---

        Let instructors sign in with a magic link.

        ## Reports
        Every Monday, email each school its bookings of the week.
        """
    assert len(prompts(doc)) == 3


def test_a_prompt_log_keeps_its_notes_apart():
    doc = """\
        ## Monday
        Prompt: make a mongoose schema for todos with title and done

        It made `done` required; I changed it to default false.

        ## Tuesday
        Prompt: add express routes for todos
        """
    assert [kind for _, kind in prompts(doc, "prompts/log.md")] == ["request", "context", "request"]


def test_fenced_code_counts_for_details_but_is_not_prompt_text():
    doc = """\
        Add these models to `prisma/schema.prisma`:

        ```prisma
        model Event {
          id    String @id
          title String
        }
        ```
        """
    _, [(prompt, kind)] = extract(textwrap.dedent(doc), "events.prompt.md", settings=SETTINGS)
    assert kind == "request" and "model Event" in prompt.code and "model Event" not in prompt.text
    assert prompt.end > prompt.start + len(prompt.text)  # the range spans the fence
    assert prompt.lead_text == "Add these models to `prisma/schema.prisma`:"


def test_instruction_files_are_statements_one_per_item():
    doc = """\
        ## Conventions
        - Use async/await for all database access.
        - Validate request bodies with Pydantic models.

        **Database:** PostgreSQL 16
        **Auth:** Clerk
        """
    found = prompts(doc, "AGENTS.md")
    assert len(found) == 4 and {kind for _, kind in found} <= {"guideline", "context"}


def test_span_and_kind_without_building_equal_the_built_prompts():
    """The editor looks an edited document's prompts up by span and kind before it
    builds any (WholePrompts.span/kind): they must equal the built prompt's."""
    from pathlib import Path

    from promptcoach.engine.extract.grouping import WholePrompts

    docs = [
        path.read_text(encoding="utf-8")
        for path in sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.md"))
    ]
    docs.append("**Goal:** a blog.\n**Stack:** FastAPI.\n\nAdd a posts table:\n\n- id\n\n```sql\nselect 1;\n```\n")
    checked = 0
    for doc in docs:
        for path in ("tasks.prompt.md", "AGENTS.md"):
            _, fresh = extract(doc, path, settings=SETTINGS)
            _, built = extract(doc, path, settings=SETTINGS)
            assert isinstance(fresh, WholePrompts)
            for index, (prompt, kind) in enumerate(built):
                assert fresh.span(index) == (prompt.start, prompt.end)
                assert fresh.kind(index) == kind
                checked += 1
    assert checked > 20
