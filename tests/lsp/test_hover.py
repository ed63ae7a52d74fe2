"""Hover: the cheat-sheet card of the prompt under the cursor."""

import pytest
from lsprotocol import types

from testkit.lsp import PROMPT_FILE, line_of, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def hover(client, uri, line, character):
    return await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
    )


async def test_hover_shows_the_card(client):
    uri = open_doc(client)
    line = line_of(PROMPT_FILE, "posts table")
    result = await hover(client, uri, line, 5)
    assert result is not None
    text = result.contents.value
    assert "0/6" in text or "1/6" in text  # the score of the basic prompt
    assert text.count("missing") >= 4  # the details it leaves out
    assert "Specific" in text and "Why" in text and "Basic" in text
    assert result.range.start.line == line


async def test_no_hover_outside_prompts(client):
    uri = open_doc(client)
    assert await hover(client, uri, 0, 3) is None  # a heading
    welcome = line_of(PROMPT_FILE, "welcome message")
    assert await hover(client, uri, welcome, 3) is None  # not a backend prompt
