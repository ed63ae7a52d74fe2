"""The JSON-RPC protocol with the robustness pygls 2.1.1 lacks.

* A request whose params fail to deserialize (a negative position, a missing
  field) gets an ``InvalidParams`` error answer instead of no answer at all:
  pygls raises from inside ``json.loads`` and only logs the error.
* A response that cannot be serialized (a bug in a handler's result) is
  answered with ``InternalError`` instead of being dropped.
* Plain ``dict`` payloads are sent as they are, which lets diagnostics reuse
  already-unstructured JSON (see :mod:`promptcoach.lsp.convert`).
* ``shutdown`` with requests still pending is answered, not an internal error: pygls
  cancels the pending futures while it iterates ``_request_futures.items()``, and
  cancelling a command's future runs its done-callback at once, which removes it
  ("dictionary changed size during iteration"); the analysis thread also files the
  refresh requests it sends. ``items()`` gives a snapshot.
* The futures of notification handlers are forgotten once done: pygls 2.1 files
  them under a fresh id in ``_request_futures`` (for async and generator handlers,
  such as its built-in didOpen/didChange) and, since no response is ever sent for
  a notification, never removes them: one future per keystroke, for the life of
  the server.

These override or read members of pygls that are not public API, so pyproject pins
pygls to 2.1.x and ``tests/lsp/test_pygls_internals.py`` fails when an installed
pygls changes any of them.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol

logger = logging.getLogger(__name__)


_WRITING = threading.Lock()  # one message at a time on the wire


class RawJSON(str):
    """A handler result that is already JSON text; sent as it is."""


class _Answered:
    """Stands in for a message that could not be structured (already handled)."""

    jsonrpc = "2.0"


ANSWERED = _Answered()


class _Futures(dict):
    """``_request_futures`` whose ``items()`` is a snapshot (see the module doc)."""

    def items(self):
        return list(super().items())


class PromptCoachProtocol(LanguageServerProtocol):
    _in_notification = 0  # > 0 while a notification's handlers are being started

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._request_futures = _Futures(self._request_futures)

    def _handle_notification(self, method_name: str, params: Any):
        self._in_notification += 1
        try:
            super()._handle_notification(method_name, params)
        finally:
            self._in_notification -= 1

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        if self._in_notification:
            future = self._request_futures.get(msg_id)
            if future is not None:
                future.add_done_callback(lambda _done, key=msg_id: self._request_futures.pop(key, None))

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except (JsonRpcInvalidParams, JsonRpcInternalError) as error:
            cause = error.__cause__ or error
            if "id" in data and "method" in data:
                answer = JsonRpcInvalidParams(message=f"Invalid params for {data['method']}: {_short(cause)}")
                self._send_response(data["id"], error=answer.to_response_error())
            else:
                logger.warning("Ignoring malformed %s: %s", data.get("method", "message"), _short(cause))
            return ANSWERED

    def handle_message(self, message):
        if message is ANSWERED:
            return
        super().handle_message(message)

    def _send_data(self, data: Any):
        if not data:
            return
        if self.writer is None:
            logger.error("Unable to send data, no available transport!")
            return
        try:
            body = self._encode(data)
        except Exception as error:  # a handler produced something we cannot send
            logger.exception("Cannot serialize a message")
            msg_id = getattr(data, "id", None)
            if msg_id is None or getattr(data, "method", None) is not None:
                return
            reply = JsonRpcInternalError(message=f"Cannot serialize the result: {error}")
            body = self._encode(types.ResponseErrorMessage(id=msg_id, error=reply.to_response_error()))
        self._write(body)

    def _encode(self, data: Any) -> str:
        result = getattr(data, "result", None)
        if isinstance(result, RawJSON) and getattr(data, "method", None) is None:
            return f'{{"jsonrpc":"2.0","id":{json.dumps(data.id)},"result":{result}}}'
        if isinstance(data, dict):
            return json.dumps(data, separators=(",", ":"))
        return json.dumps(data, default=self._serialize_message, separators=(",", ":"))

    def _write(self, body: str) -> None:
        """Write one message whole: diagnostics are published from the analysis worker
        thread (``PromptCoachServer.in_order``) as well as from the event loop."""
        payload = body.encode(self.CHARSET)
        if self._include_headers:
            header = f"Content-Length: {len(payload)}\r\n\r\n".encode("ascii")
            payload = header + payload
        writer = self.writer
        if writer is None:  # no transport (yet, or any more)
            return
        with _WRITING:
            res = writer.write(payload)
        if res is not None and hasattr(res, "__await__"):
            import asyncio

            asyncio.ensure_future(res)

    def notify_raw(self, method: str, params: dict) -> None:
        """Send a notification whose params are already plain JSON."""
        self._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    def notify_encoded(self, method: str, params_json: str) -> None:
        """Send a notification whose params are already encoded JSON text."""
        if self.writer is None:
            return
        self._write(f'{{"jsonrpc":"2.0","method":{json.dumps(method)},"params":{params_json}}}')


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    exceptions = getattr(error, "exceptions", None)
    if exceptions:
        return "; ".join(_short(inner) for inner in exceptions)
    return text[0] if text else type(error).__name__
