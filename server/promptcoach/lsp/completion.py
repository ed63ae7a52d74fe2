"""``textDocument/completion``: knowledge-base candidates inside prompts only."""

from __future__ import annotations

import json

from lsprotocol import types

from promptcoach.lsp.protocol import RawJSON

_KINDS = {
    "value": types.CompletionItemKind.Value,
    "clause": types.CompletionItemKind.Snippet,
    "starter": types.CompletionItemKind.Snippet,
}


def register(server) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[" "], resolve_provider=False),
    )
    @server.off_loop
    def completion(ls, params: types.CompletionParams):
        items = complete(ls, params)
        # built as JSON directly: completion runs on every keystroke, cattrs costs ~50 µs an item
        return RawJSON(json.dumps({"isIncomplete": False, "items": items}, separators=(",", ":")))


def complete(ls, params: types.CompletionParams) -> list[dict]:
    from promptcoach.engine.completion import complete as candidates

    state = ls.store.analyzed(params.text_document.uri)
    if state is None or not ls.editor.enable:
        return []
    mapper = state.mapper
    offset = mapper.offset_of(params.position)
    engine = state.analyzer.engine
    found = candidates(
        state.text,
        state.prompt_at(offset),
        engine.knowledge,
        offset,
        prompt_file=ls.is_prompt_file(state.path, state.language_id),
        markers=engine.settings.markers,
        stack=engine.stack,
    )
    context = params.context
    if context is not None and context.trigger_kind == types.CompletionTriggerKind.TriggerCharacter:
        # after a space, only what the words before the cursor ask for
        found = [c for c in found if c.kind != "value" or c.sort.startswith("0")]
    snippets = ls.features.snippet_completion
    markdown = types.MarkupKind.Markdown in ls.features.completion_docs
    ranges: dict[tuple[int, int], dict] = {}  # the items share one or two ranges
    return [_item(c, ranges, mapper, snippets, markdown) for c in found]


def _item(candidate, ranges: dict, mapper, snippets: bool, markdown: bool) -> dict:
    """A ``CompletionItem`` in its JSON form."""
    use_snippet = snippets and candidate.snippet is not None
    span = (candidate.start, candidate.end)
    if span not in ranges:
        ranges[span] = mapper.range(*span)
    return {
        "label": candidate.label,
        "kind": int(_KINDS.get(candidate.kind, types.CompletionItemKind.Text)),
        "detail": candidate.detail,
        "documentation": {"kind": "markdown" if markdown else "plaintext", "value": candidate.documentation},
        "sortText": candidate.sort,
        "filterText": candidate.filter,
        "textEdit": {
            "range": ranges[span],
            "newText": candidate.snippet if use_snippet else candidate.insert,
        },
        "insertTextFormat": int(types.InsertTextFormat.Snippet if use_snippet else types.InsertTextFormat.PlainText),
    }
