"""``workspace/executeCommand`` promptcoach.checkPrompt and promptcoach.explainCategory:
text that is in no document (the chat's prompt) coached as a prompt of the project."""

import itertools

import pytest
from context_samples import STACK_AGENTS
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session
_folders = itertools.count()


def folder(client, agents: str | None = None):
    path = client.root / f"chat{next(_folders)}"
    path.mkdir()
    if agents is not None:
        (path / "AGENTS.md").write_text(agents, encoding="utf-8")
    return path


async def run(client, command: str, *arguments):
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=list(arguments))
    )


async def test_the_server_registers_both_commands():
    from promptcoach.lsp.server import create_server

    server = create_server()  # pygls lists its commands in executeCommandProvider
    assert {"promptcoach.checkPrompt", "promptcoach.explainCategory"} <= set(server.protocol.fm.commands)


async def test_a_basic_prompt_gets_its_missing_details_and_specific_form(client):
    result = await run(
        client, "promptcoach.checkPrompt", {"text": "Make a posts table.", "uri": folder(client).as_uri()}
    )
    assert result["version"] == 1
    [prompt] = result["prompts"]
    assert prompt["category"] == "database-schema"
    assert prompt["title"] == "Database schema & migrations"
    assert prompt["score"] == {"present": 1, "total": 6}
    missing = {detail["id"]: detail for detail in prompt["missing"]}
    assert list(missing) == ["technology", "fields", "types", "constraints", "relationships"]
    assert all(detail["reason"] and detail["title"] for detail in missing.values())
    assert [f["rule"] for f in prompt["findings"]] == ["missing-detail"]
    assert "`Post`" in prompt["expansion"] and "<field names>" in prompt["expansion"]
    assert "database-schema" in [c["id"] for c in result["categories"]]


async def test_the_projects_agents_file_supplies_project_wide_details(client):
    root = folder(client, STACK_AGENTS)
    result = await run(client, "promptcoach.checkPrompt", {"text": "Make a posts table.", "uri": root.as_uri()})
    [prompt] = result["prompts"]
    [inherited] = prompt["inherited"]
    assert inherited["id"] == "technology" and inherited["path"].endswith("AGENTS.md")
    assert "technology" not in [d["id"] for d in prompt["missing"]]
    assert prompt["score"]["present"] == 2
    # a file's uri places the text in that file's folder: the same context
    file_uri = (root / "notes.prompt.md").as_uri()
    again = await run(client, "promptcoach.checkPrompt", {"text": "Make a posts table.", "uri": file_uri})
    assert again["prompts"][0]["inherited"] == prompt["inherited"]


async def test_each_request_of_the_text_is_coached(client):
    text = "Make a posts table.\n\nAdd a GET /posts endpoint.\n\nWrite a haiku about autumn."
    result = await run(client, "promptcoach.checkPrompt", {"text": text, "uri": folder(client).as_uri()})
    assert [p["category"] for p in result["prompts"]] == ["database-schema", "api-endpoint", None]
    other = result["prompts"][2]
    assert other["expansion"] is None and other["missing"] == [] and other["findings"] == []


async def test_explain_category_returns_the_card(client):
    card = await run(client, "promptcoach.explainCategory", {"id": "api-endpoint"})
    assert card["title"] == "API endpoint (CRUD)"
    assert [d["id"] for d in card["details"]] == ["framework", "route", "method", "success", "errors", "security"]
    assert card["example"]["basic"] and card["example"]["specific"] and card["example"]["why"]
    assert await run(client, "promptcoach.explainCategory", {"id": "no-such-category"}) is None


@pytest.mark.parametrize("arguments", [[], ["Make a posts table."], [{"text": 3}], [{"text": "x", "uri": 5}]])
async def test_malformed_arguments_are_invalid_params(client, arguments):
    with pytest.raises(JsonRpcInvalidParams):
        await run(client, "promptcoach.checkPrompt", *arguments)
