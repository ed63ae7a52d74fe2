"""Per-document analysis state.

The text itself lives in pygls' workspace (incremental sync). Per open document
this module keeps an :class:`~promptcoach.engine.incremental.IncrementalAnalyzer`
(an edit re-extracts and re-analyses only the block it touched), the position
mapper for the current text, and on each prompt entry its diagnostics already
converted to JSON: an edit re-converts only the prompts it touched, and prompts
that moved by whole lines only get their line numbers shifted.
"""

from __future__ import annotations

import itertools
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from promptcoach.lsp.convert import PositionMapper, diagnostic_json, shift_lines

if TYPE_CHECKING:
    from promptcoach.engine.incremental import IncrementalAnalyzer
    from promptcoach.engine.model import DocumentAnalysis, PromptAnalysis
    from promptcoach.lsp.server import PromptCoachServer

logger = logging.getLogger(__name__)
# Result ids of pull diagnostics, unique across documents and resets: a document
# re-opened after a settings change must never repeat an id its client holds.
_result_ids = itertools.count(1)


@dataclass
class DocumentState:
    uri: str
    path: str
    language_id: str | None
    analyzer: IncrementalAnalyzer
    version: int | None = None
    text: str | None = None
    mapper: PositionMapper | None = None
    result_id: int = 0
    published_version: int | None = None
    enabled: bool = True
    snippets: bool = False  # the client takes snippet edits: keep snippets in Diagnostic.data

    def stale(self) -> None:
        """Analyse again on the next request, whatever the text (its context changed)."""
        self.text = None
        self.analyzer.invalidate()

    @property
    def entries(self) -> list:
        return self.analyzer.entries if self.enabled else []

    @property
    def analysis(self) -> DocumentAnalysis:
        """The whole analysis (materialised on demand: moved prompts are shifted here)."""
        if not self.enabled:
            from promptcoach.engine.model import DocumentAnalysis

            return DocumentAnalysis(path=self.path, text=self.text or "", prompts=[])
        return self.analyzer.document()

    def prompt_at(self, offset: int) -> PromptAnalysis | None:
        """The prompt holding ``offset`` (blanks typed after its end on its line count too)."""
        text = self.text or ""
        for entry in self.entries:
            if entry.contains(offset, text):
                return entry.analysis()
            if entry.start > offset:
                break
        return None

    def diagnostics_json(self) -> str:
        """All diagnostics as one JSON array text (for publishDiagnostics and pull answers),
        joined from each prompt's cached JSON (see :meth:`_converted`)."""
        return f"[{','.join(part for part in (self._joined(self.entries), self._file_json()) if part)}]"

    def _mapper(self) -> PositionMapper:
        """The position mapper of the text last analysed (set by DocumentStore.analyzed)."""
        assert self.mapper is not None, "the document has not been analysed"
        return self.mapper

    def _file_json(self) -> str:
        """The diagnostics of the whole file (context-coverage of an instruction file)."""
        findings = self.analyzer.file_findings if self.enabled else ()
        return ",".join(
            json.dumps(diagnostic_json(f, self._mapper(), self.snippets), separators=(",", ":")) for f in findings
        )

    def _joined(self, entries: list) -> str:
        """The entries' diagnostics, joined (without brackets)."""
        converted = self._converted
        return ",".join(chunk for entry in entries if entry.has_findings and (chunk := converted(entry)))

    def _converted(self, entry) -> str:
        """An entry's diagnostics as JSON text (without brackets), cached on the entry as
        (line, text). The window starts a line, so equal window text at another line means
        the same diagnostics moved by whole lines: only their line numbers change."""
        mapper = self._mapper()
        line = mapper.index.line_of(entry.window_start)
        cached = entry.cache
        if cached is not None and cached[0] == line:
            return cached[1]
        if cached is not None:
            dicts = shift_lines(json.loads(f"[{cached[1]}]"), line - cached[0])
        else:
            dicts = [diagnostic_json(f, mapper, self.snippets) for f in entry.analysis(keep=False).findings]
        text = ",".join(json.dumps(d, separators=(",", ":")) for d in dicts)
        entry.cache = (line, text)
        return text


class DocumentStore:
    def __init__(self, server: PromptCoachServer) -> None:
        self.server = server
        self.states: dict[str, DocumentState] = {}

    def open(self, uri: str, language_id: str | None) -> DocumentState:
        from promptcoach.engine.incremental import IncrementalAnalyzer

        doc = self.server.workspace.get_text_document(uri)
        engine = self.server.engine_for(doc.path)
        state = DocumentState(uri, doc.path, language_id, IncrementalAnalyzer(engine))
        state.snippets = self.server.features.snippet_edits
        self.states[uri] = state
        return state

    def close(self, uri: str) -> None:
        self.states.pop(uri, None)

    def get(self, uri: str) -> DocumentState | None:
        state = self.states.get(uri)
        if state is None and uri in self.server.workspace.text_documents:
            doc = self.server.workspace.get_text_document(uri)
            state = self.open(uri, doc.language_id)
        return state

    def reset(self) -> None:
        """Forget every analysis (settings changed): documents are re-analysed on demand."""
        for uri, state in list(self.states.items()):
            self.open(uri, state.language_id)

    def analyzed(self, uri: str) -> DocumentState | None:
        """The state of ``uri`` analysed at the workspace's current text."""
        state = self.get(uri)
        if state is None:
            return None
        doc = self.server.workspace.get_text_document(uri)
        text = doc.source
        state.version = doc.version
        enabled = self.server.editor.enable
        if state.text == text and state.mapper is not None and state.enabled == enabled:
            return state
        state.text = text
        state.enabled = enabled
        state.mapper = PositionMapper(text, self.server.position_encoding)
        if enabled:
            state.analyzer.update(text, state.path, state.language_id)
        state.result_id = next(_result_ids)
        return state
