"""Diagnostics: code, source, codeDescription, data with fixes; incremental edits; pull result ids."""

import asyncio

import pytest
from lsprotocol import types

from testkit.lsp import PROMPT_FILE, change, diagnostics, line_of, open_doc, pulls

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def test_vague_prompts_get_missing_detail_diagnostics(client):
    uri = open_doc(client)
    found = await diagnostics(client, uri)
    by_line = {d.range.start.line: d for d in found if d.code == "missing-detail"}
    posts = line_of(PROMPT_FILE, "posts table")
    api = line_of(PROMPT_FILE, "API to get")
    assert posts in by_line and api in by_line
    diagnostic = by_line[posts]
    assert diagnostic.source == "promptcoach"
    assert diagnostic.code_description.href.endswith("/knowledge/rules/missing-detail.md")
    assert diagnostic.range.start.character == 0 and diagnostic.range.end.character == len("Make a posts table.")
    assert diagnostic.data["facts"], "data carries the finding's facts"
    fixes = diagnostic.data.get("fixes", [])
    assert any("xpand" in fix["title"] for fix in fixes)
    assert any(e["range"] for fix in fixes for e in fix.get("edits", []))
    # the non-backend prompt gets no missing-detail finding
    welcome = line_of(PROMPT_FILE, "welcome message")
    assert all(not (d.range.start.line == welcome and d.code == "missing-detail") for d in found)


async def test_edit_updates_only_what_changed(client):
    uri = open_doc(client)
    before = await diagnostics(client, uri)
    posts = line_of(PROMPT_FILE, "posts table")
    # insert two lines at the top: every diagnostic moves down by two lines
    change(client, uri, 2, (0, 0), (0, 0), "Intro line.\n\n")
    after = await diagnostics(client, uri, version=2)
    assert sorted(d.range.start.line for d in after if d.code == "missing-detail") == sorted(
        d.range.start.line + 2 for d in before if d.code == "missing-detail"
    )
    moved = next(d for d in after if d.range.start.line == posts + 2 and d.code == "missing-detail")
    assert all(
        e["range"]["start"]["line"] >= posts + 2 for f in moved.data.get("fixes", []) for e in f.get("edits", [])
    )
    # make the posts prompt specific: its diagnostic goes away or names fewer missing details
    specific = (
        "Using Prisma, define a `Post` model with fields `id` (Int, autoincrement), `title` (String, unique) "
        "and a many-to-one relation to `User` via `authorId`."
    )
    change(client, uri, 3, (posts + 2, 0), (posts + 2, len("Make a posts table.")), specific)
    final = await diagnostics(client, uri, version=3)
    old = next(d for d in after if d.range.start.line == posts + 2 and d.code == "missing-detail")
    new = [d for d in final if d.range.start.line == posts + 2 and d.code == "missing-detail"]
    assert not new or len(new[0].data["facts"].get("missing", [])) < len(old.data["facts"].get("missing", []))


async def test_pull_diagnostics_report_unchanged(client):
    uri = open_doc(client)
    ident = types.TextDocumentIdentifier(uri)
    first = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
    assert first.kind == "full" and first.result_id
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=ident, previous_result_id=first.result_id)
    )
    assert again.kind == "unchanged" and again.result_id == first.result_id
    change(client, uri, 2, (0, 0), (0, 0), "x")
    third = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=ident, previous_result_id=first.result_id)
    )
    assert third.kind == "full" and third.result_id != first.result_id


async def test_only_one_delivery_mode(client):
    uri = open_doc(client)
    await diagnostics(client, uri)
    if pulls(client):
        assert uri not in client.diagnostics, "a pull client must not also get pushed diagnostics"
    else:
        assert client.diagnostics[uri]


async def test_marked_comments_in_code(client):
    text = "def handler():\n    # prompt: make a users table\n    # just a normal comment about tables\n    return 'API to get posts'\n"
    uri = open_doc(client, "app.py", text, "python")
    found = await diagnostics(client, uri)
    assert {d.range.start.line for d in found} <= {1}
    assert any(d.range.start.line == 1 for d in found)


async def test_close_clears_pushed_diagnostics(client):
    uri = open_doc(client)
    await diagnostics(client, uri)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    if not pulls(client):
        for _ in range(100):
            if client.diagnostics.get(uri) is not None and not list(client.diagnostics[uri]):
                break
            await asyncio.sleep(0.01)
        assert list(client.diagnostics[uri]) == []
