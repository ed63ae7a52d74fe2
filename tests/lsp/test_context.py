"""Whole prompts and project context in the editor: instruction files, inheritance,
context-coverage, the "State ... in AGENTS.md" fix, and re-analysis when context changes."""

import asyncio
import itertools

import pytest
from context_samples import LEAD_AND_LIST
from context_samples import STACK_AGENTS as AGENTS
from lsprotocol import types

from testkit.lsp import diagnostics, open_file

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session
_folders = itertools.count()


def folder(client):
    path = client.root / f"ctx{next(_folders)}"
    path.mkdir()
    return path


async def settled(client, uri, predicate):
    """The document's diagnostics once ``predicate`` holds for them (pull: ask again;
    push: wait for the next publication)."""
    found = []
    for _ in range(100):
        found = await diagnostics(client, uri)
        if predicate(found):
            return found
        await asyncio.sleep(0.05)
    return found


async def test_a_complete_lead_and_list_prompt_has_no_diagnostics(client):
    uri = open_file(client, folder(client) / "posts.prompt.md", LEAD_AND_LIST)
    assert await diagnostics(client, uri) == []


async def test_an_agents_file_has_context_coverage_and_no_missing_detail(client):
    root = folder(client)
    uri = open_file(client, root / "AGENTS.md", AGENTS)
    found = await diagnostics(client, uri)
    assert [d.code for d in found] == ["context-coverage"]
    [coverage] = found
    assert coverage.severity == types.DiagnosticSeverity.Information
    assert coverage.code_description.href.endswith("/knowledge/rules/context-coverage.md")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), coverage.range, types.CodeActionContext(diagnostics=[coverage])
        )
    )
    titles = [a.title for a in actions]
    assert "State the HTTP client in AGENTS.md" in titles, titles


async def test_a_prompt_inherits_from_agents_md_and_follows_its_changes(client):
    root = folder(client)
    agents = open_file(client, root / "AGENTS.md", "# Agents\n\nKeep changes small.\n")
    prompt = open_file(client, root / "prompts" / "posts.prompt.md", "Make a posts table.\n")
    [before] = [d for d in await diagnostics(client, prompt) if d.code == "missing-detail"]
    assert "1 of 6" in before.message and "AGENTS.md" not in before.message
    # the fix that states the technology once, in the nearest AGENTS.md
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(prompt), before.range, types.CodeActionContext(diagnostics=[before])
        )
    )
    [state] = [a for a in actions if a.title == "State the database technology in AGENTS.md"]
    edit = state.edit
    changed = [c.text_document.uri for c in edit.document_changes] if edit.document_changes else list(edit.changes)
    assert changed == [agents]
    # typing in the open AGENTS.md (not saved) updates the prompt's diagnostics
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=agents, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(
                    text="# Agents\n\nThe data lives in PostgreSQL, through SQLAlchemy.\n"
                )
            ],
        )
    )
    after = await settled(client, prompt, lambda found: any("/AGENTS.md;" in d.message for d in found))
    [finding] = [d for d in after if d.code == "missing-detail"]
    assert f"2 of 6 key details, 1 from {root.name}/AGENTS.md" in finding.message  # relative to the workspace
    # the hover names the file and the line
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(prompt), types.Position(0, 3))
    )
    assert "AGENTS.md:3" in hover.contents.value


async def test_a_manifest_change_on_disk_updates_open_prompts(client):
    root = folder(client)
    prompt = open_file(client, root / "notes.prompt.md", "Add user login.\n")
    [before] = [d for d in await diagnostics(client, prompt) if d.code == "missing-detail"]
    assert "from" not in before.message
    (root / "AGENTS.md").write_text("Sign-in is handled by Clerk.\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(root / "AGENTS.md").as_uri(), type=types.FileChangeType.Created)]
        )
    )
    after = await settled(client, prompt, lambda found: any("/AGENTS.md;" in d.message for d in found))
    assert any(f"1 from {root.name}/AGENTS.md" in d.message for d in after), [d.message for d in after]


async def test_a_document_linked_out_of_the_workspace_reads_no_context_there(client, tmp_path_factory):
    """A document named inside the workspace that a symbolic link takes outside it (a
    linked directory, a linked file) gets no instruction files from where the link
    leads: they are not the project's, and their text would reach the hover, the
    diagnostics and the chat (issue 16)."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "AGENTS.md").write_text("The data lives in PostgreSQL, through SQLAlchemy.\n", encoding="utf-8")
    (outside / "note.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    root = folder(client)
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "evil.prompt.md").symlink_to(outside / "note.prompt.md")
    for path in (root / "linked" / "note.prompt.md", root / "evil.prompt.md"):
        uri = open_file(client, path, "Make a posts table.\n", write=False)
        [finding] = [d for d in await diagnostics(client, uri) if d.code == "missing-detail"]
        assert "AGENTS.md" not in finding.message, finding.message
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 3))
        )
        assert hover is not None and "AGENTS.md" not in hover.contents.value
    answer = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="promptcoach.checkPrompt",
            arguments=[{"text": "Make a posts table.", "uri": (root / "linked" / "chat.prompt.md").as_uri()}],
        )
    )
    assert "AGENTS.md" not in str(answer), answer
    # the same files inside the workspace are read (the test would pass for a broken reader)
    inside = folder(client)
    (inside / "AGENTS.md").write_text("The data lives in PostgreSQL, through SQLAlchemy.\n", encoding="utf-8")
    uri = open_file(client, inside / "note.prompt.md", "Make a posts table.\n")
    found = await settled(client, uri, lambda found: any("AGENTS.md" in d.message for d in found))
    assert any("AGENTS.md" in d.message for d in found if d.code == "missing-detail")
