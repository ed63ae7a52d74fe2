"""Document symbols: one per prompt, with its category and score."""

import pytest
from lsprotocol import types

from testkit.lsp import PROMPT_FILE, line_of, open_doc

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


async def test_a_bare_marker_is_an_empty_prompt_every_feature_handles(client):
    """`// prompt:` with nothing after it: an empty-prompt warning just after the
    marker, a symbol with a readable name, and hover, completion, inlay hints and
    code actions at that spot answer without an error."""
    from testkit.lsp import diagnostics

    text = "const a = 1;\n// prompt:\nconst b = 2;\n"
    uri = open_doc(client, "app.ts", text, "typescript")
    doc = types.TextDocumentIdentifier(uri)
    spot = types.Position(1, len("// prompt:"))
    (found,) = [d for d in await diagnostics(client, uri) if d.code == "empty-prompt"]
    assert found.range == types.Range(spot, spot)
    (symbol,) = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc))
    assert symbol.name == "(empty prompt)"
    await client.text_document_hover_async(types.HoverParams(doc, spot))
    await client.text_document_completion_async(types.CompletionParams(doc, spot))
    await client.text_document_inlay_hint_async(
        types.InlayHintParams(doc, types.Range(types.Position(0, 0), types.Position(3, 0)))
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(doc, types.Range(spot, spot), types.CodeActionContext([found]))
    )
    assert any("Disable empty-prompt" in action.title for action in actions or [])
