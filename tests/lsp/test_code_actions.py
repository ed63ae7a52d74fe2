"""Code actions: fixes from Diagnostic.data, expand (quickfix + refactor.rewrite), disable-line, fix-all."""

import pytest
from lsprotocol import types

from testkit.lsp import PROMPT_FILE, diagnostics, line_of, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def actions_for(client, uri, diags, line, only=None):
    rng = types.Range(types.Position(line, 0), types.Position(line, 3))
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), rng, types.CodeActionContext(diagnostics=diags, only=only)
        )
    )


def edits_of(edit: types.WorkspaceEdit, uri: str) -> list:
    if edit.document_changes:
        return [e for change in edit.document_changes for e in change.edits]
    return list(edit.changes[uri])


def apply(text: str, edits) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(pos):
        return offsets[pos.line] + pos.character

    for edit in sorted(edits, key=lambda e: at(e.range.start), reverse=True):
        new = edit.new_text if hasattr(edit, "new_text") else edit.snippet.value
        text = text[: at(edit.range.start)] + new + text[at(edit.range.end) :]
    return text


async def test_expand_is_the_preferred_quick_fix(client):
    uri = open_doc(client)
    line = line_of(PROMPT_FILE, "posts table")
    diags = [d for d in await diagnostics(client, uri) if d.range.start.line == line]
    actions = await actions_for(client, uri, diags, line)
    expand = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and "xpand" in a.title]
    assert expand and expand[0].is_preferred
    action = expand[0]
    if action.edit is None:  # too large for Diagnostic.data: resolved like the client would
        action = await client.code_action_resolve_async(action)
    new_text = apply(PROMPT_FILE, edits_of(action.edit, uri))
    assert "Make a posts table." not in new_text
    new_line = new_text.splitlines()[line]
    assert len(new_line) > 60  # the specific form names the details


async def test_small_fixes_are_ready_in_diagnostic_data(client):
    uri = open_doc(client)
    line = line_of(PROMPT_FILE, "posts table")
    diags = [d for d in await diagnostics(client, uri) if d.range.start.line == line]
    inline = [fix for d in diags for fix in d.data["fixes"] if "edits" in fix]
    assert any(fix["title"].startswith("Add ") for fix in inline)
    actions = await actions_for(client, uri, diags, line)
    add = next(a for a in actions if a.title.startswith("Add "))
    assert add.edit is not None  # no resolve round trip for the small ones
    assert apply(PROMPT_FILE, edits_of(add.edit, uri)).splitlines()[line].startswith(("Make a posts table", "Using"))


async def test_disable_rule_for_line_writes_a_markdown_comment(client):
    uri = open_doc(client)
    line = line_of(PROMPT_FILE, "posts table")
    diags = [d for d in await diagnostics(client, uri) if d.range.start.line == line]
    actions = await actions_for(client, uri, diags, line)
    disable = next(a for a in actions if a.title == "Disable missing-detail for this line")
    result = apply(PROMPT_FILE, edits_of(disable.edit, uri))
    assert result.splitlines()[line] == "<!-- promptcoach-disable-next-line missing-detail -->"


async def test_disable_in_code_uses_the_languages_comment(client):
    text = "def f():\n    # prompt: make a users table\n    pass\n"
    uri = open_doc(client, "app.py", text, "python")
    diags = [d for d in await diagnostics(client, uri) if d.code == "missing-detail"]
    actions = await actions_for(client, uri, diags, 1)
    disable = next(a for a in actions if a.title.startswith("Disable missing-detail"))
    assert (
        apply(text, edits_of(disable.edit, uri)).splitlines()[1] == "    # promptcoach-disable-next-line missing-detail"
    )


async def test_refactor_rewrite_on_any_categorized_prompt_resolves(client):
    uri = open_doc(client)
    line = line_of(PROMPT_FILE, "API to get")
    actions = await actions_for(client, uri, [], line, only=[types.CodeActionKind.RefactorRewrite])
    assert actions and all(a.kind == types.CodeActionKind.RefactorRewrite for a in actions)
    action = actions[0]
    if action.edit is None:  # computed lazily in codeAction/resolve
        action = await client.code_action_resolve_async(action)
    result = apply(PROMPT_FILE, edits_of(action.edit, uri))
    assert "API to get posts." not in result


async def test_fix_all_only_when_asked(client):
    text = "# Notes\n\nConnect to Stripe somehow.\n\nHandle errors properly and add stuff.\n"
    uri = open_doc(client, text=text)
    await diagnostics(client, uri)
    actions = await actions_for(client, uri, [], 0)
    assert all(not (a.kind or "").startswith("source") for a in actions)
    (fix_all,) = await actions_for(client, uri, [], 0, only=["source.fixAll"])
    assert fix_all.kind == "source.fixAll.promptcoach"
    fixed = apply(text, edits_of(fix_all.edit, uri))
    # the safe fixes delete empty fillers; "stuff" needs a human answer and stays
    assert fixed == "# Notes\n\nConnect to Stripe.\n\nHandle errors and add stuff.\n"


async def test_no_fix_all_without_safe_fixes(client):
    uri = open_doc(client)
    await diagnostics(client, uri)
    assert not await actions_for(client, uri, [], 0, only=["source.fixAll"])


async def test_snippet_edits_only_for_clients_that_take_them():
    from promptcoach.lsp.convert import ClientFeatures, workspace_edit

    edit = {
        "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 4}},
        "newText": "Using Prisma",
        "snippet": "Using ${1|Prisma,Drizzle|}",
    }
    rich = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True, snippet_edit_support=True)
        )
    )
    snippet = workspace_edit("file:///a.md", [edit], 3, ClientFeatures(rich))
    [change] = snippet.document_changes
    assert isinstance(change.edits[0], types.SnippetTextEdit)
    assert change.edits[0].snippet.value == "Using ${1|Prisma,Drizzle|}" and change.text_document.version == 3
    plain = workspace_edit("file:///a.md", [edit], 3, ClientFeatures(types.ClientCapabilities()))
    assert plain.changes["file:///a.md"][0].new_text == "Using Prisma"


async def test_a_deferred_fix_is_listed_lazy_and_not_worked_out_for_the_diagnostic():
    from promptcoach.engine.model import DeferredFix, Edit, Finding, Fix
    from promptcoach.lsp.convert import PositionMapper, diagnostic_json

    def never():
        raise AssertionError("worked out while publishing")

    finding = Finding(
        "missing-detail",
        "warning",
        "m",
        0,
        5,
        {},
        (
            DeferredFix("Expand into a specific database schema prompt", never, preferred=True),
            Fix("Add the database technology", (Edit(5, 5, " Use Prisma."),)),
        ),
    )
    expand, add = diagnostic_json(finding, PositionMapper("Make a posts table.")).get("data")["fixes"]
    assert expand == {"title": "Expand into a specific database schema prompt", "preferred": True, "lazy": True}
    assert add["edits"][0]["newText"] == " Use Prisma."
