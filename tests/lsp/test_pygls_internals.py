"""``lsp/protocol.py`` overrides and reads members of pygls's JSON-RPC protocol that
are not public API. pyproject pins pygls to the minor release they were written
for; this test fails as soon as an installed pygls changes any of them, so an
upgrade cannot silently drop the fixes (error answers for bad params and
unserializable results, forgotten notification futures, pre-encoded JSON)."""

from __future__ import annotations

import inspect
import re
from importlib import metadata
from pathlib import Path

from pygls.protocol import JsonRPCProtocol, LanguageServerProtocol

from promptcoach.lsp.protocol import PromptCoachProtocol

ROOT = Path(__file__).resolve().parents[2]

# the members PromptCoachProtocol overrides or calls, with the parameters it relies on
EXPECTED = {
    "_execute_handler": ["self", "msg_id", "handler", "callback", "args", "kwargs"],
    "_handle_notification": ["self", "method_name", "params"],
    "structure_message": ["self", "data"],
    "handle_message": ["self", "message"],
    "_send_data": ["self", "data"],
    "_send_response": ["self", "msg_id", "result", "error"],
    "_serialize_message": ["self", "data"],
}


def test_the_overridden_members_keep_their_signatures():
    for name, parameters in EXPECTED.items():
        member = getattr(LanguageServerProtocol, name, None)
        assert member is not None, f"pygls no longer has {name}"
        assert list(inspect.signature(member).parameters) == parameters, name


def test_the_attributes_read_still_exist():
    source = inspect.getsource(JsonRPCProtocol)
    assert "self._request_futures[msg_id] = future" in source  # where notification futures are filed
    shutdown = inspect.getsource(LanguageServerProtocol.lsp_shutdown)
    assert "self._request_futures.items()" in shutdown  # what protocol._Futures makes a snapshot of
    assert "self._include_headers" in source
    assert "self.writer" in source
    protocol = PromptCoachProtocol.__mro__[1]
    assert protocol is LanguageServerProtocol


def test_pygls_is_pinned_to_the_tested_minor_release():
    pin = re.search(r'"pygls([^"]*)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    installed = tuple(int(part) for part in metadata.version("pygls").split(".")[:2])
    assert pin == ">=2.1.1,<2.2", pin
    assert installed == (2, 1)
