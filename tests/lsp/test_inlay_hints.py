"""Inlay hints: the specificity score after each categorized prompt."""

import pytest
from lsprotocol import types

from testkit.lsp import PROMPT_FILE, line_of, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def test_score_after_categorized_prompts(client):
    uri = open_doc(client)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            types.TextDocumentIdentifier(uri), types.Range(types.Position(0, 0), types.Position(100, 0))
        )
    )
    by_line = {h.position.line: h for h in hints}
    posts = line_of(PROMPT_FILE, "posts table")
    assert by_line[posts].label.endswith("/6")
    assert by_line[posts].position.character == len("Make a posts table.")
    assert by_line[line_of(PROMPT_FILE, "API to get")].label.endswith("/6")
    assert line_of(PROMPT_FILE, "welcome message") not in by_line


async def test_hints_only_in_range(client):
    uri = open_doc(client)
    posts = line_of(PROMPT_FILE, "posts table")
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            types.TextDocumentIdentifier(uri), types.Range(types.Position(posts, 0), types.Position(posts + 1, 0))
        )
    )
    assert [h.position.line for h in hints] == [posts]
