"""Golden files: every supported language (and prompt files) against expected prompts.

Each ``tests/golden/extract/<name>-sample.<ext>`` has ``<file>.json`` next to it
with the prompts extracted: text, kind, marker and the LSP range (UTF-16).
``UPDATE_GOLDEN=1 pytest tests/engine/test_extract_golden.py`` rewrites the JSON
files; read every changed one before accepting it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from promptcoach.engine.extract import document_kind, extract_prompts
from promptcoach.engine.extract.languages import language_table
from promptcoach.engine.positions import LineIndex, Position
from promptcoach.engine.settings import Settings

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "extract"
SAMPLES = sorted(p for p in GOLDEN.iterdir() if p.is_file() and p.suffix != ".json" and p.name != ".gitattributes")
SETTINGS = Settings()


def _language_id(path: Path) -> str | None:
    """Languages without an extension of their own (MATLAB) are named by id."""
    if language_table().language_for(path.name) is None and document_kind(path.name, None, SETTINGS) is None:
        return path.name.split("-sample")[0]
    return None


def _extract(path: Path) -> dict:
    text = path.read_bytes().decode("utf-8")
    language_id = _language_id(path)
    index = LineIndex(text)
    prompts = extract_prompts(text, path.name, language_id=language_id, settings=SETTINGS)
    return {
        "path": path.name,
        "language_id": language_id,
        "document": document_kind(path.name, language_id, SETTINGS),
        "prompts": [
            {
                "text": prompt.text,
                "kind": prompt.kind,
                "marker": prompt.marker,
                "range": index.range(prompt.start, prompt.end).to_json(),
            }
            for prompt in prompts
        ],
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_golden(sample: Path) -> None:
    actual = _extract(sample)
    expected_file = sample.with_name(sample.name + ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_file.exists(), f"no golden for {sample.name}; run with UPDATE_GOLDEN=1 and review it"
    assert actual == json.loads(expected_file.read_text(encoding="utf-8"))


def test_every_language_has_a_golden_sample() -> None:
    sampled = {p.name.split("-sample")[0] for p in SAMPLES}
    missing = sorted(set(language_table().languages) - sampled)
    assert not missing, f"languages without a golden sample: {missing}"


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_golden_sample_is_exercised(sample: Path) -> None:
    """Each sample has at least one prompt, and one that starts after astral text on its line."""
    result = _extract(sample)
    assert result["prompts"], "a sample without prompts tests nothing"
    text = sample.read_bytes().decode("utf-8")
    index = LineIndex(text)
    astral_before = False
    for prompt in result["prompts"]:
        line, character = prompt["range"]["start"]["line"], prompt["range"]["start"]["character"]
        start = index.offset(Position(line, character))
        before = text[index.line_starts[line] : start]
        astral_before |= any(ord(ch) > 0xFFFF for ch in before + prompt["text"])
    assert astral_before, "no prompt with astral (emoji) text before it or in it"
