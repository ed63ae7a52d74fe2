"""Property-based tests: the engine takes any text without an exception and every
range it reports lies inside the document, at correct UTF-16 positions.

Profiles: ``default`` keeps this file well under 30 s; set
``PROMPTCOACH_HYPOTHESIS_PROFILE=soak`` (``make bench`` style runs) for many more
examples.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lspfuzz import FRAGMENTS

from promptcoach.engine.analyze import Engine
from promptcoach.engine.completion import complete
from promptcoach.engine.expand import ExpansionError, expand, expand_prompt
from promptcoach.engine.hover import prompt_card
from promptcoach.engine.incremental import IncrementalAnalyzer
from promptcoach.engine.positions import LineIndex

settings.register_profile(
    "default", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "soak", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("PROMPTCOACH_HYPOTHESIS_PROFILE", "default"))

PROMPT_PATHS = [
    "notes.prompt.md",
    "AGENTS.md",
    "CLAUDE.md",
    ".cursorrules",
    ".cursor/rules/backend.mdc",
    "prompts/db/posts.md",
    "task.prompt.txt",
    ".github/copilot-instructions.md",
]
SOURCE_PATHS = [
    "app.py",
    "server.ts",
    "index.js",
    "main.go",
    "lib.rs",
    "Main.java",
    "model.rb",
    "deploy.sh",
    "page.html",
    "style.css",
    "query.sql",
    "init.lua",
    "index.php",
    "Program.cs",
    "app.swift",
    "main.c",
    "Dockerfile",
    "config.yaml",
    "unknown.xyz",
]
HERE = Path(__file__).resolve().parent
CATEGORIES = ["database-schema", "api-endpoint", "authentication", "business-logic", "external-api"]

ENGINE = Engine()

# ---------------------------------------------------------------------------- strategies

fragments = st.sampled_from(
    FRAGMENTS + ["\n- ", "\n  - ", "\n> ", "\n```\n", "\n\n", "<!--", "-->", '"""', "'''", "#!"]
)
any_text = st.text(max_size=12)
astral = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF)
controls = st.sampled_from(["\x00", "\r", "\r\n", "\ufeff", "\u2028", "\u0085", "\x0b", "\x0c", "\x1b"])
lone_surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)

documents = st.lists(
    st.one_of(fragments, fragments, fragments, any_text, astral, controls, lone_surrogate),
    max_size=40,
).map("".join)
paths = st.sampled_from(PROMPT_PATHS + SOURCE_PATHS)


# ---------------------------------------------------------------------------- checks


def reference_positions(text: str, offsets) -> dict[int, tuple[int, int]]:
    """LSP positions of ``offsets``, computed in one sweep independently of LineIndex:
    lines end at LF, CRLF or lone CR; characters are UTF-16 code units."""
    wanted = sorted(set(offsets))
    found: dict[int, tuple[int, int]] = {}
    line, units, i, k = 0, 0, 0, 0
    while k < len(wanted):
        while k < len(wanted) and wanted[k] == i:
            found[wanted[k]] = (line, units)
            k += 1
        if i >= len(text):
            break
        ch = text[i]
        if ch == "\r" and text.startswith("\r\n", i):
            if k < len(wanted) and wanted[k] == i + 1:  # inside a CRLF: reported by check_offset
                found[wanted[k]] = (line, units + 1)
                k += 1
            line, units, i = line + 1, 0, i + 2
        elif ch in "\r\n":
            line, units, i = line + 1, 0, i + 1
        else:
            units += 2 if ord(ch) > 0xFFFF else 1
            i += 1
    return found


class Spans:
    """Collects the spans of one analysis, then checks them all in one sweep."""

    LIMIT = 400  # spans checked per kind; huge documents have tens of thousands

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: dict[str, list[tuple[int, int]]] = {}

    def add(self, kind: str, start: int, end: int) -> None:
        assert start <= end, f"{kind}: start {start} after end {end}"
        assert 0 <= start and end <= len(self.text), f"{kind}: {start}..{end} outside 0..{len(self.text)}"
        self.spans.setdefault(kind, []).append((start, end))

    def check(self) -> None:
        text = self.text
        chosen = {kind: spans[:: max(1, len(spans) // self.LIMIT)] for kind, spans in self.spans.items()}
        offsets = {offset for spans in chosen.values() for span in spans for offset in span}
        reference = reference_positions(text, offsets)
        index = LineIndex(text)
        for kind, spans in chosen.items():
            for span in spans:
                for offset in span:
                    assert not (0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"), (
                        f"{kind}: splits a CRLF at {offset}"
                    )
                    position = index.position(offset)
                    assert (position.line, position.character) == reference[offset], f"{kind} at {offset}"
                    assert index.offset(position) == offset, f"{kind}: {position} does not map back to {offset}"


def add_findings(spans: Spans, findings) -> None:
    for finding in findings:
        spans.add(f"finding {finding.rule}", finding.start, finding.end)
        assert finding.severity in ("error", "warning", "information", "hint"), finding
        assert isinstance(finding.message, str) and finding.message, finding
        for fix in finding.fixes:
            for edit in fix.edits:
                spans.add(f"fix {fix.title!r}", edit.start, edit.end)
                assert isinstance(edit.new_text, str)


def check_analysis(text: str, path: str, expand_all: bool = True) -> None:
    analysis = ENGINE.analyze(text, path)
    spans = Spans(text)
    assert analysis.text == text
    previous_end = 0
    for item in analysis.prompts:
        prompt = item.prompt
        assert prompt.segments, "a prompt without segments"
        assert prompt.start >= previous_end, "prompts overlap or are out of order"
        previous_end = prompt.end
        spans.add("prompt", prompt.start, prompt.end)
        for seg in prompt.segments:
            assert seg.length >= 0
            assert 0 <= seg.text_start and seg.text_start + seg.length <= len(prompt.text)
            assert (
                prompt.text[seg.text_start : seg.text_start + seg.length]
                == text[seg.doc_start : seg.doc_start + seg.length]
            )
            spans.add("segment", seg.doc_start, seg.doc_start + seg.length)
        for match in item.classification.matches:
            assert 0 <= match.start <= match.end <= len(prompt.text), "match outside the prompt text"
            spans.add("match", *prompt.doc_span(match.start, match.end))
        add_findings(spans, item.findings)
        expansion = expand_prompt(item, ENGINE)
        if expansion is not None:
            assert isinstance(expansion.plain, str) and isinstance(expansion.snippet, str)
        for category in CATEGORIES if expand_all else ():
            try:
                expand(prompt.text, item.classification, ENGINE.knowledge, category=category)
            except ExpansionError:
                pass
        prompt_card(item, ENGINE.knowledge)
    add_findings(spans, analysis.findings)
    spans.check()


# ---------------------------------------------------------------------------- properties


@given(text=documents, path=paths)
def test_any_text_analyses_inside_the_document(text, path):
    check_analysis(text, path)


@given(text=documents, path=st.sampled_from(PROMPT_PATHS[:2] + SOURCE_PATHS[:3]), data=st.data())
def test_completion_and_hover_at_any_offset(text, path, data):
    analysis = ENGINE.analyze(text, path)
    offset = data.draw(st.integers(0, len(text)), label="offset")
    if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # no LSP position falls inside a CRLF
    here = next((item for item in analysis.prompts if item.prompt.start <= offset <= item.prompt.end), None)
    candidates = complete(
        text, here, ENGINE.knowledge, offset, prompt_file=path in PROMPT_PATHS, markers=ENGINE.settings.markers
    )
    if here is not None:
        prompt_card(here, ENGINE.knowledge, markdown=False)
    spans = Spans(text)
    for candidate in candidates:
        spans.add(f"completion {candidate.label!r}", candidate.start, candidate.end)
    spans.check()


@given(text=documents, path=paths, data=st.data())
def test_incremental_equals_fresh_analysis(text, path, data):
    """After an edit, the incremental analyzer reports what a fresh analysis does."""
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, len(text)), label="end")
    inserted = data.draw(st.one_of(fragments, any_text), label="inserted")
    edited = text[:start] + inserted + text[end:]
    incremental = IncrementalAnalyzer(Engine())
    incremental.analyze(text, path)
    assert summary(incremental.analyze(edited, path)) == summary(ENGINE.analyze(edited, path))


def summary(analysis) -> list:
    return [
        (
            item.prompt.start,
            item.prompt.end,
            item.prompt.text,
            item.category,
            sorted(
                (
                    f.rule,
                    f.start,
                    f.end,
                    f.message,
                    tuple((e.start, e.end, e.new_text) for x in f.fixes for e in x.edits),
                )
                for f in item.findings
            ),
        )
        for item in analysis.prompts
    ]


@given(text=documents)
def test_every_category_expands_any_text(text):
    classification = ENGINE.classify(text)
    for category in CATEGORIES:
        expansion = expand(text, classification, ENGINE.knowledge, category=category)
        assert isinstance(expansion.plain, str) and expansion.plain.strip()
        assert isinstance(expansion.snippet, str) and expansion.category == category


# ---------------------------------------------------------------------------- big and odd inputs

BIG_INPUTS = {
    "1 MB line": "Make a posts table with " + "x" * 1_000_000 + "\n",
    "200 kB of sentences on one line": "Make a posts table. " * 10_000,
    "2k list items": "".join(f"- Make a posts table {i}.\n" for i in range(2_000)),
    "deeply nested list": "".join("  " * depth + f"- level {depth} API to get posts\n" for depth in range(1_000)),
    "deep block quote": ">" * 5_000 + " Make a posts table.\n",
    "unterminated fence": "Make a posts table.\n\n```python\n" + "x = 1\n" * 20_000,
    "many fences": "```\n" * 20_001,
    "CR only": "Make a posts table.\r\rAPI to get posts.\r" * 500,
    "NUL and BOM": "\ufeffMake a\x00 posts table.\x00\n" * 500,
    "astral": "Make a 😀 posts table 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.\n" * 1_000,
    "front matter never closed": "---\ntitle: x\n" + "Make a posts table.\n" * 2_000,
    "html comment never closed": "<!-- Make a posts table.\n" * 5_000,
}
BIG_SOURCES = {
    "unterminated block comment": ("a.ts", "/* prompt: make a users table\n" + " * more\n" * 20_000),
    "unterminated string": ("a.py", "x = '''" + "# prompt: not a comment\n" * 20_000),
    "thousands of marked comments": ("a.py", "# prompt: make a users table with Prisma\n" * 2_000),
    "200 kB comment line": ("a.go", "// ai: " + "make a table " * 16_000 + "\n"),
    "nested rust comments": ("a.rs", "/*" * 10_000 + " prompt: x " + "*/" * 9_999),
    "lua long brackets": ("a.lua", "--[==[ prompt: " + "]=]" * 20_000),
}


BIG_LIMIT = 10.0  # seconds for analysing, expanding and checking one big document


def check_big(name: str) -> None:
    if name in BIG_INPUTS:
        check_analysis(BIG_INPUTS[name], "big.prompt.md")
    else:
        path, text = BIG_SOURCES[name]
        check_analysis(text, path)


@pytest.mark.parametrize("name", [*BIG_INPUTS, *BIG_SOURCES])
def test_big_and_odd_documents(name):
    """Each in a child process, so a hang fails after BIG_LIMIT instead of stalling the suite."""
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import test_engine_properties as t; t.check_big({name!r})"
    started = time.perf_counter()
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=BIG_LIMIT + 10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: no result after {BIG_LIMIT + 10:.0f} s (a hang or quadratic time)")
    assert result.returncode == 0, result.stderr[-3000:]
    assert time.perf_counter() - started < BIG_LIMIT + 10


@pytest.mark.parametrize(
    "what, text, category",
    [
        ("vague terms on one 300 kB line", "Make a simple fast good posts table. " * 8_000, None),
        (
            "classifying a 190 kB business-logic prompt",
            "when an order is paid send an email to the user with Stripe and save it " * 2_500,
            None,
        ),
        ("expanding a 40 kB prompt as business logic", "make a table " * 3_000, "business-logic"),
    ],
)
def test_long_prompts_stay_near_linear(what, text, category):
    """Regressions of quadratic paths found by the big-document tests (each was
    minutes on 1 MB): one finding's fix searched the whole document for a line
    break; word spans counted from the start for every word; a phrase scan ran to
    the document end for every match."""
    started = time.perf_counter()
    analysis = ENGINE.analyze(text, "long.prompt.md")
    if category:
        item = analysis.prompts[0]
        expand(item.prompt.text, item.classification, ENGINE.knowledge, category=category)
    assert time.perf_counter() - started < 3.0, what  # 0.2-1 s when linear; minutes when quadratic
