"""The incremental analyzer behind the server gives exactly what a fresh analysis gives."""

from __future__ import annotations

import random

import pytest

from promptcoach.engine.analyze import Engine
from promptcoach.engine.incremental import IncrementalAnalyzer

PATH = "/work/prompts/backend.prompt.md"
DOCUMENT = """---
title: prompts
---
# Backend

Make a posts table.

API to get posts.

- Add user login.
- Process a new user signup.

<!-- promptcoach-disable-next-line missing-detail -->
Get stock price data.

```python
# prompt: not a prompt inside a fence
x = 1

y = 2
```

> Using Prisma, define a `Post` model with `id` (Int) and `title` (String).

Write a friendly welcome message.
"""
SNIPPETS = ["s", " table", "\n", "\n\n", "API", "```", "\n```\n", "<!--", "-->", "- ", "  ", "Using Prisma ", "x"]


def summary(analysis):
    return [
        (
            p.prompt.start,
            p.prompt.end,
            p.prompt.text,
            p.classification.category,
            [
                (f.rule, f.start, f.end, f.message, [[(e.start, e.end, e.new_text) for e in x.edits] for x in f.fixes])
                for f in p.findings
            ],
        )
        for p in analysis.prompts
    ]


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("PC_SEEDS", "8"))))
def test_random_edits_match_a_fresh_analysis(engine, seed):
    rng = random.Random(seed)
    text = DOCUMENT
    incremental = IncrementalAnalyzer(engine)
    incremental.analyze(text, PATH, "markdown")
    for _ in range(40):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 0, 1, 3, 12]))
        text = text[:start] + rng.choice(SNIPPETS + [""]) + text[end:]
        assert summary(incremental.analyze(text, PATH, "markdown")) == summary(engine.analyze(text, PATH, "markdown"))


def test_typing_in_one_prompt_reanalyses_only_that_prompt(engine):
    big = "# Prompts\n\n" + "\n\n".join(f"Make a table number {i} for posts." for i in range(400)) + "\n"
    incremental = IncrementalAnalyzer(engine)
    incremental.analyze(big, PATH, "markdown")
    analysed = incremental.prompts_analysed
    position = big.index("number 200") + len("number 200")
    for character in "abc":
        big = big[:position] + character + big[position:]
        position += 1
        incremental.analyze(big, PATH, "markdown")
    # the document is extracted again (whole prompts span blank lines), but only the
    # prompt typed in is classified and run through the rules again
    assert incremental.prompts_analysed == analysed + 3
    assert summary(incremental.document()) == summary(engine.analyze(big, PATH, "markdown"))


def test_repeated_prompts_are_not_analysed_again_after_an_edit(engine):
    text = "# Prompts\n\n" + "Make a posts table.\n\n" * 50 + "Add user login.\n"
    incremental = IncrementalAnalyzer(engine)
    incremental.analyze(text, PATH, "markdown")
    analysed = incremental.prompts_analysed
    text = text.replace("Add user login.", "Add user logins.")
    incremental.analyze(text, PATH, "markdown")
    assert incremental.prompts_analysed == analysed + 1
    assert summary(incremental.document()) == summary(engine.analyze(text, PATH, "markdown"))
