"""The knowledge base: schema validation, the fixed category and detail ids, coverage and packs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from promptcoach.engine.knowledge import (
    Category,
    KnowledgeBase,
    UnsafePattern,
    builtin_knowledge,
    check_pattern,
    load_knowledge,
    load_pack,
    term_key,
)
from promptcoach.engine.knowledge.loader import CATEGORY_DIR, VOCABULARY_FILE, load_category_file
from promptcoach.engine.yamldata import DataError, load_yaml_file

SPEC = {
    "database-schema": ["technology", "models", "fields", "types", "constraints", "relationships"],
    "api-endpoint": ["framework", "route", "method", "success", "errors", "security"],
    "authentication": ["provider", "login-methods", "session", "access-rules"],
    "business-logic": ["trigger", "steps", "sdks", "data"],
    "external-api": ["provider", "endpoint", "http-client", "secrets", "transform"],
}
TECHNOLOGY_DETAILS = [
    ("database-schema", "technology"),
    ("api-endpoint", "framework"),
    ("authentication", "provider"),
    ("business-logic", "sdks"),
    ("external-api", "provider"),
    ("external-api", "http-client"),
]
ECOSYSTEMS = {"js", "python", "go", "java", "ruby", "php"}


def backend_categories(kb: KnowledgeBase) -> list[Category]:
    """The coached categories, in the knowledge base's order."""
    return [category for category in kb.categories if category.is_backend]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return builtin_knowledge()


@pytest.mark.parametrize("path", sorted(CATEGORY_DIR.glob("*.yaml")) + [VOCABULARY_FILE], ids=lambda p: p.name)
def test_every_data_file_passes_the_strict_loader(path: Path) -> None:
    # load_yaml also rejects duplicate keys, which the fast built-in path does not check
    assert load_yaml_file(path, "knowledge")


def test_spec_categories_and_details_in_order(kb: KnowledgeBase) -> None:
    backend = {c.id: list(c.detail_ids) for c in backend_categories(kb)}
    assert backend == SPEC
    assert [c.id for c in backend_categories(kb)] == list(SPEC)


def test_non_backend_categories_exist(kb: KnowledgeBase) -> None:
    others = {c.id for c in kb.categories if not c.is_backend}
    assert {"frontend", "testing", "devops", "docs-and-style"} <= others


@pytest.mark.parametrize("category_id,detail_id", TECHNOLOGY_DETAILS)
def test_technology_details_cover_at_least_15_names_across_ecosystems(kb, category_id, detail_id) -> None:
    detail = kb.category(category_id).detail(detail_id)
    assert detail.technology
    assert len(detail.completions) >= 15
    assert all(item.terms for item in detail.completions), "every name must be recognisable in prompts"
    ecosystems = {item.ecosystem for item in detail.completions}
    assert ECOSYSTEMS <= ecosystems or (category_id == "external-api" and detail_id == "provider")


def test_every_detail_is_documented_and_completable(kb: KnowledgeBase) -> None:
    for category in backend_categories(kb):
        assert category.template and category.example and category.summary
        for detail in category.details:
            assert detail.title and detail.description
            assert detail.completions, f"{category.id}/{detail.id} has no completions"
            assert all(item.documentation.strip() for item in detail.completions)
            assert "{value}" in detail.clause.text and detail.clause.placeholder
            assert detail.choices
            assert detail.terms or detail.patterns


def test_templates_use_only_known_slots(kb: KnowledgeBase) -> None:
    import string

    for category in backend_categories(kb):
        slots = {name for _, name, _, _ in string.Formatter().parse(category.template) if name}
        assert slots <= set(category.detail_ids) | {"model", "resource"}, category.id
        assert set(category.detail_ids) <= slots, f"{category.id} template leaves out a detail"


def test_examples_are_our_own_words(kb: KnowledgeBase) -> None:
    sheet = Path("/work/shared/seeds/backend-prompts-cheat-sheet.md")
    if not sheet.exists():
        pytest.skip("cheat sheet not available")
    text = " ".join(sheet.read_text(encoding="utf-8").split())
    for category in backend_categories(kb):
        for sentence in (category.example.specific, category.example.why, category.summary):
            for piece in sentence.split(". "):
                piece = " ".join(piece.split()).strip(". ")
                if len(piece) > 40:
                    assert piece not in text, f"copied from the cheat sheet: {piece!r}"


def test_clause_renders_value_or_placeholder(kb: KnowledgeBase) -> None:
    clause = kb.category("database-schema").detail("technology").clause
    assert clause.render("Prisma") == "Using Prisma, "
    assert clause.render() == "Using <ORM or schema language>, "


def test_term_key_normalises_punctuation() -> None:
    assert term_key("Next.js") == ("next", "js")
    assert term_key("one-to-many") == ("one", "to", "many")


def test_vocabulary_words_are_not_terms(kb: KnowledgeBase) -> None:
    assert kb.common_words
    assert not (kb.common_words & kb.index.single_words)


def test_builtin_load_is_fast_and_cached() -> None:
    builtin_knowledge.cache_clear()
    start = time.perf_counter()
    kb = builtin_knowledge()
    _ = kb.index  # the lookup tables are part of loading
    elapsed = time.perf_counter() - start
    assert builtin_knowledge() is kb
    assert load_knowledge() is kb
    assert elapsed < 1.5, f"loading the knowledge base took {elapsed:.3f}s"


# -- errors name file and line ---------------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "database-schema.yaml", "id: database-schema\nkind: backend\ntitle: [unclosed\n")
    with pytest.raises(DataError) as error:
        load_category_file(path)
    assert str(error.value).startswith(f"{path}:")
    assert error.value.line in (3, 4)


def test_schema_violation_names_line(tmp_path: Path) -> None:
    text = (CATEGORY_DIR / "testing.yaml").read_text(encoding="utf-8").replace("  jest: 4\n", "  jest: lots\n")
    path = _write(tmp_path, "testing.yaml", text)
    with pytest.raises(DataError) as error:
        load_category_file(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "jest: lots" in row)
    assert error.value.line == line
    assert "jest" in error.value.message


def test_category_id_must_match_file_name(tmp_path: Path) -> None:
    text = (CATEGORY_DIR / "testing.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, "other-name.yaml", text)
    with pytest.raises(DataError, match="must match the file name"):
        load_category_file(path)


# -- packs -----------------------------------------------------------------------------------

PACK = """\
common_words: [prismatic]
categories:
  - id: database-schema
    signals: {supabase migration: 4}
    details:
      - id: technology
        terms: [edgedb]
        completions:
          - {label: EdgeDB, documentation: Graph-relational database with its own schema language., ecosystem: any, terms: [edgedb]}
      - id: indexes
        title: Indexes
        description: Which columns get an index so look-ups stay fast.
        terms: [btree index]
        patterns: ['\\bindex on `\\w{1,40}`']
        completions: [{label: btree index, documentation: Default ordered index.}]
        clause: {text: " Index {value}.", placeholder: "<indexed columns>"}
  - id: mobile
    kind: other
    title: Mobile apps
    summary: Prompts about iOS and Android screens.
    signals: {ios: 4, android: 4}
"""


def test_pack_extends_categories_and_adds_new_ones(tmp_path: Path, kb: KnowledgeBase) -> None:
    from promptcoach.engine.detect import classify

    pack = load_pack(_write(tmp_path, "pack.yaml", PACK))
    extended = kb.extended([pack])
    schema = extended.category("database-schema")
    assert schema.detail_ids[-1] == "indexes"
    assert "edgedb" in schema.detail("technology").terms
    assert extended.category("mobile") is not None
    assert "prismatic" in extended.common_words
    assert kb.category("database-schema").detail("indexes") is None  # the original is untouched
    result = classify("Define an EdgeDB users table with an index on `email`.", extended)
    assert result.category == "database-schema"
    assert {"technology", "indexes"} <= set(result.present)
    assert classify("Add a settings screen to the android app", extended).category is None


def test_pack_new_detail_must_be_complete(tmp_path: Path, kb: KnowledgeBase) -> None:
    pack = load_pack(
        _write(
            tmp_path,
            "pack.yaml",
            "categories:\n  - id: api-endpoint\n    details:\n      - id: caching\n        terms: [etag]\n",
        )
    )
    with pytest.raises(DataError, match="new detail 'caching'") as error:
        kb.extended([pack])
    assert error.value.line == 2


def test_pack_with_a_pattern_re2_cannot_run_is_rejected_with_line(tmp_path: Path) -> None:
    text = "categories:\n  - id: api-endpoint\n    details:\n      - id: route\n        patterns: ['(?<=/)api']\n"
    with pytest.raises(DataError, match="not a pattern RE2 can run") as error:
        load_pack(_write(tmp_path, "pack.yaml", text))
    assert error.value.line == 5  # the pattern's own line


def test_pack_schema_errors_name_line(tmp_path: Path) -> None:
    with pytest.raises(DataError) as error:
        load_pack(_write(tmp_path, "pack.yaml", "categories:\n  - id: api-endpoint\n    colour: blue\n"))
    assert error.value.line == 3  # the unknown key's line
    assert "colour" in error.value.message


def test_load_knowledge_uses_packs_from_settings(tmp_path: Path) -> None:
    class WithPacks:
        knowledge_packs = (str(_write(tmp_path, "pack.yaml", PACK)),)

    assert load_knowledge(WithPacks()).category("mobile") is not None


# -- pattern safety --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", [r"(a+)+", r"(\w+\s?)*", r"(a|ab)*c", r"(x)\1", r"(?P<name>x)", "x" * 201, r"(unclosed"]
)
def test_unsafe_patterns_are_rejected(pattern: str) -> None:
    with pytest.raises(UnsafePattern):
        check_pattern(pattern)


@pytest.mark.parametrize("pattern", [r"\b/api/[\w/]{1,80}", r"(?:\w{1,30} ){0,3}users", r"(?-i:\bGET\b)", r"[a-z]+"])
def test_safe_patterns_are_accepted(pattern: str) -> None:
    check_pattern(pattern)


def test_builtin_patterns_are_safe(kb: KnowledgeBase) -> None:
    for category in kb.categories:
        for detail in category.details:
            for pattern in detail.patterns:
                check_pattern(pattern.regex)
