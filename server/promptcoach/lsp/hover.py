"""``textDocument/hover``: the cheat-sheet card of the prompt under the cursor."""

from __future__ import annotations

from lsprotocol import types


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @server.off_loop
    def hover(ls, params: types.HoverParams) -> types.Hover | None:
        from promptcoach.engine.hover import prompt_card

        state = ls.store.analyzed(params.text_document.uri)
        if state is None:
            return None
        prompt = state.prompt_at(state.mapper.offset_of(params.position))
        if prompt is None:
            return None
        markdown = ls.features.hover_markdown
        card = prompt_card(prompt, state.analyzer.engine.knowledge, markdown=markdown)
        if card is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText, value=card
            ),
            range=state.mapper.lsp_range(prompt.prompt.start, prompt.prompt.end),
        )
