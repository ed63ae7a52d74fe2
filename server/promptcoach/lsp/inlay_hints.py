"""``textDocument/inlayHint``: the specificity score (``2/6``) after the lead line of each categorized request."""

from __future__ import annotations

from lsprotocol import types


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @server.off_loop
    def inlay_hints(ls, params: types.InlayHintParams) -> list[types.InlayHint]:
        state = ls.store.analyzed(params.text_document.uri)
        if state is None or not ls.editor.inlay_hints:
            return []
        mapper = state.mapper
        first = mapper.offset_of(params.range.start)
        last = mapper.offset_of(params.range.end)
        hints = []
        for entry in state.entries:
            end = entry.end
            if not first <= end <= last:
                continue
            prompt = entry.analysis()
            category = prompt.classification.category
            if category is None or prompt.kind != "request":
                continue
            end = prompt.prompt.doc_span(*prompt.prompt.lead_span)[1]  # after the lead line
            present, total = prompt.classification.score
            missing = ", ".join(prompt.classification.missing) or "none"
            hints.append(
                types.InlayHint(
                    position=types.Position(**mapper.position(end)),
                    label=f"{present}/{total}",
                    padding_left=True,
                    tooltip=f"{category}: {present} of {total} key details named; missing: {missing}",
                )
            )
        return hints
