"""Configuration: initializationOptions, workspace/configuration, didChangeConfiguration, bad values."""

import asyncio
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from lsprotocol import types

from conftest import diagnostics, open_doc, pulls

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one server per client for the whole session


async def until(predicate, attempts: int = 200):
    for _ in range(attempts):
        if await predicate():
            return True
        await asyncio.sleep(0.02)
    return False


def configure(client, settings: dict) -> None:
    client.set_configuration(settings, section="promptcoach")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"promptcoach": settings}))


async def test_severity_override_rechecks_open_documents(client):
    uri = open_doc(client)
    assert any(d.code == "missing-detail" for d in await diagnostics(client, uri))
    configure(client, {"debounceMs": 0, "severities": {"missing-detail": "off"}})

    async def gone():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return not any(d.code == "missing-detail" for d in found)

    assert await until(gone)
    configure(client, {"debounceMs": 0, "severities": {"missing-detail": "error"}})

    async def errors():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return any(d.code == "missing-detail" and d.severity == types.DiagnosticSeverity.Error for d in found)

    assert await until(errors)
    configure(client, {"debounceMs": 0})


async def test_wrong_types_give_a_message_and_defaults(client):
    configure(client, {"debounceMs": "soon", "enable": "yes", "threshold": 7})

    async def told():
        text = " ".join(m.message for m in client.messages)
        return all(f"promptcoach.{key}" in text for key in ("debounceMs", "enable", "threshold"))

    assert await until(told)
    try:
        uri = open_doc(client)
        found = await diagnostics(client, uri)
        assert any(d.code == "missing-detail" and d.severity == types.DiagnosticSeverity.Warning for d in found)
    finally:
        configure(client, {"debounceMs": 0})


async def test_project_file_is_watched_and_read(client):
    registrations = getattr(client, "registrations", [])
    watchers = [r for r in registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    if watchers:  # clients with dynamic registration (VS Code)
        options = watchers[0].register_options
        patterns = [w["globPattern"] if isinstance(w, dict) else w.glob_pattern for w in options["watchers"]]
        assert "**/.promptcoach.yaml" in patterns
    uri = open_doc(client)
    assert any(d.code == "missing-detail" for d in await diagnostics(client, uri))
    config = Path(unquote(urlparse(uri).path)).parent / ".promptcoach.yaml"  # only this document's folder
    config.write_text("rules:\n  missing-detail: off\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)])
    )

    async def gone():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return not any(d.code == "missing-detail" for d in found)

    try:
        assert await until(gone)
    finally:
        config.unlink()
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Deleted)])
        )
