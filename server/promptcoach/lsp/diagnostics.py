"""Document sync and diagnostics, pushed or pulled.

A client that advertises ``textDocument.diagnostic`` pulls (VS Code, Neovim
0.10+); the server then never pushes, so no diagnostic shows twice. Other
clients get ``publishDiagnostics``: at once on open, debounced per document on
change (``debounceMs``; 0 analyses in the didChange handler itself). A pushed
result carries the version it was computed for; a result for a version older
than one already published, or for a closed document, is dropped.
"""

from __future__ import annotations

import asyncio
import json
import logging

from lsprotocol import types

from promptcoach.lsp import context
from promptcoach.lsp.protocol import RawJSON

logger = logging.getLogger(__name__)
_timers: dict[str, asyncio.TimerHandle] = {}


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        ls.in_order(_opened, ls, params.text_document)
        if not ls.features.pull_diagnostics:
            publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.in_order(_changed, ls, uri, ls.workspace.get_text_document(uri).source)
        if not ls.features.pull_diagnostics:
            schedule(ls, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        if not ls.features.pull_diagnostics:
            schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timer = _timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.in_order(_closed, ls, uri)
        if not ls.features.pull_diagnostics:
            ls.protocol.notify_raw(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, {"uri": uri, "diagnostics": []})

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="promptcoach", inter_file_dependencies=True, workspace_diagnostics=False),
    )
    @server.off_loop
    def pull(ls, params: types.DocumentDiagnosticParams):
        state = ls.store.analyzed(params.text_document.uri)
        if state is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = str(state.result_id)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return RawJSON(f'{{"kind":"full","resultId":{json.dumps(result_id)},"items":{state.diagnostics_json()}}}')


def _opened(ls, doc: types.TextDocumentItem) -> None:
    state = ls.store.open(doc.uri, doc.language_id)
    context.editor_text_changed(ls, doc.uri, state.path, doc.text)


def _changed(ls, uri: str, text: str) -> None:
    state = ls.store.get(uri)
    if state is not None:
        context.editor_text_changed(ls, uri, state.path, text)


def _closed(ls, uri: str) -> None:
    state = ls.store.get(uri)
    if state is not None:
        context.editor_text_changed(ls, uri, state.path, None)
    ls.store.close(uri)


def schedule(ls, uri: str) -> None:
    """Publish ``uri``'s diagnostics after ``debounceMs``. The timers live on the event
    loop: called on the analysis worker (a settings or context change re-checks every
    open document from there), the call is handed to the loop."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        if ls.event_loop is not None:
            ls.event_loop.call_soon_threadsafe(schedule, ls, uri)
        return
    timer = _timers.pop(uri, None)
    if timer is not None:
        timer.cancel()
    delay = ls.editor.debounce_ms / 1000
    if delay <= 0:
        publish(ls, uri)
        return
    _timers[uri] = loop.call_later(delay, _publish_later, ls, uri)


def _publish_later(ls, uri: str) -> None:
    _timers.pop(uri, None)
    try:
        publish(ls, uri)
    except Exception:  # a timer callback must never take the loop down
        logger.exception("publishing diagnostics for %s", uri)


def publish(ls, uri: str) -> None:
    """Analyse and publish ``uri``'s diagnostics on the analysis worker (see
    ``PromptCoachServer.in_order``), after the changes queued before."""
    ls.in_order(_publish_now, ls, uri)


def _publish_now(ls, uri: str) -> None:
    state = ls.store.analyzed(uri)
    if state is None:
        return
    last = getattr(state, "published_version", None)
    if last is not None and state.version is not None and state.version < last:
        return  # stale: a newer version was already published
    state.published_version = state.version
    version = "" if state.version is None else f',"version":{int(state.version)}'
    params = f'{{"uri":{json.dumps(uri)}{version},"diagnostics":{state.diagnostics_json()}}}'
    ls.protocol.notify_encoded(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)


def recheck_all(ls, skip: str | None = None) -> None:
    """After a settings or context change: pull clients are asked to refresh, push
    clients get new results (``skip``: a document that gets its own)."""
    if ls.features.pull_diagnostics:
        if ls.features.diagnostic_refresh:
            ls.workspace_diagnostic_refresh(None)
    else:
        for uri in list(ls.store.states):
            if uri != skip:
                schedule(ls, uri)
    if ls.features.inlay_refresh:
        ls.workspace_inlay_hint_refresh(None)
