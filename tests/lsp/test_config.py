"""Configuration: initializationOptions, workspace/configuration, didChangeConfiguration, bad values."""

import asyncio
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from lsprotocol import types

from testkit.lsp import diagnostics, open_doc, pulls

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


async def restore_defaults(client) -> None:
    """Back to the suite's settings, and wait until the server uses them: the change is
    applied asynchronously, and the next test must not see this test's settings."""
    configure(client, {"debounceMs": 0})
    uri = open_doc(client)

    async def default_severities():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return any(d.code == "missing-detail" and d.severity == types.DiagnosticSeverity.Warning for d in found)

    assert await until(default_severities)


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
    await restore_defaults(client)


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
        await restore_defaults(client)


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
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )

    async def gone():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return not any(d.code == "missing-detail" for d in found)

    try:
        assert await until(gone)
    finally:
        config.unlink()
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Deleted)]
            )
        )


async def test_broken_project_file_keeps_the_last_good_one_and_is_diagnosed(client):
    uri = open_doc(client)
    config = Path(unquote(urlparse(uri).path)).parent / ".promptcoach.yaml"
    config_uri = config.resolve().as_uri()

    def changed(kind=types.FileChangeType.Changed):
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=kind)])
        )

    async def severities():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return {d.severity for d in found if d.code == "missing-detail"}

    async def raised():  # the configuration in force: missing-detail is an error (not: no diagnostics yet)
        return await severities() == {types.DiagnosticSeverity.Error}

    config.write_text("rules:\n  missing-detail: error\n", encoding="utf-8")
    changed(types.FileChangeType.Created)
    try:
        assert await until(raised)
        config.write_text("rules:\n  missing-detail: error\n  vague-term: loud\n", encoding="utf-8")
        changed()

        async def config_diagnosed():
            return bool(client.diagnostics.get(config_uri))

        assert await until(config_diagnosed)
        (problem,) = client.diagnostics[config_uri]
        assert problem.range.start.line == 2  # 0-based: the line of "vague-term: loud"
        assert problem.severity == types.DiagnosticSeverity.Error and "last good" in problem.message
        assert await raised()  # the last good configuration still holds

        config.write_text("rules:\n  missing-detail: error\n  vague-term: error\n", encoding="utf-8")
        changed()

        async def config_clean():
            found = client.diagnostics.get(config_uri)
            return found is not None and len(found) == 0

        assert await until(config_clean), client.diagnostics.get(config_uri)
    finally:
        config.unlink()
        changed(types.FileChangeType.Deleted)


async def _without(codes, code: str) -> bool:
    return code not in await codes()


async def test_settings_change_never_answers_unchanged_with_old_results(client):
    """After a settings change the re-analysed document gets a new result id, so a pull
    client that sends its last id back still receives the new diagnostics."""
    if not pulls(client):
        pytest.skip("a push client gets the new results published")
    uri = open_doc(client)
    first = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri))
    )
    assert any(d.code == "missing-detail" for d in first.items)
    configure(client, {"debounceMs": 0, "severities": {"missing-detail": "off"}})
    try:

        async def new_report():
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri), previous_result_id=first.result_id
                )
            )
            return report.kind == "full" and not any(d.code == "missing-detail" for d in report.items)

        assert await until(new_report)
    finally:
        await restore_defaults(client)


async def test_a_document_over_max_file_size_gets_one_diagnostic_until_it_fits(client):
    """maxFileSize (issue 16): an open document over the limit is not analysed; one
    information diagnostic on its first line says why. Cut below the limit, it is checked."""
    configure(client, {"debounceMs": 0, "maxFileSize": 2000})
    try:
        text = "Make a posts table.\n\n" * 200  # 4,200 bytes
        uri = open_doc(client, text=text)

        async def skipped():
            found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
            return [d.code for d in found] == ["file-too-large"]

        assert await until(skipped)
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics[uri]
        assert found[0].range.start == types.Position(0, 0)
        assert found[0].severity == types.DiagnosticSeverity.Information
        assert "4.2 KB" in found[0].message and "2 KB" in found[0].message
        client.diagnostics.pop(uri, None)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="Make a posts table.\n")],
            )
        )

        async def checked():
            found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
            return [d.code for d in found] == ["missing-detail"]

        assert await until(checked)
    finally:
        await restore_defaults(client)


async def test_config_file_outside_the_workspace_is_ignored(client, tmp_path_factory):
    """promptcoach.configFile may come from a cloned repository's workspace settings: a
    file outside the workspace folders (and the user's configuration directory) is not
    read; the nearest .promptcoach.yaml is used and a warning says so."""
    outside = tmp_path_factory.mktemp("elsewhere") / "p.yaml"
    outside.write_text("rules:\n  missing-detail: off\n", encoding="utf-8")
    configure(client, {"debounceMs": 0, "configFile": str(outside)})
    try:

        async def warned():
            return any("configFile" in m.message and "outside the workspace" in m.message for m in client.messages)

        assert await until(warned)
        uri = open_doc(client)
        assert any(d.code == "missing-detail" for d in await diagnostics(client, uri))
        inside = client.root / "team.promptcoach.yaml"
        inside.write_text("rules:\n  missing-detail: off\n", encoding="utf-8")
        configure(client, {"debounceMs": 0, "configFile": "team.promptcoach.yaml"})  # relative to the workspace

        async def applied():
            found = await diagnostics(client, open_doc(client))
            return not any(d.code == "missing-detail" for d in found)

        assert await until(applied)
    finally:
        await restore_defaults(client)


async def test_max_problems_stops_the_diagnostics_where_it_says(client):
    configure(client, {"debounceMs": 0, "maxProblems": 2})
    try:
        uri = open_doc(client, text="Make a posts table.\n\n" * 5)

        async def stopped():
            found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
            return sorted(d.code for d in found) == ["missing-detail", "missing-detail", "too-many-problems"]

        assert await until(stopped)
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics[uri]
        limit = next(d for d in found if d.code == "too-many-problems")
        assert limit.range.start == types.Position(4, 0) and "3 prompts" in limit.message
    finally:
        await restore_defaults(client)


async def test_a_hostile_pack_renders_as_text_in_the_hover(client):
    """A knowledge pack is repository text: its Markdown (an image, a link, HTML, a bare
    URL) reaches the hover escaped, through the real server (issue 16)."""
    from testkit.lsp import PROMPT_FILE, line_of

    uri = open_doc(client)
    config = Path(unquote(urlparse(uri).path)).parent / ".promptcoach.yaml"
    config.write_text(
        "knowledge:\n"
        "  categories:\n"
        "    - id: database-schema\n"
        "      details:\n"
        "        - id: tracking\n"
        "          title: 'Audit ![i](http://evil.example/x.png) <img src=x> [click](http://evil.example)'\n"
        "          description: 'See https://evil.example/a or mail admin@evil.example'\n"
        "          terms: [audit trail]\n"
        "          completions:\n"
        "            - {label: audit log, documentation: 'Docs at https://evil.example/d'}\n"
        '          clause: {text: " Keep an {value}.", placeholder: "<audit>"}\n',
        encoding="utf-8",
    )

    def changed(kind):
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=kind)])
        )

    line = line_of(PROMPT_FILE, "posts table")

    async def card() -> str:
        result = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, 5))
        )
        return result.contents.value if result is not None else ""

    async def shows_the_pack():
        return "Audit" in await card()

    changed(types.FileChangeType.Created)
    try:
        assert await until(shows_the_pack)
        text = await card()
        # outside code spans (which no renderer links) nothing of the pack is Markdown
        outside_code = re.sub(r"`[^`]*`", "", text)
        assert "evil.example" not in outside_code and "](" not in outside_code
        assert re.search(r"(?<!\\)<img", outside_code) is None and "\\<img src=x\\>" in text
        assert "`https://evil.example/a`" in text and "`admin@evil.example`" in text
    finally:
        config.unlink()
        changed(types.FileChangeType.Deleted)


async def test_a_configuration_linked_out_is_diagnosed_on_the_link(client, tmp_path_factory):
    """The refusal is published on the link, not on its target (which may be any file of
    the machine, ~/.ssh/id_rsa, and would then show a problem in the editor)."""
    uri = open_doc(client)
    config = Path(unquote(urlparse(uri).path)).parent / ".promptcoach.yaml"
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    outside.write_text("token_value: 1\n", encoding="utf-8")
    config.symlink_to(outside)

    def changed(kind):
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=kind)])
        )

    def refusals():
        return {u: found for u, found in client.diagnostics.items() if any("symbolic link" in d.message for d in found)}

    async def refused():
        await diagnostics(client, uri) if pulls(client) else None
        return bool(refusals())

    changed(types.FileChangeType.Created)
    try:
        assert await until(refused)
        assert list(refusals()) == [config.absolute().as_uri()]
        assert not any("secret.yaml" in u for u in client.diagnostics)
    finally:
        config.unlink()
        changed(types.FileChangeType.Deleted)


async def test_a_project_file_change_reaches_push_clients_with_the_default_debounce(client):
    """Editors that do not pull diagnostics (Neovim, Helix, Emacs) get the re-checked
    diagnostics after a configuration change with the default debounce too: the
    re-check runs on the analysis worker, whose timers must go through the event loop
    (before: "no running event loop", logged, and nothing published)."""
    configure(client, {"debounceMs": 150})
    uri = open_doc(client)
    config = Path(unquote(urlparse(uri).path)).parent / ".promptcoach.yaml"

    def changed(kind):
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=kind)])
        )

    async def codes():
        found = await diagnostics(client, uri) if pulls(client) else client.diagnostics.get(uri, [])
        return {d.code for d in found}

    async def coached():
        return "missing-detail" in await codes()

    async def quiet():
        return "missing-detail" not in await codes()

    try:
        assert await until(coached)
        config.write_text("rules:\n  missing-detail: off\n", encoding="utf-8")
        changed(types.FileChangeType.Created)
        assert await until(quiet)
    finally:
        if config.exists():
            config.unlink()
        changed(types.FileChangeType.Deleted)
        await restore_defaults(client)
