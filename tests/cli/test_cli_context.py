"""Whole prompts, kinds and project context through the CLI, as a user runs it."""

from __future__ import annotations

from context_samples import LEAD_AND_LIST, STACK_AGENTS

from testkit.cli import check_json, run_cli, write


def _project(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root: context is looked up to here
    return tmp_path


def test_a_complete_lead_and_list_prompt_is_one_prompt_with_no_finding(tmp_path):
    write(_project(tmp_path), "prompts/posts.prompt.md", LEAD_AND_LIST)
    report, done = check_json("prompts/posts.prompt.md", cwd=tmp_path)
    [prompt] = report["files"][0]["prompts"]
    assert done.returncode == 0, done.stdout
    assert prompt["kind"] == "request" and prompt["category"] == "database-schema"
    assert prompt["details"]["missing"] == [] and prompt["findings"] == []
    assert prompt["range"]["start"] == {"line": 0, "character": 0}
    assert prompt["range"]["end"]["line"] == 5  # the prompt spans its list


def test_an_agents_file_gets_no_missing_detail_and_one_context_coverage(tmp_path):
    write(_project(tmp_path), "AGENTS.md", STACK_AGENTS)
    report, done = check_json("AGENTS.md", cwd=tmp_path)
    [file] = report["files"]
    assert done.returncode == 0  # information only
    assert all(p["kind"] != "request" for p in file["prompts"])
    assert not [f for p in file["prompts"] for f in p["findings"] if f["rule"] == "missing-detail"]
    [coverage] = file["findings"]
    assert coverage["rule"] == "context-coverage" and coverage["severity"] == "information"
    assert "FastAPI" in coverage["message"] and "HTTP client" in coverage["message"]


def test_a_prompt_inherits_the_technology_its_agents_file_states(tmp_path):
    _project(tmp_path)
    write(tmp_path, "AGENTS.md", "# Agents\n\nThe service stores its data in PostgreSQL through SQLAlchemy.\n")
    write(tmp_path, "prompts/posts.prompt.md", "Make a posts table.\n")
    report, _ = check_json("prompts/posts.prompt.md", cwd=tmp_path)
    [prompt] = report["files"][0]["prompts"]
    assert "technology" in prompt["details"]["present"]
    inherited = prompt["details"]["inherited"]["technology"]
    assert inherited["path"] == "AGENTS.md" and inherited["line"] == 2
    assert inherited["text"] in ("PostgreSQL", "SQLAlchemy")
    [finding] = prompt["findings"]
    assert "2 of 6 key details, 1 from AGENTS.md" in finding["message"]
    text = run_cli("check", "prompts/posts.prompt.md", cwd=tmp_path).stdout
    assert "1 from AGENTS.md" in text


def test_apply_to_scopes_an_instructions_file(tmp_path):
    _project(tmp_path)
    write(
        tmp_path,
        ".github/instructions/db.instructions.md",
        '---\napplyTo: "db/**"\n---\n\n- Every schema is written with Drizzle ORM on PostgreSQL.\n',
    )
    write(tmp_path, "db/tables.prompt.md", "Make a posts table.\n")
    write(tmp_path, "web/tables.prompt.md", "Make a posts table.\n")
    report, _ = check_json("db/tables.prompt.md", "web/tables.prompt.md", cwd=tmp_path)
    inside, outside = (file["prompts"][0]["details"] for file in report["files"])
    assert inside["inherited"]["technology"]["path"] == ".github/instructions/db.instructions.md"
    assert outside["inherited"] == {} and "technology" in outside["missing"]


def test_a_prompt_library_list_is_one_prompt_per_item(tmp_path):
    write(
        _project(tmp_path),
        "prompts/library.md",
        "# Prompts we reuse\n\n- Make a posts table.\n- Add user login.\n- Get stock price data.\n",
    )
    report, _ = check_json("prompts/library.md", cwd=tmp_path)
    prompts = report["files"][0]["prompts"]
    assert [p["text"] for p in prompts] == ["Make a posts table.", "Add user login.", "Get stock price data."]
    assert [p["category"] for p in prompts] == ["database-schema", "authentication", "external-api"]


def test_guidelines_and_descriptions_in_a_prompt_file_get_no_missing_detail(tmp_path):
    write(
        _project(tmp_path),
        "prompts/notes.prompt.md",
        "We use Express with PostgreSQL for the API.\n\n## Rules\n\n- Never commit secrets.\n"
        "- Use async/await for database access.\n\n## Tasks\n\nAdd an endpoint that lists posts.\n\n"
        "Write a function that sends a welcome email.\n",
    )
    report, _ = check_json("prompts/notes.prompt.md", cwd=tmp_path)
    prompts = report["files"][0]["prompts"]
    kinds = {p["text"].split("\n")[0]: p["kind"] for p in prompts}
    assert (
        kinds["Never commit secrets."] == "guideline" and kinds["Use async/await for database access."] == "guideline"
    )
    flagged = [p["text"] for p in prompts for f in p["findings"] if f["rule"] == "missing-detail"]
    assert "Add an endpoint that lists posts." in flagged and len(flagged) == 2
    assert kinds["We use Express with PostgreSQL for the API."] == "context"
    # the request inherits the framework the file's own context paragraph states
    [request] = [p for p in prompts if p["text"] == "Add an endpoint that lists posts."]
    assert request["details"]["inherited"]["framework"]["text"] == "Express"
