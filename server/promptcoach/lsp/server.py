"""The Prompt Coach language server: creation, shared state and start-up.

Start-up imports only pygls, lsprotocol and the engine's data model; the
knowledge base, extraction and rules load on the first document (or right
after ``initialized``), so the ``initialize`` answer is as quick as a bare
pygls server's.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from promptcoach import __version__
from promptcoach.lsp.config import EditorSettings, ProjectFile, allowed_config_file, engine_settings, load_project
from promptcoach.lsp.convert import ClientFeatures
from promptcoach.lsp.documents import DocumentStore
from promptcoach.lsp.protocol import PromptCoachProtocol

logger = logging.getLogger(__name__)


def _logged(function, *args) -> None:
    try:
        function(*args)
    except Exception:  # a pool task's error would go unseen
        logger.exception("%s failed", getattr(function, "__name__", function))


class PromptCoachServer(LanguageServer):
    protocol: PromptCoachProtocol  # protocol_cls below

    def __init__(self) -> None:
        super().__init__(
            "promptcoach",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=PromptCoachProtocol,
        )
        self.editor = EditorSettings()
        self.features = ClientFeatures(None)
        self.store = DocumentStore(self)
        self._projects: dict[Path, ProjectFile] = {}
        self._engines: dict[Any, Any] = {}
        self._reported: set[str] = set()
        self._config_problems: dict[str, str] = {}  # config file URI -> its published error
        self.analysis_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self.analysis_busy = False  # the worker is running a task
        self.event_loop: asyncio.AbstractEventLoop | None = None  # set on initialize

    # --- one worker for the analyses ---------------------------------------------------
    # Everything that reads or changes the documents' analyses runs on one worker thread:
    # the handlers that analyse (``off_loop``) and the changes notifications make
    # (``in_order``), one after the other in the order the messages came, as they would on
    # the event loop. The loop stays free while a large document is analysed, so
    # ``shutdown`` (and anything that needs no analysis) is answered at once.

    def off_loop(self, handler):
        """``handler``, a feature handler that may analyse a document, run on the worker;
        its answer is sent from the event loop."""

        @functools.wraps(handler)
        async def on_worker(ls, params):
            return await asyncio.wrap_future(ls._on_worker(handler, ls, params))

        return on_worker

    def in_order(self, function, *args) -> None:
        """Run ``function(*args)`` on the worker, after what is already queued there."""
        self._on_worker(_logged, function, *args)

    def _on_worker(self, function, *args):
        return self.analysis_worker.submit(self._busy_with, function, *args)

    def _busy_with(self, function, *args):
        self.analysis_busy = True
        try:
            return function(*args)
        finally:
            self.analysis_busy = False

    # --- state shared by the features -------------------------------------------------

    @property
    def position_encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16")

    def project_for(self, path: str) -> ProjectFile:
        directory = Path(path).parent if path else Path.cwd()
        project = self._projects.get(directory)
        if project is None:
            project = load_project(directory, self._config_file())
            if project.error:
                self.warn(project.error)
            self._report_config(project)
            self._projects[directory] = project
        return project

    def _report_config(self, project: ProjectFile) -> None:
        """A diagnostic at the offending line of a broken configuration file (or of the
        pack it extends); cleared once the file loads again."""
        if project.path is None:
            return
        from promptcoach.lsp.convert import config_diagnostic

        problem = project.problem
        culprit = Path(problem.file) if problem is not None and Path(problem.file).is_file() else project.path
        # a link's problem is shown on the link: its target may be outside the project
        uri = (culprit.absolute() if culprit.is_symlink() else culprit.resolve()).as_uri()
        stale = [u for u, file in self._config_problems.items() if file == str(project.path)]
        for old in stale:
            if problem is None or old != uri:
                del self._config_problems[old]
                self._publish(old, [])
        if problem is not None:
            self._config_problems[uri] = str(project.path)
            self._publish(uri, [config_diagnostic(problem.line, problem.message, project.config is not None)])

    def _publish(self, uri: str, diagnostics: list[dict]) -> None:
        try:
            self.protocol.notify_raw(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, {"uri": uri, "diagnostics": diagnostics})
        except Exception:  # no client yet (tests create servers without one)
            logger.debug("cannot publish diagnostics for %s", uri, exc_info=True)

    def engine_for(self, path: str):
        from promptcoach.engine.config import create_engine

        project = self.project_for(path)
        key = project.path
        engine = self._engines.get(key)
        if engine is None:
            settings = engine_settings(self.editor, project.config)
            engine = create_engine(project.config, settings, self._workspace_root(path))
            self._engines[key] = engine
        return engine

    def _config_file(self) -> str | None:
        """``promptcoach.configFile`` when it names a file inside a workspace folder or the
        user's own configuration directory; anything else is ignored with a warning (a
        workspace setting must not make the server read files elsewhere)."""
        setting = self.editor.config_file
        if not setting:
            return None
        path, problem = allowed_config_file(setting, self._workspace_roots())
        if problem:
            self.warn(problem)
        return path

    def _workspace_roots(self) -> list[str]:
        try:
            folders = [f.uri for f in self.workspace.folders.values()] or [self.workspace.root_uri]
        except RuntimeError:
            return []
        from pygls.uris import to_fs_path

        return [root for root in (to_fs_path(uri) for uri in folders if uri) if root]

    def _workspace_root(self, path: str) -> str | None:
        """The workspace folder holding ``path`` (the stack is detected there)."""
        roots = self._workspace_roots()
        holding = [root for root in roots if root and path.startswith(root.rstrip("/") + "/")]
        return max(holding, key=len) if holding else None

    def is_prompt_file(self, path: str, language_id: str | None = None) -> bool:
        """True for prompt files (the include globs), as opposed to source code."""
        from promptcoach.engine.extract import document_kind

        return document_kind(path or "", language_id, self.engine_for(path).settings) == "prompt"

    def reload(self) -> None:
        """Settings or the project file changed: rebuild engines, re-analyse lazily."""
        self._projects.clear()
        self._engines.clear()
        self.store.reset()

    def warn(self, message: str) -> None:
        """Show a settings/config problem once; log it every time."""
        logger.warning(message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))
        if message not in self._reported:
            self._reported.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def report_server_error(self, error: Exception, source) -> None:
        """Errors outside requests are logged to the client, not shown as pop-ups."""
        try:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=f"promptcoach: internal error: {error}")
            )
        except Exception:
            logger.exception("reporting an error")


def create_server() -> PromptCoachServer:
    from promptcoach.lsp import (
        check_prompt,
        code_actions,
        completion,
        config,
        diagnostics,
        expand_command,
        hover,
        inlay_hints,
        lifecycle,
        symbols,
    )

    server = PromptCoachServer()
    for feature in (
        lifecycle,
        config,
        diagnostics,
        completion,
        hover,
        code_actions,
        inlay_hints,
        symbols,
        check_prompt,
        expand_command,
    ):
        feature.register(server)

    @server.feature(types.EXIT)
    def exit_now(ls, params) -> None:
        """The client said exit: what is queued on the analysis worker is dropped, and an
        analysis still running does not hold the process (the worker thread is joined at
        interpreter exit, which would wait for it)."""
        ls.analysis_worker.shutdown(wait=False, cancel_futures=True)
        if ls.analysis_busy:
            sys.stdout.flush()
            os._exit(0 if ls.protocol._shutdown else 1)

    return server


def start_server(transport: str = "stdio", host: str | None = None, port: int | None = None) -> None:
    """Run the server until the client disconnects: ``stdio`` or ``tcp`` (``host``, ``port``)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="promptcoach: %(levelname)s %(message)s")
    server = create_server()
    if transport == "tcp":
        server.start_tcp(host or "127.0.0.1", port or 2087)
    elif transport == "stdio":
        server.start_io()
    else:
        raise ValueError(f"unknown transport {transport!r} (stdio or tcp)")


def start(tcp: tuple[str, int] | None = None) -> None:
    """Entry point of ``promptcoach serve`` (``tcp`` is ``(host, port)`` for ``--tcp``)."""
    if tcp:
        start_server("tcp", tcp[0], tcp[1])
    else:
        start_server("stdio")


if __name__ == "__main__":
    start()
