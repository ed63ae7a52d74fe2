"""The diagnostics JSON a document state re-sends after edits (joined from each
prompt's cached JSON, moved by whole lines) is exactly what a fresh state computes
for the same text."""

from __future__ import annotations

import json
import random

from promptcoach.engine.analyze import Engine
from promptcoach.engine.incremental import IncrementalAnalyzer
from promptcoach.lsp.convert import PositionMapper
from promptcoach.lsp.documents import DocumentState

PATH = "/work/prompts/long.prompt.md"
PROMPTS = [
    "Make a posts table.",
    "API to get posts.",
    "Add user login.",
    "Handle errors properly.",
    "Write a friendly welcome message.",
    "Get stock price data with axios.",
]
SNIPPETS = ["s", "\n", "\n\n", " etc.", "- ", "API ", "x", "# Title\n", "```\n"]


def state_for(engine: Engine) -> DocumentState:
    return DocumentState("file://" + PATH, PATH, "markdown", IncrementalAnalyzer(engine))


def diagnostics(state: DocumentState, text: str) -> list:
    state.text = text
    state.mapper = PositionMapper(text)
    state.analyzer.update(text, PATH, "markdown")
    return json.loads(state.diagnostics_json())


def test_cached_diagnostics_equal_a_fresh_state():
    rng = random.Random(11)
    engine = Engine()
    text = "".join(f"{rng.choice(PROMPTS)}\n\n" for _ in range(60))
    live = state_for(engine)
    diagnostics(live, text)
    for _ in range(150):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 0, 1, 5, 30]))
        text = text[:start] + rng.choice(SNIPPETS) + text[end:]
        assert diagnostics(live, text) == diagnostics(state_for(engine), text)
