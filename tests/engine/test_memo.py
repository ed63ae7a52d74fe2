"""IdentityMemo: once per object, by identity, bounded."""

from __future__ import annotations

from promptcoach.engine.memo import IdentityMemo


class Thing:
    def __eq__(self, other):  # equal to every other Thing: the memo must not care
        return isinstance(other, Thing)

    __hash__ = object.__hash__


def test_one_value_per_object_by_identity_and_bounded():
    made = []
    memo = IdentityMemo(limit=3)

    def make(thing):
        made.append(thing)
        return len(made)

    first, second = Thing(), Thing()
    assert memo.get(first, make) == 1 and memo.get(first, make) == 1
    assert memo.get(second, make) == 2  # equal, not the same object
    for _ in range(5):
        memo.get(Thing(), make)
    assert len(memo) <= 3  # a reloaded knowledge base does not keep the old objects alive


def test_knowledge_reloads_do_not_grow_the_expansion_memos(monkeypatch):
    from promptcoach.engine import clauses, completion, expand_slots
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.knowledge import KnowledgeBase, builtin_knowledge

    memos = (expand_slots._TEMPLATES, expand_slots._DETAIL_INFO, clauses._PARTS, completion._VALUES)
    for memo in memos:
        monkeypatch.setattr(memo, "limit", 16)
    builtin = builtin_knowledge()
    for _ in range(30):  # each a fresh copy of every category and detail, as a reload makes
        categories = tuple(c._replace(details=tuple(d._replace() for d in c.details)) for c in builtin.categories)
        engine = Engine(knowledge=KnowledgeBase(categories, builtin.common_words))
        (prompt,) = engine.analyze("Make a posts table.\n", "a.prompt.md").prompts
        assert all(
            fix.edits or fix.files for f in prompt.findings for fix in f.fixes
        )  # expansion and clauses worked out
        completion.complete(
            "Make a posts table using \n", prompt, engine.knowledge, len("Make a posts table using "), prompt_file=True
        )
    sizes = [len(memo) for memo in memos]
    assert all(size <= 16 for size in sizes) and sizes[0] > 0, sizes  # 30 templates were worked out
