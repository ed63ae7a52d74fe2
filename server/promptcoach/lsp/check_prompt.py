"""``workspace/executeCommand`` commands that coach text which is in no document: the
prompt someone types into the editor's chat, or one an agent asks about.

* ``promptcoach.checkPrompt`` with ``{"text": str, "uri"?: str}``: the text analysed as a
  prompt file of the project that ``uri`` (a file or folder; default: the first workspace
  folder) belongs to; answers :func:`promptcoach.engine.coach.coach_text`'s result.
* ``promptcoach.explainCategory`` with ``{"id": str, "uri"?: str}``: the cheat-sheet card
  of a category (:func:`promptcoach.engine.coach.category_card`), or null.

Both run on the analysis worker, like every request that analyses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import to_fs_path

CHECK_PROMPT = "promptcoach.checkPrompt"
EXPLAIN_CATEGORY = "promptcoach.explainCategory"


def register(server) -> None:
    check = server.off_loop(_check)
    explain = server.off_loop(_explain)

    @server.command(CHECK_PROMPT)
    async def check_prompt(ls, *arguments):
        return await check(ls, arguments)

    @server.command(EXPLAIN_CATEGORY)
    async def explain_category(ls, *arguments):
        return await explain(ls, arguments)


def _check(ls, arguments: tuple) -> dict[str, Any]:
    from promptcoach.engine.coach import coach_text

    params = _params(arguments, "text")
    path = _chat_path(ls, params.get("uri"))
    return coach_text(ls.engine_for(path), params["text"], path)


def _explain(ls, arguments: tuple) -> dict[str, Any] | None:
    from promptcoach.engine.coach import category_card

    params = _params(arguments, "id")
    return category_card(ls.engine_for(_chat_path(ls, params.get("uri"))), params["id"])


def _params(arguments: tuple, key: str) -> dict[str, Any]:
    params = arguments[0] if len(arguments) == 1 else None
    if not isinstance(params, dict) or not isinstance(params.get(key), str):
        raise JsonRpcInvalidParams(message=f"expected one argument {{{key!r}: string, 'uri'?: string}}")
    if params.get("uri") is not None and not isinstance(params["uri"], str):
        raise JsonRpcInvalidParams(message="'uri' must be a string")
    return params


def _chat_path(ls, uri: str | None) -> str:
    """Where the text stands: in ``uri``'s folder (a file's own folder), else in the first
    workspace folder, else nowhere (no project context)."""
    from promptcoach.engine.coach import chat_path

    folder = to_fs_path(uri) if uri and uri.startswith("file:") else None
    if folder is None:
        roots = ls._workspace_roots()
        folder = roots[0] if roots else None
    elif not Path(folder).is_dir():
        folder = str(Path(folder).parent)
    return chat_path(folder)
