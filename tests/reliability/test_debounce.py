"""Pushed diagnostics are debounced per document, and a result for an older version
is never published after a newer one (a client without pull diagnostics)."""

from __future__ import annotations

import time

from lspfuzz import RawClient

VAGUE = "# Notes\n\nMake a posts table.\n"


class RecordingClient(RawClient):
    """Keeps every publishDiagnostics, not only the last one per document."""

    def __init__(self, *args, **kwargs) -> None:
        self.published: list[dict] = []
        super().__init__(*args, **kwargs)

    def _dispatch(self, message: dict) -> None:
        if message.get("method") == "textDocument/publishDiagnostics":
            self.published.append(message["params"])
        super()._dispatch(message)


def test_rapid_edits_publish_once_for_the_last_version(tmp_path):
    client = RecordingClient(tmp_path)
    try:
        client.settings = {"debounceMs": 200}
        client.initialize(tmp_path, pull_diagnostics=False)
        client.notify("workspace/didChangeConfiguration", {"settings": {"promptcoach": {"debounceMs": 200}}})
        uri = (tmp_path / "a.prompt.md").as_uri()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": VAGUE}},
        )
        client.wait_diagnostics(uri, 1)
        before = len(client.published)
        line, column = 2, len("Make a posts table.")
        for version in range(2, 12):  # ten keystrokes, 20 ms apart: well inside the 200 ms debounce
            position = {"line": line, "character": column + version - 2}
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": position, "end": position}, "text": "x"}],
                },
            )
            time.sleep(0.02)
        last = client.wait_diagnostics(uri, 11)
        time.sleep(0.5)  # anything still scheduled would arrive now
        after = [p for p in client.published[before:] if p["uri"] == uri]
        assert [p["version"] for p in after] == [11], [p.get("version") for p in after]
        assert any(d["code"] == "missing-detail" for d in last)
        versions = [p["version"] for p in client.published if p["uri"] == uri]
        assert versions == sorted(versions)  # never an older result after a newer one
    finally:
        client.close()
