"""Helpers for language-server tests: open and change documents, read diagnostics
the way the client gets them (pull or push), send raw requests."""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import Future
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

PROMPT_FILE = """# Backend prompts

Make a posts table.

API to get posts.

Write a friendly welcome message for the landing page.
"""

_documents = itertools.count()


def open_doc(
    client: LanguageClient, name: str = "backend.prompt.md", text: str = PROMPT_FILE, language: str = "markdown"
) -> str:
    """Open a new document (each call gets its own directory, so tests sharing a server never collide)."""
    return open_file(client, client.root / f"d{next(_documents)}" / name, text, language)


def open_file(client: LanguageClient, path: Path, text: str, language: str = "markdown", write: bool = True) -> str:
    """Open ``path`` with ``text`` in the client (written to disk first unless ``write``
    is false: an editor's unsaved text); its URI."""
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    return uri


def pulls(client: LanguageClient) -> bool:
    return client_capabilities(client.client_name).text_document.diagnostic is not None


async def diagnostics(client: LanguageClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """The document's diagnostics the way this client gets them (pull or push)."""
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri))
        )
        return list(report.items)
    for _ in range(200):
        found = client.diagnostics.get(uri)
        published = client.diagnostic_versions.get(uri) if hasattr(client, "diagnostic_versions") else None
        if found is not None and (version is None or published in (None, version)):
            return list(found)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics published for {uri}")


def change(
    client: LanguageClient, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], text: str
) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(*start), types.Position(*end)), text=text
                )
            ],
        )
    )


async def raw_request(client: LanguageClient, method: str, params, msg_id: str):
    """Send a request exactly as given (no client-side validation) and await its answer."""
    future: Future = Future()
    client.protocol._request_futures[msg_id] = future
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wait_for(asyncio.wrap_future(future), timeout=10)


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines()):
        if needle in line:
            return number
    raise ValueError(needle)
