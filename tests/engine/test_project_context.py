"""Project context (engine/context.py): which files apply, what they state, inheritance,
and the fix that states a detail once for the whole project."""

from __future__ import annotations

from pathlib import Path

from promptcoach.engine.analyze import Engine
from promptcoach.engine.context import front_matter_globs, is_context_file


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def analyse(root: Path, relative: str, text: str):
    path = write(root, relative, text)
    return Engine(root=root).analyze(text, str(path))


def test_the_nearest_agents_file_and_applying_rules_are_the_context(tmp_path):
    write(tmp_path, "AGENTS.md", "The API is built with Express.\n")
    write(tmp_path, "services/billing/CLAUDE.md", "Billing stores its data in PostgreSQL through Prisma.\n")
    write(tmp_path, ".cursor/rules/db.mdc", "---\nglobs: services/**\nalwaysApply: false\n---\n- Use Drizzle ORM.\n")
    [prompt] = analyse(tmp_path, "services/billing/prompts/a.prompt.md", "Make an invoices table.\n").prompts
    [inherited] = prompt.classification.inherited
    assert (inherited.detail, inherited.path, inherited.line) == ("technology", "services/billing/CLAUDE.md", 0)
    [other] = analyse(tmp_path, "web/prompts/b.prompt.md", "Make an invoices table.\n").prompts
    assert other.classification.inherited == () and "technology" in other.classification.missing


def test_a_negated_technology_is_not_inherited(tmp_path):
    write(tmp_path, "AGENTS.md", "We do not use Prisma here.\n")
    [prompt] = analyse(tmp_path, "a.prompt.md", "Make an invoices table.\n").prompts
    assert prompt.classification.inherited == ()


def test_task_details_are_never_inherited(tmp_path):
    write(tmp_path, "AGENTS.md", "The `Invoice` model has `id`, `total` (Decimal) and `dueAt` (DateTime).\n")
    [prompt] = analyse(tmp_path, "a.prompt.md", "Make an invoices table.\n").prompts
    assert not {"fields", "types", "models"} & {i.detail for i in prompt.classification.inherited}


def test_the_state_fix_writes_into_agents_md_or_creates_it(tmp_path):
    [prompt] = analyse(tmp_path, "a.prompt.md", "Make an invoices table.\n").prompts
    [finding] = [f for f in prompt.findings if f.rule == "missing-detail"]
    [state] = [fix for fix in finding.fixes if fix.title == "State the database technology in AGENTS.md"]
    [edit] = state.files
    assert edit.create and edit.path == str(tmp_path / "AGENTS.md") and "Database technology" in edit.new_text
    write(tmp_path, "AGENTS.md", "# Agents\nKeep changes small.")  # no final line break
    [prompt] = analyse(tmp_path, "a.prompt.md", "Make an invoices table.\n").prompts
    [finding] = [f for f in prompt.findings if f.rule == "missing-detail"]
    [state] = [fix for fix in finding.fixes if fix.title == "State the database technology in AGENTS.md"]
    [edit] = state.files
    assert not edit.create and (edit.line, edit.character) == (1, len("Keep changes small."))
    assert edit.new_text.startswith("\n- Database technology:")


def test_front_matter_globs():
    assert front_matter_globs('---\napplyTo: "src/**/*.ts, prompts/**"\n---\n', "a.instructions.md") == (
        "src/**/*.ts",
        "prompts/**",
    )
    assert front_matter_globs("---\nalwaysApply: true\n---\n", "r.mdc") is None
    assert front_matter_globs("---\ndescription: pick me by hand\n---\n", "r.mdc") == ()
    assert is_context_file("docs/AGENTS.md") and is_context_file(".cursor/rules/x.mdc")
    assert not is_context_file("README.md")


def test_a_paragraph_read_for_the_details_left_states_what_the_whole_reading_does():
    """Once some project-wide details are stated, later paragraphs are read for the rest
    only (issue 16: an AGENTS.md stating the database in every paragraph); what they
    state is what reading every detail finds, less the known ones."""
    import itertools

    from promptcoach.engine.statements import _stated, clear_statements, project_details

    knowledge = Engine().knowledge
    pairs = [(c, d) for c, details in project_details(knowledge).items() for d in details]
    blocks = [
        "We use Auth.js sessions stored in Postgres with Prisma.",
        "Use JWT sessions via NextAuth; secrets in env vars.",
        "Express with helmet and rate limiting; tokens in httpOnly cookies.",
        "We do not use Prisma; Drizzle with MySQL.",
        "Payments go through Stripe, called with axios; the API key is read from the environment.",
    ]
    stating = 0
    for block in blocks:
        whole = _stated(block, knowledge)
        stating += bool(whole)
        for size in (1, 2, len(pairs) - 1):
            for known in itertools.islice(itertools.combinations(pairs, size), 12):
                clear_statements()
                assert _stated(block, knowledge, frozenset(known)) == tuple(
                    item for item in whole if (item[0], item[1]) not in known
                ), (block, known)
    assert stating >= 4


def test_the_context_root_of_a_file_outside_the_project(tmp_path):
    from promptcoach.engine.context import MAX_PARENTS, context_root

    repository = tmp_path / "repo"
    write(repository, ".git/HEAD", "ref: refs/heads/main\n")
    deep = write(repository, "a/b/c.prompt.md", "x\n")
    assert context_root(str(deep), tmp_path / "elsewhere") == repository.resolve()
    assert context_root(str(deep), repository) == repository.resolve()  # inside the root: the root
    loose = write(tmp_path, "loose/d.prompt.md", "x\n")
    outer = next((p for p in loose.resolve().parents if (p / ".git").exists()), None)  # a --basetemp in a checkout
    assert context_root(str(loose), None) == (outer or loose.parent.resolve())  # no repository: its directory
    too_deep = write(repository, "/".join(["n"] * MAX_PARENTS) + "/e.prompt.md", "x\n")
    assert context_root(str(too_deep), None) == too_deep.parent.resolve()  # the repository is too far up
    just_below = write(repository, "/".join(["m"] * (MAX_PARENTS - 1)) + "/f.prompt.md", "x\n")
    assert context_root(str(just_below), None) == repository.resolve()


def test_an_instruction_file_states_what_its_first_256_kb_state(tmp_path):
    """context-coverage reads as much of an instruction file as a prompt inherits from
    when the file is open in an editor: its first MAX_CONTEXT_TEXT characters."""
    from promptcoach.engine.statements import MAX_CONTEXT_TEXT

    filler = "Keep each function short and name it for what it does.\n\n"
    lead = filler * (MAX_CONTEXT_TEXT // len(filler) - 2)
    late = lead + filler * 4 + "We use PostgreSQL for every service.\n"
    early = lead + "We use PostgreSQL for every service.\n" + filler * 4
    path = write(tmp_path, "AGENTS.md", early)

    def stated(text: str) -> dict:
        [finding] = [f for f in Engine(root=tmp_path).analyze(text, str(path)).findings if f.rule == "context-coverage"]
        return finding.data["stated"]

    assert "database-schema.technology" in stated(early)
    with_late = Engine(root=tmp_path).analyze(late, str(path)).findings
    assert [f for f in with_late if f.rule == "context-coverage"] == []  # nothing stated in the part read


def test_a_prompt_file_states_what_its_first_256_kb_state(tmp_path, monkeypatch):
    """A prompt file's own context paragraphs are read up to the same bound: the prompts
    after it are not read for their kind at all (a file of a hundred thousand requests)."""
    from promptcoach.engine.statements import MAX_CONTEXT_TEXT

    task = "Make an invoices table.\n\n---\n\n"
    context = "We keep all data in PostgreSQL.\n\n---\n\n"
    requests = "".join(f"- add endpoint {n} properly\n" for n in range(MAX_CONTEXT_TEXT // 12)) + "\n"  # 2 x the bound
    for text, inherits in ((task + context + requests, True), (task + requests + "---\n\n" + context, False)):
        path = write(tmp_path, "p.prompt.md", text)
        first = Engine(root=tmp_path).analyze(text, str(path)).prompts[0]
        assert first.prompt.text == "Make an invoices table."
        assert ("technology" in [i.detail for i in first.classification.inherited]) is inherits
    from promptcoach.engine import intent

    lines_read = []
    real_read = intent.read
    monkeypatch.setattr(intent, "read", lambda text, *rest: lines_read.append(text) or real_read(text, *rest))
    intent.clear_readings()
    Engine(root=tmp_path).analyze(text, str(path))  # (the last text: the context at its end)
    assert len(lines_read) < 0.6 * text.count("add endpoint")  # the half past the bound: not read
