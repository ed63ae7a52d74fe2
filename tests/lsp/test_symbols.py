"""Document symbols: one per prompt, with its category and score."""

import pytest
from lsprotocol import types

from conftest import PROMPT_FILE, line_of, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def test_prompts_are_symbols(client):
    uri = open_doc(client)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
    )
    names = [s.name for s in symbols]
    assert "Make a posts table." in names and "API to get posts." in names
    posts = next(s for s in symbols if s.name == "Make a posts table.")
    assert posts.detail.startswith("database-schema ") and posts.detail.endswith("/6")
    assert posts.range.start.line == line_of(PROMPT_FILE, "posts table")
    api = next(s for s in symbols if s.name == "API to get posts.")
    assert api.detail.startswith("api-endpoint ")
    assert all("Backend prompts" not in n for n in names)  # headings are not prompts
