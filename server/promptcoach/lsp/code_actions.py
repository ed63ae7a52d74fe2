"""``textDocument/codeAction`` and ``codeAction/resolve``.

* Quick fixes come straight from ``Diagnostic.data`` (the finding's fixes as
  text edits, see :mod:`promptcoach.lsp.convert`), so they need no server
  state; a diagnostic the client has moved since gets its edits moved too.
  Among them "Disable <rule> for this line" (``promptcoach-disable-next-line``
  in the document's comment syntax, written by the engine). Fixes too large
  for ``data``, and the engine's deferred ones (an expanded prompt, worked out
  only when read), are computed in ``codeAction/resolve`` from the document's
  current analysis.
* ``source.fixAll.promptcoach`` applies every fix marked safe.
* "Expand into a specific <category> prompt" as ``refactor.rewrite`` on any
  categorized prompt; its edit is computed in ``codeAction/resolve`` when the
  client can resolve edits.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from promptcoach.lsp.convert import SOURCE, edit_json, files_edit, shift_lines, workspace_edit

logger = logging.getLogger(__name__)
FIX_ALL = "source.fixAll.promptcoach"
_EXPAND = "promptcoach.expand"
_LAZY_FIX = "promptcoach.fix"


def register(server) -> None:
    kinds = [
        types.CodeActionKind.QuickFix,
        types.CodeActionKind.RefactorRewrite,
        types.CodeActionKind.SourceFixAll,
        FIX_ALL,
    ]

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=kinds, resolve_provider=True),
    )
    @server.off_loop
    def code_action(ls, params: types.CodeActionParams):
        return code_actions(ls, params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    @server.off_loop
    def resolve(ls, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        if action.edit is None and data.get("action") == _EXPAND:
            action.edit = _expand_edit(ls, data)
        elif action.edit is None and data.get("action") == _LAZY_FIX:
            action.edit = _lazy_fix_edit(ls, data)
        return action


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    if not only:
        return not kind.startswith("source")  # source actions only when asked for
    return any(kind == k or kind.startswith(k + ".") for k in only)


def code_actions(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    only = params.context.only
    actions: list[types.CodeAction] = []
    state = ls.store.analyzed(uri)
    version = state.version if state else None
    caps = ls.features
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.data, dict):
            continue
        delta = _moved_lines(diagnostic)
        for fix in diagnostic.data.get("fixes") or []:
            if not isinstance(fix, dict):
                continue
            kind = fix.get("kind") or types.CodeActionKind.QuickFix
            if not _wanted(only, kind):
                continue
            action = types.CodeAction(
                title=str(fix.get("title", "Fix")),
                kind=kind,
                diagnostics=[diagnostic],
                is_preferred=bool(fix.get("preferred")) or None,
            )
            if fix.get("lazy"):
                action.data = {
                    "action": _LAZY_FIX,
                    "uri": uri,
                    "rule": str(diagnostic.code),
                    "title": action.title,
                    "line": diagnostic.range.start.line,
                    "character": diagnostic.range.start.character,
                }
                if not caps.resolve_edit:
                    action.edit = _lazy_fix_edit(ls, action.data)
                    if action.edit is None:
                        continue  # nothing to offer (the prompt is gone, or the fix changes nothing)
            elif fix.get("files"):  # "State the database technology in AGENTS.md"
                action.edit = files_edit(fix["files"], caps) if isinstance(fix["files"], list) else None
                if action.edit is None:
                    continue  # the client cannot create or edit that file
            else:
                edits = _well_formed_edits(fix.get("edits"))
                if edits is None:
                    continue  # data of another shape (an older server, a broken client)
                action.edit = workspace_edit(uri, shift_lines(edits, delta) if delta else edits, version, caps)
            actions.append(action)
    if state is None:
        return actions
    if only and any(FIX_ALL.startswith(k) for k in only):
        fix_all = _fix_all(ls, state, version)
        if fix_all is not None:
            actions.append(fix_all)
    if _wanted(only, types.CodeActionKind.RefactorRewrite):
        actions.extend(_expand_actions(ls, state, params.range, actions))
    return actions


def _well_formed_edits(edits: Any) -> list[dict] | None:
    """``edits`` from ``Diagnostic.data`` if they have the shape :func:`edit_json` writes
    (the client sends data back as it likes), else None."""
    if not isinstance(edits, list):
        return None
    for edit in edits:
        if not isinstance(edit, dict) or not isinstance(edit.get("newText"), str):
            return None
        if "snippet" in edit and not isinstance(edit["snippet"], str):
            return None
        rng = edit.get("range")
        if not isinstance(rng, dict) or not all(_is_position(rng.get(end)) for end in ("start", "end")):
            return None
    return edits


def _is_position(value: Any) -> bool:
    return isinstance(value, dict) and all(
        type(value.get(key)) is int and value[key] >= 0 for key in ("line", "character")
    )


def _moved_lines(diagnostic: types.Diagnostic) -> int:
    """Lines the client moved the diagnostic since the server computed its edits."""
    origin = diagnostic.data.get("range") if isinstance(diagnostic.data, dict) else None
    if not isinstance(origin, dict):
        return 0
    try:
        return diagnostic.range.start.line - int(origin["start"]["line"])
    except (TypeError, KeyError, ValueError):
        return 0


# --- fixes too large for Diagnostic.data ------------------------------------------------------


def _lazy_fix_edit(ls, data: dict[str, Any]) -> types.WorkspaceEdit | None:
    """The edits of the fix titled ``data["title"]`` of the ``data["rule"]`` finding at the
    diagnostic's position, from the document's current analysis (None when it is gone or
    has no edits)."""
    state = ls.store.analyzed(str(data.get("uri", "")))
    if state is None:
        return None
    try:
        offset = state.mapper.offset(int(data["line"]), int(data["character"]))
    except (KeyError, TypeError, ValueError):
        return None
    prompt = state.prompt_at(offset)
    findings = prompt.findings if prompt is not None else []
    for finding in sorted(findings, key=lambda f: abs(f.start - offset)):
        if finding.rule != data.get("rule"):
            continue
        for fix in finding.fixes:
            if fix.title == data.get("title"):
                if not fix.edits:
                    return None  # a deferred fix that turned out to change nothing
                edits = [edit_json(edit, state.mapper, ls.features.snippet_edits) for edit in fix.edits]
                return workspace_edit(state.uri, edits, state.version, ls.features)
    return None


# --- fix all ---------------------------------------------------------------------------------------


def _fix_all(ls, state, version) -> types.CodeAction | None:
    edits: list[dict] = []
    taken: list[tuple[int, int]] = []
    findings = sorted(state.analysis.all_findings(), key=lambda f: f.start)
    for finding in findings:
        for fix in finding.fixes:
            if not fix.safe:
                continue
            spans = [(e.start, e.end) for e in fix.edits]
            if any(s < te and ts < e or s == e == ts for s, e in spans for ts, te in taken):
                continue
            taken.extend(spans)
            edits.extend(edit_json(e, state.mapper) for e in fix.edits)
            break
    if not edits:
        return None
    plain = [{k: v for k, v in e.items() if k != "snippet"} for e in edits]
    return types.CodeAction(
        title="Fix all safe Prompt Coach problems",
        kind=FIX_ALL,
        edit=workspace_edit(state.uri, plain, version, ls.features),
    )


# --- expand -----------------------------------------------------------------------------------------


def _expand_actions(ls, state, rng: types.Range, existing: list[types.CodeAction]) -> list[types.CodeAction]:
    from promptcoach.engine.completion import attr, category

    mapper = state.mapper
    start, end = mapper.offset_of(rng.start), mapper.offset_of(rng.end)
    knowledge = state.analyzer.engine.knowledge
    titles = {a.title for a in existing}
    actions = []
    for prompt in state.analysis.prompts:
        if prompt.prompt.end < start or prompt.prompt.start > end:
            continue
        cat = category(knowledge, prompt.classification.category)
        if cat is None:
            continue
        title = f"Expand into a specific {attr(cat, 'title', attr(cat, 'id'))} prompt"
        if title in titles:
            title = f"Rewrite as a specific {attr(cat, 'title', attr(cat, 'id'))} prompt"
        data = {
            "action": _EXPAND,
            "uri": state.uri,
            "version": state.version,
            "start": prompt.prompt.start,
            "end": prompt.prompt.end,
            "text": prompt.prompt.text,
        }
        action = types.CodeAction(title=title, kind=types.CodeActionKind.RefactorRewrite, data=data)
        if not ls.features.resolve_edit:
            action.edit = _expand_edit(ls, data)
        actions.append(action)
    return actions


def _expand_edit(ls, data: dict[str, Any]) -> types.WorkspaceEdit | None:
    from promptcoach.engine.actions import expand_fix

    state = ls.store.analyzed(data.get("uri", ""))
    if state is None:
        return None
    start, end, text = data.get("start"), data.get("end"), data.get("text")
    prompt = None
    for item in state.analysis.prompts:
        if item.prompt.text == text:
            prompt = item
            if item.prompt.start == start and item.prompt.end == end:
                break
    if prompt is None:
        return None  # the prompt is gone: nothing to rewrite
    fix = expand_fix(prompt, state.analyzer.engine)
    if fix is None:
        return None
    edits = [edit_json(edit, state.mapper) for edit in fix.edits]
    return workspace_edit(state.uri, edits, state.version, ls.features)
