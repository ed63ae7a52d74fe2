"""A raw JSON-RPC client for ``promptcoach serve`` and a random LSP session driver.

Used by ``test_lsp_fuzz.py`` (bounded, in ``make test``) and ``bench/bench_soak.py``
(longer). The client frames messages itself, so it can also send what a real
client never would: malformed JSON, wrong ``Content-Length`` headers, params of
the wrong shape, lone surrogates, positions past the end or negative.

The fuzzer keeps a mirror of each document only to aim edits and requests at
plausible places; the server's copy may legitimately differ after invalid
edits, so every document is resynchronised with a full replacement before the
final correctness check.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Error codes a well-formed request may legitimately get back.
INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601
INTERNAL_ERROR = -32603
REQUEST_FAILED = -32803

VAGUE_PROMPT = "Make a posts table.\n"


def server_command() -> list[str]:
    return [sys.executable, "-m", "promptcoach", "serve"]


class RawClient:
    """The client end of one server process on stdio."""

    def __init__(self, cwd: Path, command: list[str] | None = None, env: dict | None = None) -> None:
        self.stderr_path = Path(cwd) / "server-stderr.log"
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            command or server_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=cwd,
            env=env,
        )
        self.settings: Any = {"debounceMs": 0}
        self.responses: dict[Any, dict] = {}
        self.diagnostics: dict[str, dict] = {}
        self.log_errors: list[str] = []
        self.notifications = 0
        self._next_id = 0
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # --- transport -------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        with self._write_lock:
            self.process.stdin.write(data)
            self.process.stdin.flush()

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read_loop(self) -> None:
        stream = self.process.stdout
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = stream.read(length or 0)
                if len(body) < (length or 0):
                    return
                self._dispatch(json.loads(body))
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def _dispatch(self, message: dict) -> None:
        method = message.get("method")
        if method is None:
            with self._cond:
                self.responses[message.get("id")] = message
                self._cond.notify_all()
            return
        if "id" in message:  # a request from the server
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(method, message.get("params"))})
            return
        self.notifications += 1
        params = message.get("params") or {}
        if method == "textDocument/publishDiagnostics":
            with self._cond:
                self.diagnostics[params["uri"]] = params
                self._cond.notify_all()
        elif (
            method == "window/logMessage" and params.get("type") == 1 and "internal error" in params.get("message", "")
        ):
            self.log_errors.append(params["message"])

    def _answer(self, method: str, params: Any) -> Any:
        if method == "workspace/configuration":
            items = (params or {}).get("items") or [{}]
            return [self.settings for _ in items]
        return None

    # --- requests --------------------------------------------------------------------

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def request_async(self, method: str, params: Any = None, msg_id: Any = None) -> Any:
        msg_id = self.new_id() if msg_id is None else msg_id
        message = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return msg_id

    def wait(self, msg_id: Any, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            while msg_id not in self.responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise TimeoutError(f"no answer to request {msg_id!r} (server alive: {self.alive})")
                self._cond.wait(remaining)
            return self.responses.pop(msg_id)

    def request(self, method: str, params: Any = None, timeout: float = 20.0) -> dict:
        return self.wait(self.request_async(method, params), timeout)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, version: int | None, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                published = self.diagnostics.get(uri)
                if published is not None and (version is None or published.get("version") in (None, version)):
                    return published["diagnostics"]
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise TimeoutError(f"no diagnostics for {uri} version {version}")
                self._cond.wait(remaining)

    # --- life cycle ------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def initialize(self, root: Path, pull_diagnostics: bool = True) -> dict:
        capabilities = {
            "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
            "textDocument": {
                "synchronization": {"dynamicRegistration": True},
                "completion": {"completionItem": {"snippetSupport": True}},
                "publishDiagnostics": {"versionSupport": True},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor"]}}},
            },
        }
        if pull_diagnostics:
            capabilities["textDocument"]["diagnostic"] = {"dynamicRegistration": False}
        answer = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}],
                "capabilities": capabilities,
                "initializationOptions": {"promptcoach": {"debounceMs": 0}},
            },
            timeout=60,
        )
        self.notify("initialized", {})
        return answer

    def close(self) -> int | None:
        """Shut down politely; kill the process if it does not exit."""
        try:
            if self.alive:
                self.request("shutdown", timeout=10)
                self.notify("exit", None)
                self.process.wait(timeout=10)
        except (OSError, TimeoutError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.alive:
                self.process.kill()
                self.process.wait(timeout=10)
            self._stderr.close()
        return self.process.returncode

    def stderr_text(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


# --------------------------------------------------------------------------- documents


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_lines(text: str) -> list[str]:
    """Lines as LSP sees them (LF, CRLF and lone CR end a line), without the breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass
class Doc:
    uri: str
    language: str
    text: str
    version: int = 1


FRAGMENTS = [
    "Make a posts table.",
    "Create an API endpoint to get users.",
    "Add login with Google.",
    "When an order is paid, send an email.",
    "Fetch the weather from OpenWeather.",
    "prompt: ",
    "ai: ",
    "@ai ",
    "TODO(ai): ",
    "// prompt: ",
    "# ai: ",
    "/* prompt: ",
    "*/",
    "<!-- ",
    " -->",
    "<!-- promptcoach-disable-next-line -->",
    "promptcoach-disable-file",
    "```",
    "```python\n",
    "~~~",
    "---\n",
    "- ",
    "  - ",
    "1. ",
    "> ",
    "#",
    "## Heading\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\x00",
    "\ufeff",
    "\u200b",
    "\u0301",
    "😀",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "日本語のテキスト",
    "مرحبا",
    "é",
    "\U0010ffff",
    "with Prisma",
    "using Express",
    "fields: id, title",
    "returns 404",
    "JWT",
    "hardcode the API key sk_live_abc123",
    "{",
    "}",
    "${1:x}",
    "$0",
    "\\",
    '"',
    "'",
    "`",
]


def random_text(rng: random.Random, max_pieces: int = 6) -> str:
    pieces = []
    for _ in range(rng.randint(0, max_pieces)):
        roll = rng.random()
        if roll < 0.75:
            pieces.append(rng.choice(FRAGMENTS))
        elif roll < 0.97:
            pieces.append(
                "".join(
                    chr(rng.choice([rng.randint(32, 126), rng.randint(0xA0, 0xD7FF), rng.randint(0x10000, 0x10FFFF)]))
                    for _ in range(rng.randint(1, 8))
                )
            )
        else:
            pieces.append(chr(rng.randint(0xD800, 0xDFFF)))  # a lone surrogate (valid JSON escape)
    return "".join(pieces)


def random_position(rng: random.Random, text: str, wild: float = 0.15) -> dict:
    """A position in ``text`` (UTF-16), sometimes past the end, rarely far off."""
    lines = split_lines(text)
    if rng.random() < wild:
        line = rng.choice([len(lines), len(lines) + 5, 10_000, 2**31 - 1])
        return {"line": line, "character": rng.choice([0, 1, 500, 2**31 - 1])}
    line = rng.randrange(len(lines))
    width = utf16_units(lines[line])
    character = rng.randint(0, width + (3 if rng.random() < wild else 0))
    return {"line": line, "character": character}


def ordered(a: dict, b: dict) -> tuple[dict, dict]:
    return (a, b) if (a["line"], a["character"]) <= (b["line"], b["character"]) else (b, a)


def apply_change(text: str, start: dict, end: dict, new_text: str) -> str:
    """Apply an edit to the mirror, clamping positions past a line or the document end."""
    a, b = mirror_offset(text, start), mirror_offset(text, end)
    return text[:a] + new_text + text[b:]


def mirror_offset(text: str, pos: dict) -> int:
    index = 0
    for _ in range(pos["line"]):
        while index < len(text) and text[index] not in "\r\n":
            index += 1
        if index >= len(text):
            return len(text)
        index += 2 if text.startswith("\r\n", index) else 1
    units = 0
    while index < len(text) and text[index] not in "\r\n" and units < pos["character"]:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


# --------------------------------------------------------------------------- the fuzzer


@dataclass
class Stats:
    edits: int = 0
    requests: int = 0
    answered: int = 0
    errors: dict = field(default_factory=dict)  # code -> count
    internal: list = field(default_factory=list)  # (method, message) of InternalError answers to valid requests
    hostile_internal: list = field(default_factory=list)  # the same for code actions on foreign Diagnostic.data
    malformed: int = 0
    notifications: int = 0

    def count_error(self, code: int) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1


REQUEST_METHODS = [
    "textDocument/completion",
    "textDocument/hover",
    "textDocument/codeAction",
    "textDocument/diagnostic",
    "textDocument/inlayHint",
    "textDocument/documentSymbol",
]


class Fuzzer:
    """Drives one server with random edits, requests and bad input."""

    def __init__(self, client: RawClient, root: Path, seed: int, hostile_data: bool = True) -> None:
        self.client = client
        self.hostile_data = hostile_data  # code actions on Diagnostic.data we did not write
        self.root = root
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.docs: list[Doc] = []
        self.pending: dict[Any, tuple[str, Any]] = {}  # id -> (method, True | False | "hostile-data")
        self.last_diagnostics: list[dict] = []

    # --- documents

    def open_documents(self) -> None:
        names = [
            ("fuzz.prompt.md", "markdown", "# Prompts\n\nMake a posts table.\n\n- API to get posts.\n"),
            ("AGENTS.md", "markdown", "Build the backend.\r\nAdd login.\r\n"),
            ("app.py", "python", "# prompt: make a users table\nx = '# ai: not a comment'\n"),
            (
                "server.ts",
                "typescript",
                "// ai: create an endpoint to list orders\n/* prompt: send an email\n * when paid */\n",
            ),
            ("main.go", "go", "package main\n// TODO(ai): fetch prices from Stripe\n"),
            ("notes.txt", "plaintext", "nothing here"),
        ]
        for name, language, text in names:
            doc = Doc((self.root / name).as_uri(), language, text)
            self.docs.append(doc)
            self.client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": doc.uri, "languageId": language, "version": 1, "text": text}},
            )

    def random_edit(self) -> None:
        rng = self.rng
        doc = rng.choice(self.docs)
        roll = rng.random()
        if roll < 0.03:  # full replacement
            doc.text = random_text(rng, 30)
            changes = [{"text": doc.text}]
        else:
            changes = []
            for _ in range(rng.randint(1, 3)):
                start, end = ordered(random_position(rng, doc.text), random_position(rng, doc.text))
                if rng.random() < 0.7:  # mostly small edits, like typing
                    end = start
                new_text = random_text(rng, 3)
                changes.append({"range": {"start": start, "end": end}, "text": new_text})
                doc.text = apply_change(doc.text, start, end, new_text)
        version = doc.version + 1
        if rng.random() < 0.05:
            version = rng.choice([0, doc.version - 3, doc.version])  # stale or repeated
        else:
            doc.version = version
        self.client.notify(
            "textDocument/didChange", {"textDocument": {"uri": doc.uri, "version": version}, "contentChanges": changes}
        )
        self.stats.edits += 1

    # --- requests

    def random_request(self) -> None:
        rng = self.rng
        doc = rng.choice(self.docs)
        uri = doc.uri if rng.random() > 0.08 else (self.root / f"never-{rng.randint(0, 99)}.prompt.md").as_uri()
        method = rng.choice(REQUEST_METHODS)
        well_formed = True
        position = random_position(rng, doc.text)
        if rng.random() < 0.05:
            position = {"line": -1, "character": rng.choice([-5, 0])}
            well_formed = False
        start, end = ordered(random_position(rng, doc.text), random_position(rng, doc.text))
        if method in ("textDocument/completion", "textDocument/hover"):
            params = {"textDocument": {"uri": uri}, "position": position}
            if method == "textDocument/completion" and rng.random() < 0.3:
                params["context"] = {"triggerKind": 2, "triggerCharacter": rng.choice([" ", ":", ","])}
        elif method == "textDocument/codeAction":
            diagnostics = list(self.last_diagnostics[:3]) if rng.random() < 0.6 else []
            if (
                self.hostile_data and rng.random() < 0.1
            ):  # a diagnostic whose data we did not write (another tool's, or garbage)
                well_formed = "hostile-data"
                diagnostics.append(
                    {
                        "range": {"start": start, "end": end},
                        "message": "x",
                        "source": "promptcoach",
                        "code": "missing-detail",
                        "data": rng.choice(
                            [None, 5, "x", [], {"fixes": "nope"}, {"fixes": [{"edits": [{"range": 1}]}]}]
                        ),
                    }
                )
            params = {
                "textDocument": {"uri": uri},
                "range": {"start": start, "end": end},
                "context": {"diagnostics": diagnostics},
            }
        elif method == "textDocument/inlayHint":
            params = {"textDocument": {"uri": uri}, "range": {"start": start, "end": end}}
        else:
            params = {"textDocument": {"uri": uri}}
        if rng.random() < 0.03:  # wrong shapes
            params = rng.choice(
                [None, [], "text", 7, {"textDocument": 5}, {"textDocument": {"uri": uri}, "position": "here"}]
            )
            well_formed = False
        msg_id = self.client.request_async(
            method, params, msg_id=rng.choice([None, None, None, f"s-{self.stats.requests}"])
        )
        self.pending[msg_id] = (method, well_formed)
        self.stats.requests += 1

    def odd_message(self) -> None:
        """Unknown methods, malformed bodies, wrong headers, bad settings."""
        rng = self.rng
        kind = rng.randrange(9)
        if kind == 0:
            msg_id = self.client.request_async(f"promptcoach/unknown{rng.randint(0, 9)}", {"x": 1})
            self.pending[msg_id] = ("unknown", False)
            self.stats.requests += 1
        elif kind == 1:
            self.client.notify("$/unknownNotification", {"x": [1, 2]})
        elif kind == 2:  # invalid JSON body, correct length; newline resyncs the header reader
            body = rng.choice(
                [b"{not json", b'{"jsonrpc": "2.0", "id": ', b"\xff\xfe\x00", b"[]", b"42", b'"str"', b"null", b"{}"]
            )
            self.client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.stats.malformed += 1
        elif kind == 3:  # Content-Length too small: the tail of the body becomes junk on its own line
            body = json.dumps({"jsonrpc": "2.0", "id": "cut", "method": "textDocument/hover", "params": {}}).encode()
            self.client.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) // 2) + body + b"\r\n")
            self.stats.malformed += 1
        elif kind == 4:  # Content-Length too large: padding with junk completes the count
            body = b'{"jsonrpc": "2.0", "method": "initialized", "params": {}}'
            self.client.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) + 10) + body + b"xxxxxxxxxx")
            self.stats.malformed += 1
        elif kind == 5:  # headers without a usable length
            self.client.send_raw(
                rng.choice(
                    [b"Content-Length: abc\r\n\r\n{}\r\n", b"Content-Type: x\r\n\r\n{}\r\n", b"garbage line\r\n"]
                )
            )
            self.stats.malformed += 1
        elif kind == 6:  # settings of the wrong types
            self.client.settings = rng.choice(
                [
                    {"debounceMs": "soon", "markers": 5, "threshold": "high", "rules": ["x"], "include": {"a": 1}},
                    {"debounceMs": -1, "enable": "yes", "inlayHints": 3, "configFile": 12, "assumeStack": "no"},
                    {"rules": {"missing-detail": "loud", "nope": 3}, "severities": 7, "exclude": [1, None]},
                    ["not", "an", "object"],
                    None,
                    "string",
                    {"debounceMs": 0, "markers": ["prompt:", "", "\x00"], "threshold": 2.5},
                    {"debounceMs": 0},
                ]
            )
            self.client.notify(
                "workspace/didChangeConfiguration",
                {"settings": rng.choice([{"promptcoach": self.client.settings}, self.client.settings, None, 3])},
            )
        elif kind == 7:  # document lifecycle out of order
            doc = rng.choice(self.docs)
            action = rng.randrange(3)
            unopened = (self.root / "ghost.prompt.md").as_uri()
            if action == 0:
                self.client.notify(
                    "textDocument/didChange",
                    {"textDocument": {"uri": unopened, "version": 3}, "contentChanges": [{"text": "Make a table."}]},
                )
            elif action == 1:
                self.client.notify("textDocument/didClose", {"textDocument": {"uri": unopened}})
            else:  # reopen an open document with new text (clients should not, servers must cope)
                doc.version += 1
                self.client.notify(
                    "textDocument/didOpen",
                    {
                        "textDocument": {
                            "uri": doc.uri,
                            "languageId": doc.language,
                            "version": doc.version,
                            "text": doc.text,
                        }
                    },
                )
        else:  # a request whose params fail validation in the server's types
            msg_id = self.client.request_async(
                "textDocument/hover", {"textDocument": {"uri": 5}, "position": {"line": "a"}}
            )
            self.pending[msg_id] = ("textDocument/hover", False)
            self.stats.requests += 1

    # --- bookkeeping

    def collect(self, wait: bool) -> None:
        """Record answers; with ``wait``, every pending request must be answered."""
        for msg_id in list(self.pending):
            if not wait and msg_id not in self.client.responses:
                continue
            answer = self.client.wait(msg_id, timeout=30)
            method, well_formed = self.pending.pop(msg_id)
            self.stats.answered += 1
            error = answer.get("error")
            if error:
                self.stats.count_error(error.get("code"))
                if error.get("code") == INTERNAL_ERROR and well_formed == "hostile-data":
                    self.stats.hostile_internal.append((method, error.get("message", "")[:300]))
                elif error.get("code") == INTERNAL_ERROR and well_formed:
                    self.stats.internal.append((method, error.get("message", "")[:300]))
            elif method == "textDocument/diagnostic":
                items = (answer.get("result") or {}).get("items") or []
                if items:
                    self.last_diagnostics = items

    def run(self, steps: int, batch: int = 25, deadline: float | None = None) -> Stats:
        self.open_documents()
        for step in range(steps):
            roll = self.rng.random()
            if roll < 0.55:
                self.random_edit()
            elif roll < 0.92:
                self.random_request()
            else:
                self.odd_message()
            if step % batch == batch - 1:
                self.collect(wait=len(self.pending) > 2 * batch)
            if deadline is not None and time.monotonic() > deadline:
                break
        self.collect(wait=True)
        self.stats.notifications = self.client.notifications
        return self.stats


def check_still_correct(client: RawClient, root: Path, settings_reset: bool = True) -> list[dict]:
    """Reset the settings, open a fresh vague prompt and return its diagnostics."""
    if settings_reset:
        client.settings = {"debounceMs": 0}
        client.notify("workspace/didChangeConfiguration", {"settings": {"promptcoach": {"debounceMs": 0}}})
    uri = (root / "final-check.prompt.md").as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": VAGUE_PROMPT}},
    )
    answer = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout=30)
    assert "error" not in answer, answer
    return answer["result"]["items"]


def rss_bytes(pid: int) -> int:
    import psutil

    return psutil.Process(pid).memory_info().rss
