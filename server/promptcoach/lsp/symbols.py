"""``textDocument/documentSymbol``: the prompts of a document with their categories."""

from __future__ import annotations

from lsprotocol import types

_NAME_LENGTH = 60


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @server.off_loop
    def document_symbols(ls, params: types.DocumentSymbolParams):
        state = ls.store.analyzed(params.text_document.uri)
        if state is None:
            return []
        return [_symbol(prompt, state.mapper) for prompt in state.analysis.prompts]


def _symbol(prompt, mapper) -> types.DocumentSymbol:
    text = " ".join(prompt.prompt.text.split())
    name = text if len(text) <= _NAME_LENGTH else text[: _NAME_LENGTH - 1] + "…"
    category = prompt.classification.category
    if category is None:
        detail = "prompt"
    else:
        present, total = prompt.classification.score
        detail = f"{category} {present}/{total}"
    first = prompt.prompt.segments[0]
    return types.DocumentSymbol(
        name=name or "(empty prompt)",
        detail=detail,
        kind=types.SymbolKind.String if category is None else types.SymbolKind.Object,
        range=mapper.lsp_range(prompt.prompt.start, prompt.prompt.end),
        selection_range=mapper.lsp_range(first.doc_start, first.doc_start + first.length),
    )
