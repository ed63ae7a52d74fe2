"""Stack detection from workspace manifests, its cache, and contradictions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from promptcoach.engine.stack import (
    EMPTY_STACK,
    MANIFEST_GLOBS,
    contradictions,
    detect_stack,
    is_manifest,
    manifest_paths,
)
from promptcoach.engine.stack_catalog import load_catalog
from promptcoach.engine.yamldata import DataError

PRISMA_SCHEMA = """\
// the app's data
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

generator client {
  provider = "prisma-client-js"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  author   User @relation(fields: [authorId], references: [id])
  authorId Int
}
// model Ghost { commented out }
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def node_app(root: Path) -> Path:
    write(
        root,
        "package.json",
        json.dumps(
            {
                "dependencies": {"next": "14.2.0", "@prisma/client": "5.0.0", "next-auth": "4.24.0", "axios": "1"},
                "devDependencies": {"prisma": "5.0.0"},
            }
        ),
    )
    write(root, "prisma/schema.prisma", PRISMA_SCHEMA)
    write(
        root,
        ".env.example",
        "DATABASE_URL=postgres://user:hunter2@localhost/db\nexport STRIPE_SECRET_KEY=sk_test_123\n# comment\n",
    )
    return root


def ids(stack) -> set[str]:
    return {tech.id for tech in stack.technologies}


def test_node_workspace(tmp_path):
    stack = detect_stack(node_app(tmp_path))
    assert {"prisma", "nextjs", "next-auth", "axios", "postgresql", "stripe"} <= ids(stack)
    assert stack.models == ("User", "Post")
    assert stack.env_names == ("DATABASE_URL", "STRIPE_SECRET_KEY")
    assert stack.evidence("prisma") == "prisma/schema.prisma"
    assert stack.evidence("postgresql") == 'prisma/schema.prisma: provider = "postgresql"'
    assert stack.evidence("nextjs") == "package.json: next"
    assert set(stack.sources) == {"package.json", "prisma/schema.prisma", ".env.example"}


def test_env_values_are_never_kept(tmp_path):
    stack = detect_stack(node_app(tmp_path))
    dumped = json.dumps(stack.to_json()) + repr(stack)
    assert "hunter2" not in dumped and "sk_test_123" not in dumped


def test_answers_and_names_prefer_the_most_specific_kind(tmp_path):
    stack = detect_stack(node_app(tmp_path))
    assert stack.answer("database-schema", "technology").name == "Prisma"  # ORM before database
    assert stack.names_for("database-schema", "technology") == ("Prisma", "PostgreSQL")
    assert stack.answer("api-endpoint", "framework").name == "Next.js"
    assert stack.answer("authentication", "provider").name == "NextAuth.js"
    assert stack.answer("external-api", "http-client").name == "axios"
    assert stack.names_for("business-logic", "sdks") == ("Stripe",)
    assert stack.answer("authentication", "session") is None


def test_two_orms_answer_nothing(tmp_path):
    write(tmp_path, "package.json", json.dumps({"dependencies": {"prisma": "1", "drizzle-orm": "1"}}))
    stack = detect_stack(tmp_path)
    assert stack.answer("database-schema", "technology") is None
    assert set(stack.names_for("database-schema", "technology")) == {"Prisma", "Drizzle"}


def test_python_workspace(tmp_path):
    write(
        tmp_path,
        "requirements.txt",
        "# web\nDjango>=4.2  # the framework\n-r requirements-dev.txt\npsycopg2-binary==2.9\n",
    )
    write(tmp_path, "requirements-dev.txt", "requests[socks]==2.31\n--index-url https://example.invalid/simple\n")
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "app"\ndependencies = ["SQLAlchemy[asyncio]>=2", "stripe ; python_version > \'3.8\'"]\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "*"\n',
    )
    stack = detect_stack(tmp_path)
    assert {"django", "django-orm", "postgresql", "requests", "sqlalchemy", "stripe", "httpx"} <= ids(stack)
    assert stack.evidence("requests") == "requirements-dev.txt: requests"
    assert stack.evidence("sqlalchemy") == "pyproject.toml: SQLAlchemy"


def test_go_ruby_php_workspaces(tmp_path):
    go = tmp_path / "go"
    write(
        go,
        "go.mod",
        "module x\n\ngo 1.22\n\nrequire gorm.io/gorm v1.25.0\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
        "\tgithub.com/lib/pq v1.10.0 // indirect\n)\n",
    )
    assert {"gorm", "gin"} == ids(detect_stack(go))
    ruby = tmp_path / "ruby"
    write(ruby, "Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"devise\"\n")
    assert {"rails", "active-record", "devise"} == ids(detect_stack(ruby))
    php = tmp_path / "php"
    write(php, "composer.json", json.dumps({"require": {"laravel/framework": "^11", "guzzlehttp/guzzle": "^7"}}))
    assert {"laravel", "eloquent", "guzzle"} == ids(detect_stack(php))


def test_broken_manifests_are_warnings_not_errors(tmp_path):
    write(tmp_path, "package.json", '{"dependencies": {"next": "14",}\n')
    write(tmp_path, "pyproject.toml", "[project\n")
    write(tmp_path, "requirements.txt", "flask\n")
    stack = detect_stack(tmp_path)
    assert ids(stack) == {"flask"}
    assert any(w.startswith("package.json:1: invalid JSON") for w in stack.warnings)
    assert "pyproject.toml: invalid TOML" in stack.warnings


def test_no_root_or_empty_root(tmp_path):
    assert detect_stack(None) is EMPTY_STACK
    assert detect_stack(tmp_path / "missing") is EMPTY_STACK
    assert detect_stack(tmp_path).empty


def test_cached_until_a_manifest_changes(tmp_path):
    write(tmp_path, "package.json", json.dumps({"dependencies": {"mongoose": "8"}}))
    first = detect_stack(tmp_path)
    assert detect_stack(tmp_path) is first
    package = write(tmp_path, "package.json", json.dumps({"dependencies": {"@prisma/client": "5"}}))
    os.utime(package, ns=(1, 1))  # a different mtime even on coarse clocks
    second = detect_stack(tmp_path)
    assert second is not first and ids(second) == {"prisma"}
    write(tmp_path, "requirements-ml.txt", "openai\n")  # a new requirements file is noticed too
    assert "openai" in ids(detect_stack(tmp_path))


def test_manifest_helpers(tmp_path):
    node_app(tmp_path)
    write(tmp_path, "requirements.txt", "flask\n")
    names = {p.relative_to(tmp_path).as_posix() for p in manifest_paths(tmp_path)}
    assert names == {"package.json", "prisma/schema.prisma", ".env.example", "requirements.txt"}
    assert "**/prisma/schema.prisma" in MANIFEST_GLOBS and "**/requirements*.txt" in MANIFEST_GLOBS


def test_a_change_to_a_manifest_anywhere_is_watched(tmp_path):
    """A project's root may be any directory (a package of a monorepo): a file is a
    manifest by its name, wherever it is."""
    from promptcoach.lsp.context import is_watched

    for path in (
        tmp_path / "prisma" / "schema.prisma",
        tmp_path / "requirements-dev.txt",
        tmp_path / "packages" / "api" / "package.json",
        "/elsewhere/go.mod",
        tmp_path / ".env.example",
    ):
        assert is_manifest(str(path)) and is_watched(str(path)), path
    for path in (tmp_path / "package.json.bak", tmp_path / "notes.txt", tmp_path / "src" / "app.py"):
        assert not is_manifest(str(path)) and not is_watched(str(path)), path
    assert is_watched(str(tmp_path / "AGENTS.md")) and not is_manifest(str(tmp_path / "AGENTS.md"))


def test_catalog_is_valid_and_consistent():
    catalog = load_catalog()
    assert catalog.technologies
    assert len(catalog.by_id) == len(catalog.technologies), "technology ids must be unique"
    for tech in catalog.technologies:
        assert tech.kind in catalog.kinds, tech.id
        assert tech.mentions or tech.exact, f"{tech.id} can never be recognised in a prompt"


def test_catalog_answers_name_real_knowledge_details():
    from promptcoach.engine.knowledge import builtin_knowledge

    knowledge = builtin_knowledge()
    for tech in load_catalog().technologies:
        for category, detail in tech.answers:
            assert knowledge.category(category) is not None, (tech.id, category)
            assert knowledge.category(category).detail(detail) is not None, (tech.id, category, detail)


def test_broken_catalog_names_file_and_line(tmp_path):
    bad = write(
        tmp_path,
        "stack.yaml",
        'assumed_message: "{technologies}"\nkinds:\n  orm: {title: ORM, exclusive: yes, categories: []}\ntechnologies:\n  - id: x\n    name: X\n',
    )
    with pytest.raises(DataError) as error:
        load_catalog(str(bad))
    assert str(error.value).startswith(f"{bad}:5:")


def test_mentions_respect_word_boundaries_and_case():
    catalog = load_catalog()
    found = [
        (m.technology.id, text)
        for text in [
            "Use Mongoose with next.js and an Express server",
            "express the idea; mongooses are animals; prismatic",
        ]
        for m in catalog.mentions(text)
    ]
    assert found == [
        ("mongoose", "Use Mongoose with next.js and an Express server"),
        ("nextjs", "Use Mongoose with next.js and an Express server"),
        ("express", "Use Mongoose with next.js and an Express server"),
    ]


def test_longest_mention_wins():
    mentions = load_catalog().mentions("Add Supabase Auth and a Django ORM model")
    assert [m.technology.id for m in mentions] == ["supabase-auth", "django-orm"]


class TestContradictions:
    @pytest.fixture()
    def stack(self, tmp_path):
        return detect_stack(node_app(tmp_path))

    def test_other_orm_in_a_prisma_project(self, stack):
        text = "Create a Mongoose schema for posts."
        [found] = contradictions(text, "database-schema", stack)
        assert text[found.start : found.end] == "Mongoose"
        assert [t.name for t in found.project] == ["Prisma"]

    def test_other_database(self, stack):
        [found] = contradictions("Store orders in MongoDB.", "database-schema", stack)
        assert found.named.id == "mongodb" and [t.id for t in found.project] == ["postgresql"]

    def test_project_technology_is_fine(self, stack):
        assert contradictions("Add a Prisma model for posts in PostgreSQL.", "database-schema", stack) == []

    def test_migration_naming_both_is_fine(self, stack):
        assert contradictions("Migrate the Mongoose models to Prisma.", "database-schema", stack) == []

    def test_negated_mention_is_fine(self, stack):
        assert contradictions("Define posts, but do not use Mongoose.", "database-schema", stack) == []

    def test_only_checked_in_relevant_categories(self, stack):
        assert contradictions("Write docs comparing Mongoose and others.", None, stack) == []
        assert contradictions("Call the API with Mongoose.", "external-api", stack) == []

    def test_non_exclusive_kinds_never_contradict(self, stack):
        assert contradictions("Fetch the quote with got and send mail via Resend.", "external-api", stack) == []

    def test_unknown_kind_in_stack_is_fine(self, tmp_path):
        write(tmp_path, "package.json", json.dumps({"dependencies": {"axios": "1"}}))
        stack = detect_stack(tmp_path)
        assert contradictions("Create a Mongoose schema for posts.", "database-schema", stack) == []


# --------------------------------------------------------------------------- through the engine


def analyze(root: Path, text: str, **settings):
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.settings import Settings

    return Engine(Settings(**settings), root=root).analyze(text, "prompts/app.prompt.md")


def findings_of(analysis, rule: str):
    return [f for p in analysis.prompts for f in p.findings if f.rule == rule]


def test_engine_reports_stack_mismatch_with_a_swap_fix(tmp_path):
    text = "Create a Mongoose schema for blog posts with a title and an author.\n"
    [finding] = findings_of(analyze(node_app(tmp_path), text), "stack-mismatch")
    assert text[finding.start : finding.end] == "Mongoose"
    assert "Prisma" in finding.message and "prisma/schema.prisma" in finding.message
    swap = finding.fixes[0]
    assert swap.preferred and [(e.start, e.end, e.new_text) for e in swap.edits] == [
        (finding.start, finding.end, "Prisma")
    ]
    assert finding.data["replacement"] == "Prisma" and finding.data["technology"] == "mongoose"


def test_engine_without_a_stack_reports_no_mismatch(tmp_path):
    text = "Create a Mongoose schema for blog posts with a title and an author.\n"
    assert findings_of(analyze(tmp_path, text), "stack-mismatch") == []


COMPLETE_BUT_TECHNOLOGY = (
    "Add a Post model with fields title (String, unique) and body (Text, optional), "
    "and a many-to-one relation to User.\n"
)


def test_a_technology_the_manifests_answer_is_inherited(tmp_path):
    node_app(tmp_path)
    analysis = analyze(tmp_path, COMPLETE_BUT_TECHNOLOGY)
    assert findings_of(analysis, "missing-detail") == []
    [prompt] = analysis.prompts
    [inherited] = prompt.classification.inherited
    assert "technology" in prompt.classification.present and not prompt.classification.missing
    assert (inherited.detail, inherited.text) == ("technology", "Prisma")
    assert inherited.path in ("package.json", "prisma/schema.prisma")


def test_assume_stack_needs_an_unambiguous_answer(tmp_path):
    write(tmp_path, "package.json", json.dumps({"dependencies": {"@prisma/client": "5", "drizzle-orm": "1"}}))
    [finding] = findings_of(analyze(tmp_path, COMPLETE_BUT_TECHNOLOGY, assume_stack=True), "missing-detail")
    assert finding.severity != "hint" and "assumed" not in finding.data


# ---------------------------------------------------------------------------- the stack at work


def _completion_labels(stack, text: str) -> list[str]:
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.completion import complete

    engine = Engine(stack=stack)
    analysis = engine.analyze(text, "a.prompt.md")
    return [
        c.label for c in complete(text, analysis.prompts[0], engine.knowledge, len(text), prompt_file=True, stack=stack)
    ]


def test_completion_lists_the_projects_own_technology_first(tmp_path):
    write(tmp_path, "requirements.txt", "sqlalchemy==2\nfastapi\nhttpx\n")
    text = "Make a posts table. Using "
    without = _completion_labels(EMPTY_STACK, text)
    assert without[0] != "SQLAlchemy" and "SQLAlchemy" in without
    assert _completion_labels(detect_stack(tmp_path), text)[0] == "SQLAlchemy"
    node = node_app(tmp_path / "node")
    assert _completion_labels(detect_stack(node), text)[0] == "Prisma"


def test_expansion_offers_the_existing_prisma_models(tmp_path):
    from promptcoach.engine.analyze import Engine
    from promptcoach.engine.expand import expand

    stack = detect_stack(node_app(tmp_path))
    engine = Engine(stack=stack)
    new_model = expand("Make a comments table.", engine.classify("Make a comments table."), engine.knowledge, stack)
    assert "${1:Prisma}" in new_model.snippet and "`${2:Comment}`" in new_model.snippet
    assert "${6|many-to-one to User,many-to-one to Post," in new_model.snippet
    unnamed = expand(
        "Make a table.", engine.classify("Make a table."), engine.knowledge, stack, category="database-schema"
    )
    assert "${2|User,Post|}" in unnamed.snippet
    plain = expand("Make a comments table.", engine.classify("Make a comments table."), engine.knowledge)
    assert "many-to-one to User" not in plain.snippet  # no stack, no models


def test_project_root_is_the_nearest_directory_with_a_manifest(tmp_path):
    from promptcoach.engine.stack import find_project_root

    app = node_app(tmp_path / "repo" / "app")
    (tmp_path / "repo" / ".git").mkdir()
    write(tmp_path / "repo", "docs/prompts/a.prompt.md", "x\n")
    (app / "prompts").mkdir()
    assert find_project_root(app / "prompts") == app.resolve()
    assert find_project_root(tmp_path / "repo" / "docs" / "prompts" / "a.prompt.md") == (tmp_path / "repo").resolve()
    write(tmp_path, "package.json", "{}")  # above the repository: another project
    assert find_project_root(tmp_path / "repo" / "docs" / "prompts") == (tmp_path / "repo").resolve()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert find_project_root(outside) == tmp_path.resolve()  # no repository: the manifest above counts


@pytest.mark.parametrize(
    ("prompt", "named"),
    [
        ("Add a Koa route POST /api/upload.\n", "Koa"),
        ("Write an Elysia handler for GET /api/posts.\n", "Elysia"),
    ],
)
def test_every_framework_the_knowledge_offers_can_mismatch(tmp_path, prompt, named):
    [finding] = findings_of(analyze(node_app(tmp_path), prompt), "stack-mismatch")
    assert prompt[finding.start : finding.end] == named and "Next.js" in finding.message


def test_a_pyproject_is_parsed_once_per_text(tmp_path, monkeypatch):
    """The dependency names of a pyproject.toml are kept under the digest of its text:
    the same text is not parsed again (a later run), another text is, and a broken
    file stays a warning when read back."""
    from promptcoach.engine import datacache, manifests

    monkeypatch.setenv(datacache.ENV, str(tmp_path / "cache"))
    catalog = load_catalog()
    write(tmp_path, "pyproject.toml", '[project]\ndependencies = ["fastapi>=0.110", "sqlalchemy"]\n')
    first = manifests.read_manifests(tmp_path, catalog)
    assert {"fastapi", "sqlalchemy"} <= set(first.detected)
    parsed: list[str] = []
    real = manifests._parse_pyproject
    monkeypatch.setattr(manifests, "_parse_pyproject", lambda text: parsed.append(text) or real(text))
    assert set(manifests.read_manifests(tmp_path, catalog).detected) == set(first.detected)
    assert parsed == []  # read back, not parsed
    write(tmp_path, "pyproject.toml", "[project\n")
    for _ in range(2):
        assert "pyproject.toml: invalid TOML" in manifests.read_manifests(tmp_path, catalog).warnings
    assert parsed == ["[project\n"]  # the broken text was parsed once, its warning kept
