"""``workspace/executeCommand`` promptcoach.expand: the prompt at a position replaced by
its specific form, from any editor (the server applies the edit unless told not to)."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from testkit.lsp import PROMPT_FILE, line_of, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def expand(client, uri: str, line: int, character: int, **options):
    arguments = [{"uri": uri, "position": {"line": line, "character": character}, **options}]
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="promptcoach.expand", arguments=arguments)
    )


def applied_edits(client) -> list:
    """The workspace edits the server asks this client to apply, from now on."""
    client.applied_edits.clear()
    return client.applied_edits


def _texts(edit: types.WorkspaceEdit) -> list[str]:
    if edit.changes:
        return [e.new_text for edits in edit.changes.values() for e in edits]
    return [getattr(e, "new_text", None) or e.snippet.value for change in edit.document_changes for e in change.edits]


async def test_the_prompt_at_the_position_is_expanded_and_applied(client):
    edits = applied_edits(client)
    uri = open_doc(client)
    line = line_of(PROMPT_FILE, "Make a posts table.")
    answer = await expand(client, uri, line, 3)
    assert answer["title"].startswith("Expand")
    assert answer["range"] == {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 19}}
    assert "`Post` model" in answer["newText"] and "<field names>" in answer["newText"]
    assert "${" in answer["snippet"] and answer["snippet"].endswith("$0")  # every slot a tab stop
    for _ in range(100):
        if edits:
            break
        await asyncio.sleep(0.01)
    [request] = edits
    texts = _texts(request.edit)
    assert len(texts) == 1 and "`Post` model" in texts[0]


async def test_apply_false_only_answers(client):
    edits = applied_edits(client)
    uri = open_doc(client)
    answer = await expand(client, uri, line_of(PROMPT_FILE, "API to get posts."), 0, apply=False)
    assert answer is not None and "create an endpoint at" in answer["newText"]
    await asyncio.sleep(0.1)
    assert edits == []


async def test_no_prompt_or_no_category_at_the_position_answers_null(client):
    edits = applied_edits(client)
    uri = open_doc(client)
    assert await expand(client, uri, 0, 2) is None  # the heading
    assert await expand(client, uri, line_of(PROMPT_FILE, "friendly welcome"), 4) is None  # not a backend prompt
    assert await expand(client, "file:///nowhere/never-opened.prompt.md", 0, 0) is None
    assert edits == []


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        [{"uri": 3, "position": {"line": 0, "character": 0}}],
        [{"uri": "file:///a", "position": {"line": -1, "character": 0}}],
        [{"uri": "file:///a"}],
        ["file:///a"],
    ],
)
async def test_bad_arguments_are_invalid_params(client, arguments):
    with pytest.raises(JsonRpcInvalidParams):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="promptcoach.expand", arguments=arguments)
        )


async def test_the_server_lists_the_command():
    from promptcoach.lsp.server import create_server

    assert "promptcoach.expand" in create_server().protocol.fm.commands
