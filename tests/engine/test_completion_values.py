"""Completion leaves out the values a prompt already names: looked up by substring
search first (one regex scan of a long prompt per value was slow, issue 16), with the
same answer as the value's regex."""

from __future__ import annotations

from promptcoach.engine.analyze import Engine
from promptcoach.engine.completion import _category_values, _names


def test_substring_search_agrees_with_each_values_regex():
    knowledge = Engine().knowledge
    texts = [
        "",
        "create the posts table with prisma and postgresql",
        "use xprisma_ and prisma2 and PRISMA",
        "next.js app on nextjs, express-session, jwt.",
        "postgres" * 50 + " postgres",
        "an api with fastify/express and auth0; redis, s3",
    ]
    checked = 0
    for category in knowledge.categories:
        _, values = _category_values(category)
        for value in values:
            if value.named is None:
                continue
            for text in texts + [f"a {word} b" for word in value.words] + [f"_{word}x" for word in value.words]:
                text = text.lower()
                assert _names(value, text, {}) == (value.named.search(text) is not None), (value.label, text)
                checked += 1
    assert checked > 100
