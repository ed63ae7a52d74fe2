"""Language server speed, beside a bare pygls server measured in the same run.

* start -> ``initialize`` answer, ours / bare (median of several starts);
* start -> the first diagnostics of a prompt file opened right after ``initialized``,
  for the development install and (after ``make vsix``) the .vsix layout, each beside
  the bare server's start -> ``initialize`` answer (issue 15: at most 2x);
* edit -> ``publishDiagnostics`` for that version on a 30-line and a 5,000-line
  prompt file: one character typed into a prompt per edit, ``debounceMs: 0`` so
  the figure is the server's work and not the debounce wait (the editor default
  adds 150 ms of idle time on purpose);
* completion after an edit (the request analyses the pending edit first), p99;
* resident memory with 200 open documents, ours / bare (psutil).

The client is a minimal JSON-RPC writer/reader on the server's pipes, the same
for both servers.
"""

from __future__ import annotations

import json
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.generate import prompt_file, source_file

HERE = Path(__file__).resolve().parent
OURS = [sys.executable, "-m", "promptcoach", "serve"]
BARE = [sys.executable, str(HERE / "lsp_bare_server.py")]
CAPABILITIES = {  # a push-diagnostics client (no textDocument.diagnostic): every edit is published
    "textDocument": {
        "completion": {"completionItem": {"snippetSupport": True}},
        "publishDiagnostics": {"versionSupport": True},
        "synchronization": {"didSave": True},
    },
    "general": {"positionEncodings": ["utf-16"]},
}


class Connection:
    def __init__(self, command: list[str], cwd: str) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd
        )
        self.messages: queue.Queue = queue.Queue()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = stream.read(length)
            arrived = time.perf_counter()
            self.messages.put((arrived, json.loads(body)))  # timed when the bytes arrived

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def request(self, method: str, params) -> int:
        self._next += 1
        self.send({"jsonrpc": "2.0", "id": self._next, "method": method, "params": params})
        return self._next

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, predicate, timeout: float = 60.0) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.01, deadline - time.perf_counter()))
            if message.get("method") == "workspace/configuration":
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": [{"debounceMs": 0}]})
                continue
            if "id" in message and "method" in message:  # any other server request
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if predicate(message):
                return at, message

    def initialize(self, root: str) -> float:
        sent = self.started
        ident = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": Path(root).as_uri(),
                "capabilities": CAPABILITIES,
                "initializationOptions": {"promptcoach": {"debounceMs": 0}},
            },
        )
        at, _ = self.wait(lambda m: m.get("id") == ident)
        self.notify("initialized", {})
        return at - sent

    def close(self) -> None:
        try:
            ident = self.request("shutdown", None)
            self.wait(lambda m: m.get("id") == ident, timeout=10)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _published(uri: str, version: int):
    return lambda m: (
        m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"] == uri
        and m["params"].get("version") == version
    )


def _open(conn: Connection, uri: str, text: str, language: str = "markdown") -> None:
    conn.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}
    )


def _prompt_lines(text: str) -> list[int]:
    lines = text.splitlines()
    return [i for i, line in enumerate(lines) if len(line) > 30 and line[0].isalpha()]


def edit_latency(
    conn: Connection, root: str, lines: int, edits: int, text: str | None = None, name: str = "edit"
) -> list[float]:
    """Typing at the end of prompt lines of a ``lines``-line prompt file (``text``, else a
    generated one): time from each didChange to the diagnostics of that version."""
    text = prompt_file(lines) if text is None else text
    uri = (Path(root) / f"{name}{lines}.prompt.md").as_uri()
    _open(conn, uri, text)
    conn.wait(_published(uri, 1))
    targets = _prompt_lines(text)
    source = text.splitlines()
    timings = []
    for version in range(2, edits + 2):
        line = targets[(version * 7) % len(targets)]
        column = len(source[line])
        if version % 2 == 0:  # type a word ending, then take it back
            change = {
                "range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column}},
                "text": "s",
            }
        else:
            change = {
                "range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}},
                "text": "",
            }
        sent = time.perf_counter()
        conn.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        )
        at, _ = conn.wait(_published(uri, version))
        timings.append((at - sent) * 1000)
    return timings


def completion_latency(conn: Connection, root: str, requests: int) -> list[float]:
    text = prompt_file(30, seed=5) + "\nMake a posts table. Using \n"
    uri = (Path(root) / "complete.prompt.md").as_uri()
    _open(conn, uri, text)
    conn.wait(_published(uri, 1))
    last = len(text.splitlines()) - 1
    column = len("Make a posts table. Using ")
    conn.notify("workspace/didChangeConfiguration", {"settings": {"promptcoach": {"debounceMs": 150}}})
    timings = []
    for version in range(2, requests + 2):
        typed = "P" if version % 2 == 0 else ""
        change = {
            "range": {
                "start": {"line": last, "character": column},
                "end": {"line": last, "character": column + (0 if typed else 1)},
            },
            "text": typed,
        }
        conn.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
        )
        sent = time.perf_counter()
        ident = conn.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": last, "character": column + len(typed)}},
        )
        at, answer = conn.wait(lambda m: m.get("id") == ident)
        assert answer.get("result", {}).get("items"), "completion returned nothing"
        timings.append((at - sent) * 1000)
    return timings


def open_documents(conn: Connection, root: str, count: int, wait: bool) -> None:
    for index in range(count):
        if index % 2:
            uri = (Path(root) / f"docs/p{index}.prompt.md").as_uri()
            _open(conn, uri, prompt_file(30, seed=100 + index))
        else:
            uri = (Path(root) / f"src/m{index}.py").as_uri()
            _open(conn, uri, source_file(120, comments=4, seed=100 + index), "python")
        if wait:
            conn.wait(_published(uri, 1))


def first_diagnostics(command: list[str], root: str) -> float:
    """Seconds from starting the server to the diagnostics of a prompt file opened right
    after ``initialized`` (what an editor window opened on a prompt file waits for)."""
    conn = Connection(command, root)
    conn.initialize(root)
    uri = (Path(root) / "first.prompt.md").as_uri()
    _open(conn, uri, "# Tasks\n\nMake a posts table.\n")
    at, _ = conn.wait(_published(uri, 1))
    conn.close()
    return at - conn.started


# The .vsix layout: the launcher with bundled/libs (made by `make vsix`), pure-Python
# rapidfuzz and PyYAML, in isolated mode as the extension starts it.
VSIX_LAYOUT = [sys.executable, "-I", str(HERE.parent / "client" / "python" / "launch.py"), "serve"]


def rss(conn: Connection) -> int:
    import psutil

    time.sleep(0.3)
    return psutil.Process(conn.process.pid).memory_info().rss


def run() -> list[tuple]:
    rows = []
    with tempfile.TemporaryDirectory() as root:
        starts = {"ours": [], "bare": []}
        for _ in range(5):
            for name, command in (("bare", BARE), ("ours", OURS)):
                conn = Connection(command, root)
                starts[name].append(conn.initialize(root) * 1000)
                conn.close()
        ours_start, bare_start = statistics.median(starts["ours"]), statistics.median(starts["bare"])
        rows.append(("start -> initialize answer (bare pygls)", bare_start, "ms", None, True))
        rows.append(("start -> initialize answer", ours_start, "ms", None, True))
        ratio = ours_start / bare_start
        rows.append(("start -> initialize, ours / bare", ratio, "x", 1.3, ratio <= 1.3))
        layouts = [("development install", OURS)]
        if (HERE.parent / "bundled" / "libs" / "promptcoach" / "__init__.py").is_file():
            layouts.append(("bundled .vsix layout", VSIX_LAYOUT))
        for label, command in layouts:
            first = statistics.median(first_diagnostics(command, root) * 1000 for _ in range(3))
            rows.append((f"start -> first diagnostics of an open prompt file ({label})", first, "ms", None, True))
            rows.append(
                (
                    f"start -> first diagnostics ({label}) / bare start -> initialize",
                    first / bare_start,
                    "x",
                    2.0,
                    first / bare_start <= 2.0,
                )
            )

        conn = Connection(OURS, root)
        conn.initialize(root)
        small = edit_latency(conn, root, 30, 300)
        large = edit_latency(conn, root, 5000, 100)
        p50_small, p50_large = statistics.median(small), statistics.median(large)
        rows.append(("edit -> diagnostics p50, 30-line file", p50_small, "ms", 3.0, p50_small <= 3.0))
        # a stress row, without a budget: 5,000 lines of distinct backend prompts, denser than
        # any real file (the budget is read on the real corpus below)
        rows.append(("edit -> diagnostics p50, 5,000-line generated file (stress)", p50_large, "ms", None, True))
        rows.append(
            ("edit -> diagnostics p90, 5,000-line generated file (stress)", _percentile(large, 0.9), "ms", None, True)
        )
        from bench.bench_engine import _corpus_text

        corpus = _corpus_text(5000)
        if corpus:  # real prompt files, read as one task prompt file: whole prompts, kinds, context
            real = edit_latency(conn, root, 5000, 100, corpus, "corpus")
            p50_real = statistics.median(real)
            rows.append(
                ("edit -> diagnostics p50, 5,000 lines of the real corpus", p50_real, "ms", 20.0, p50_real <= 20.0)
            )
        completion = completion_latency(conn, root, 300)
        p99 = _percentile(completion, 0.99)
        rows.append(("completion p99 (after an edit)", p99, "ms", 10.0, p99 <= 10.0))
        conn.close()

        memory = {}
        for name, command in (("bare", BARE), ("ours", OURS)):
            conn = Connection(command, root)
            conn.initialize(root)
            open_documents(conn, root, 200, wait=name == "ours")
            if name == "bare":  # no answers to wait for: a round trip proves the opens were read
                ident = conn.request("shutdown", None)
                conn.wait(lambda m, ident=ident: m.get("id") == ident)
                memory[name] = rss(conn)
                conn.notify("exit", None)
                conn.process.wait(timeout=10)
            else:
                memory[name] = rss(conn)
                conn.close()
        rows.append(("RSS, 200 open documents (bare pygls)", memory["bare"] / 2**20, "MiB", None, True))
        rows.append(("RSS, 200 open documents", memory["ours"] / 2**20, "MiB", None, True))
        mem_ratio = memory["ours"] / memory["bare"]
        rows.append(("RSS with 200 documents, ours / bare", mem_ratio, "x", 1.6, mem_ratio <= 1.6))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
