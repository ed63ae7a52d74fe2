"""Every request gets an answer; a bad request or a failing handler never kills the server."""

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcMethodNotFound

from testkit.lsp import diagnostics, open_doc, raw_request

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def test_negative_position_gets_invalid_params(client):
    uri = open_doc(client)
    params = {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}}
    with pytest.raises(JsonRpcInvalidParams):
        await raw_request(client, "textDocument/hover", params, "bad-position")
    # the server still answers
    assert await diagnostics(client, uri) is not None


async def test_missing_params_get_invalid_params(client):
    with pytest.raises(JsonRpcInvalidParams):
        await raw_request(client, "textDocument/completion", {"textDocument": {}}, "bad-params")


async def test_unknown_method_gets_method_not_found(client):
    with pytest.raises(JsonRpcMethodNotFound):
        await raw_request(client, "promptcoach/doesNotExist", {}, "unknown")


async def test_unknown_document_and_far_positions(client):
    uri = (client.root / "never-opened.prompt.md").as_uri()
    result = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(10_000, 10_000))
    )
    assert result is None
    opened = open_doc(client)
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(opened), types.Position(10_000, 10_000))
    )
    assert result is not None


async def test_malformed_code_action_data_is_ignored(client):
    uri = open_doc(client)
    bogus = types.Diagnostic(
        range=types.Range(types.Position(2, 0), types.Position(2, 5)),
        message="x",
        source="promptcoach",
        code="missing-detail",
        data={"fixes": [{"title": "broken", "edits": [{"range": "nonsense"}]}]},
    )
    try:
        await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                bogus.range,
                types.CodeActionContext(diagnostics=[bogus]),
            )
        )
    except Exception as error:  # an error answer is fine; no answer is not
        assert "broken" not in str(error)
    assert await diagnostics(client, uri)
