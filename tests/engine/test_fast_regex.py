"""``lowercase_variant``: a case-insensitive pattern run on lower-cased ASCII text finds
the same matches at the same offsets, and is refused where case matters."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from bench.generate import prompt
from promptcoach.engine.fast_regex import lowercase_variant
from promptcoach.engine.knowledge import builtin_knowledge
from promptcoach.engine.rules.plaintext_password import vocabulary as password_vocabulary

DATA = Path(__file__).resolve().parents[1] / "data"


def _texts() -> list[str]:
    texts = [item["text"] for item in yaml.safe_load((DATA / "labeled_prompts.yaml").read_text(encoding="utf-8"))]
    rng = random.Random(3)
    texts += [prompt(rng) for _ in range(300)]
    texts += [
        "Store passwords in PLAIN TEXT",
        "Do NOT hash the password",
        "use MD5 for passwords",
        "Without Hashing them",
        "SHA-256 hash of the password",
        "md5(password)",
    ]
    return [t for t in texts if t.isascii()]


def _patterns() -> list[re.Pattern[str]]:
    index = builtin_knowledge().index
    patterns = [p for c in range(len(index.categories)) for detail in index.detail_patterns(c) for p, _ in detail]
    vocab = password_vocabulary()
    return [*patterns, vocab.any_marker, *(m.regex for m in vocab.markers)]


@pytest.mark.parametrize("pattern", _patterns(), ids=lambda p: p.pattern[:40])
def test_same_matches_on_lower_cased_text(pattern: re.Pattern[str]) -> None:
    variant = lowercase_variant(pattern)
    if variant is None:
        pytest.skip("case matters in this pattern")
    for text in _texts():
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in variant.finditer(text.lower())] == expected, text


def test_most_knowledge_patterns_have_a_fast_form() -> None:
    patterns = _patterns()
    assert sum(lowercase_variant(p) is not None for p in patterns) > len(patterns) // 2


@pytest.mark.parametrize("source", [r"\bAKIA[0-9A-Z]{16}", r"(?-i:Go)\b", r"[A-Z]{3}"])
def test_refused_where_case_matters(source: str) -> None:
    assert lowercase_variant(re.compile(source, re.IGNORECASE)) is None


def test_leading_words_get_a_look_ahead() -> None:
    variant = lowercase_variant(re.compile(r"\b(?:get|post|put)\b", re.IGNORECASE))
    assert variant is not None and variant.pattern.startswith("(?=[gp])")
    assert not variant.flags & re.IGNORECASE
    assert variant.search("use post here").span() == (4, 8)
