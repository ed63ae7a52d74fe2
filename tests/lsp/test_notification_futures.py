"""pygls 2.1 keeps a future per notification in ``_request_futures`` (they are only
removed when a response is sent); our protocol forgets them once done, so a long
session does not grow by one future, and the params it holds, per keystroke."""

from __future__ import annotations

import asyncio

from promptcoach.lsp.server import create_server


class _Sink:
    def write(self, data) -> None:  # the server's output is not read here
        pass


def _message(method: str, params: dict, msg_id: int | None = None) -> dict:
    message = {"jsonrpc": "2.0", "method": method, "params": params}
    if msg_id is not None:
        message["id"] = msg_id
    return message


def test_notification_futures_are_forgotten(tmp_path):
    async def session() -> int:
        server = create_server()
        protocol = server.protocol
        protocol.set_writer(_Sink())

        def send(data: dict) -> None:
            protocol.handle_message(protocol.structure_message(data))

        send(
            _message(
                "initialize",
                {
                    "processId": None,
                    "rootUri": tmp_path.as_uri(),
                    "capabilities": {},
                    "initializationOptions": {"promptcoach": {"debounceMs": 0}},
                },
                1,
            )
        )
        uri = (tmp_path / "a.prompt.md").as_uri()
        send(
            _message(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "Make a posts table.\n"}},
            )
        )
        for version in range(2, 302):
            position = {"line": 0, "character": 0}
            send(
                _message(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"range": {"start": position, "end": position}, "text": "x"}],
                    },
                )
            )
        await asyncio.sleep(0.1)  # let done-callbacks of asyncio futures run
        assert server.workspace.get_text_document(uri).source.startswith("x" * 300)
        return len(protocol._request_futures)

    assert asyncio.run(session()) < 5
