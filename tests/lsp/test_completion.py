"""Completion: category-aware values and clauses inside prompts, starters on empty lines, nothing elsewhere."""

import pytest
from lsprotocol import types
from pytest_lsp import client_capabilities

from testkit.lsp import change, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def complete(client, uri, line, character):
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
    )
    return list(result.items if isinstance(result, types.CompletionList) else (result or []))


async def test_orms_after_using_in_a_database_prompt(client):
    text = "Make a posts table. Using \n"
    uri = open_doc(client, "db.prompt.md", text)
    items = await complete(client, uri, 0, len("Make a posts table. Using "))
    labels = [i.label for i in items]
    assert "Prisma" in labels[:15] and "SQLAlchemy" in labels
    prisma = next(i for i in items if i.label == "Prisma")
    assert prisma.documentation.value  # documented from the knowledge base
    assert prisma.text_edit.range.start.character == len("Make a posts table. Using ")


async def test_api_prompt_offers_api_details(client):
    uri = open_doc(client, "api.prompt.md", "Create an API endpoint to get posts with \n")
    items = await complete(client, uri, 0, len("Create an API endpoint to get posts with "))
    labels = {i.label for i in items}
    db_only = {"Prisma", "SQLAlchemy", "Mongoose"}
    assert labels and not labels & db_only
    assert any(i.detail and "api-endpoint" not in i.detail for i in items)


async def test_typed_prefix_ranks_fuzzy_matches(client):
    uri = open_doc(client, "db.prompt.md", "Make a posts table using Pris\n")
    items = await complete(client, uri, 0, len("Make a posts table using Pris"))
    assert items[0].label == "Prisma"
    assert items[0].text_edit.range.start.character == len("Make a posts table using ")


async def test_clause_for_missing_detail_at_prompt_end(client):
    uri = open_doc(client, "db.prompt.md", "Make a posts table.\n")
    items = await complete(client, uri, 0, len("Make a posts table."))
    clauses = [i for i in items if i.label.startswith("Add ")]
    assert clauses, "clauses that add a missing detail"
    snippets = client_capabilities(client.client_name).text_document.completion.completion_item.snippet_support
    assert all((i.insert_text_format == types.InsertTextFormat.Snippet) == bool(snippets) for i in clauses)


async def test_starters_on_an_empty_line_of_a_prompt_file(client):
    uri = open_doc(client, "new.prompt.md", "# Prompts\n\n\n")
    items = await complete(client, uri, 2, 0)
    labels = " ".join(i.label for i in items)
    for title in ("Database", "API", "Auth"):
        assert title.lower() in labels.lower()
    assert len(items) >= 5


async def test_nothing_in_ordinary_code_or_unmarked_comments(client):
    text = "import os\n# a normal comment about tables using \nx = 'Make a posts table using '\n"
    uri = open_doc(client, "app.py", text, "python")
    assert await complete(client, uri, 0, 9) == []
    assert await complete(client, uri, 1, len("# a normal comment about tables using ")) == []
    assert await complete(client, uri, 2, len("x = 'Make a posts table using ")) == []


async def test_completion_inside_marked_comment(client):
    text = "# prompt: make a users table using \nx = 1\n"
    uri = open_doc(client, "models.py", text, "python")
    items = await complete(client, uri, 0, len("# prompt: make a users table using "))
    assert "SQLAlchemy" in {i.label for i in items}


async def test_completion_follows_edits(client):
    uri = open_doc(client, "db.prompt.md", "Write a poem.\n")
    assert await complete(client, uri, 0, len("Write a poem.")) == []
    change(client, uri, 2, (0, 0), (0, len("Write a poem.")), "Make a posts table using ")
    items = await complete(client, uri, 0, len("Make a posts table using "))
    assert "Prisma" in {i.label for i in items}


async def test_starters_after_a_bare_marker_in_code(client):
    """`# prompt: ` with nothing after it yet: the same starters as an empty prompt-file line."""
    text = "x = 1\n# prompt: \ny = 2\n"
    uri = open_doc(client, "start.py", text, "python")
    items = await complete(client, uri, 1, len("# prompt: "))
    assert len(items) >= 5 and "database" in " ".join(i.label for i in items).lower()
