"""``workspace/executeCommand`` ``promptcoach.expand``: replace the prompt at a position
with its specific form, from any editor.

Arguments: one object ``{"uri": str, "position": {"line", "character"}, "apply"?: bool}``.
The answer is ``{"range", "newText", "snippet", "title"}`` for the prompt at the
position (``snippet`` in VS Code's snippet syntax, every slot a tab stop), or null when
no prompt there has a category to expand. Unless ``apply`` is false, the server also
asks the client to make the edit (``workspace/applyEdit``; a snippet edit with tab stops
for a client that takes them, as VS Code does, plain text for the others), so an
editor needs nothing but the command: ``:lua vim.lsp.buf.execute_command{command =
"promptcoach.expand", arguments = {{uri = ..., position = ...}}}`` in Neovim.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from promptcoach.lsp.convert import edit_json, workspace_edit

EXPAND = "promptcoach.expand"


def register(server) -> None:
    expansion = server.off_loop(_expansion)

    @server.command(EXPAND)
    async def expand(ls, *arguments):
        uri, position, apply = _params(arguments)
        found = await expansion(ls, (uri, position))
        if found is None:
            return None
        edit, title, version = found
        if apply:
            changes = workspace_edit(uri, [edit], version, ls.features)
            await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=changes, label=title))
        return {"range": edit["range"], "newText": edit["newText"], "snippet": edit.get("snippet"), "title": title}


def _expansion(ls, target: tuple[str, types.Position]) -> tuple[dict[str, Any], str, int | None] | None:
    """The edit that expands the prompt at ``target`` (uri, position), its title and the
    document version it is for."""
    from promptcoach.engine.actions import expand_fix

    uri, position = target
    state = ls.store.analyzed(uri)
    if state is None or state.mapper is None:
        return None
    prompt = state.prompt_at(state.mapper.offset_of(position))
    if prompt is None or prompt.classification.category is None:
        return None
    fix = expand_fix(prompt, state.analyzer.engine)
    if fix is None:
        return None
    return edit_json(fix.edits[0], state.mapper), fix.title, state.version


def _params(arguments: tuple) -> tuple[str, types.Position, bool]:
    params = arguments[0] if len(arguments) == 1 else None
    position = params.get("position") if isinstance(params, dict) else None
    if (
        not isinstance(params, dict)
        or not isinstance(params.get("uri"), str)
        or not isinstance(position, dict)
        or not all(isinstance(position.get(key), int) and position[key] >= 0 for key in ("line", "character"))
    ):
        raise JsonRpcInvalidParams(
            message="expected one argument {'uri': string, 'position': {'line', 'character'}, 'apply'?: boolean}"
        )
    return (
        params["uri"],
        types.Position(position["line"], position["character"]),
        params.get("apply", True) is not False,
    )
