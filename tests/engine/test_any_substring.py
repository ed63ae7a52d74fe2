"""``any_substring``: a trie regex that tells whether a text contains one of some
strings, as ``any(s in text for s in strings)`` would."""

from __future__ import annotations

import random

import pytest

from promptcoach.engine.phrases import any_substring
from promptcoach.engine.rules.secret_vocabulary import vocabulary


@pytest.mark.parametrize(
    ("strings", "text", "expected"),
    [
        (["ab", "abc", "x"], "zzabz", True),  # the shorter string decides
        (["abc"], "ab", False),
        (["a.b", "a*"], "xa*", True),  # metacharacters are literal
        (["a.b"], "axb", False),
        (["sk-ant-", "sk-"], "use sk-1", True),
        (["Key"], "key", False),  # case-sensitive
        ([], "anything", False),
        ([""], "anything", True),
    ],
)
def test_any_substring(strings: list[str], text: str, expected: bool) -> None:
    assert (any_substring(strings).search(text) is not None) is expected


def test_same_answer_as_substring_tests_on_random_texts() -> None:
    rng = random.Random(7)
    alphabet = "ab_-.:AK"
    for _ in range(300):
        strings = ["".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 6))]
        regex = any_substring(strings)
        for _ in range(20):
            text = "".join(rng.choices(alphabet + " ", k=rng.randint(0, 12)))
            assert (regex.search(text) is not None) == any(s in text for s in strings), (strings, text)


def test_key_hints_of_the_secret_rule() -> None:
    hints = [h for key in vocabulary().key_patterns for h in key.hints]
    for hint in hints:
        assert vocabulary().key_hints.search(f"the value {hint}abc here")
    assert vocabulary().key_hints.search("Make a posts table with Prisma.") is None
