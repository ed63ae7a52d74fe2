"""`promptcoach check`: text output, exit codes, files, directories, stdin, bad input."""

from __future__ import annotations

import json
import re

import pytest

from testkit.cli import NOT_BACKEND, VAGUE_SCHEMA, run_cli, unprivileged, write

TEXT_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|information|hint) "
    r"\[(?P<rule>[a-z0-9-]+)\] (?P<message>.+)$"
)


def findings(stdout: str) -> list[dict]:
    parsed = []
    for line in stdout.splitlines():
        match = TEXT_LINE.match(line)
        assert match, f"not a finding line: {line!r}"
        parsed.append(match.groupdict())
    return parsed


def test_text_output_is_path_line_col_severity_rule_message(project):
    done = run_cli("check", "--no-config", "prompts/posts.prompt.md", cwd=project)
    assert done.returncode == 1, done.stderr
    found = findings(done.stdout)
    missing = [f for f in found if f["rule"] == "missing-detail"]
    assert len(missing) == 1
    # "# Posts", blank line, then the prompt on line 3, column 1 (1-based, like ruff)
    assert missing[0]["path"] == "prompts/posts.prompt.md"
    assert (missing[0]["line"], missing[0]["col"]) == ("3", "1")
    assert missing[0]["severity"] == "warning"
    assert "Found" in done.stderr and "1 of 1 file" in done.stderr


def test_console_script_runs_like_python_m(project):
    module = run_cli("check", "--no-config", "prompts", cwd=project)
    script = run_cli("check", "--no-config", "prompts", cwd=project, script=True)
    assert script.returncode == module.returncode == 1
    assert script.stdout == module.stdout


def test_clean_file_exits_0_and_says_so(tmp_path):
    write(tmp_path, "ui.prompt.md", NOT_BACKEND)
    done = run_cli("check", "--no-config", "ui.prompt.md", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == ""
    assert "No problems found in 1 file; 1 prompt checked." in done.stderr


@pytest.mark.parametrize(
    ("fail_on", "status"),
    [("warning", 1), ("information", 1), ("hint", 1), ("error", 0), ("never", 0)],
)
def test_fail_on_threshold(project, fail_on, status):
    done = run_cli("check", "--no-config", "--fail-on", fail_on, "prompts/posts.prompt.md", cwd=project)
    assert done.returncode == status, done.stderr
    assert "[missing-detail]" in done.stdout  # the findings are printed whatever the threshold


def test_fail_on_error_by_config_severity(project):
    write(project, ".promptcoach.yaml", "rules:\n  missing-detail: error\n")
    done = run_cli("check", "--fail-on", "error", "prompts/posts.prompt.md", cwd=project)
    assert done.returncode == 1, done.stderr
    assert ": error [missing-detail]" in done.stdout


def test_directory_walk_uses_globs_and_relative_paths(project):
    done = run_cli("check", "--no-config", ".", cwd=project)
    paths = {f["path"] for f in findings(done.stdout)}
    assert "prompts/posts.prompt.md" in paths
    assert "src/app.py" in paths  # marked comment in a source file
    assert not any(p.startswith("node_modules") for p in paths)  # default exclude
    assert "README.md" not in paths  # not a prompt file by the default globs
    named = run_cli("check", "--no-config", project.name, cwd=project.parent)
    assert {f["path"] for f in findings(named.stdout)} == {f"{project.name}/{p}" for p in paths}


def test_exclude_from_config_applies_to_walk_but_not_to_a_named_file(project):
    write(project, "drafts/old.prompt.md", VAGUE_SCHEMA)
    write(project, ".promptcoach.yaml", "exclude:\n  - '**/drafts/**'\n")
    walked = run_cli("check", ".", cwd=project)
    assert "drafts/old.prompt.md" not in walked.stdout
    assert "prompts/posts.prompt.md" in walked.stdout
    named = run_cli("check", "drafts/old.prompt.md", cwd=project)
    assert named.returncode == 1
    assert named.stdout.startswith("drafts/old.prompt.md:1:1: warning [missing-detail]")


def test_include_from_config_adds_files_to_the_walk(project):
    write(project, "notes/ideas.md", VAGUE_SCHEMA)
    assert "notes/ideas.md" not in run_cli("check", ".", cwd=project).stdout
    write(project, ".promptcoach.yaml", "include:\n  - 'notes/*.md'\n")
    assert "notes/ideas.md:1:1:" in run_cli("check", ".", cwd=project).stdout


def test_file_named_on_the_command_line_is_always_checked(project):
    done = run_cli("check", "--no-config", "README.md", cwd=project)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("README.md:1:1: warning [missing-detail]")
    # an instruction file is checked too (an excluded one as well), as the project's context:
    # its lines are no requests, so they miss no details
    done = run_cli("check", "--no-config", "--format", "json", "node_modules/pkg/AGENTS.md", cwd=project)
    [file] = json.loads(done.stdout)["files"]
    assert done.returncode == 0 and len(file["prompts"]) == 1
    assert file["prompts"][0]["kind"] != "request" and file["prompts"][0]["findings"] == []


def test_a_file_named_twice_is_reported_once(project):
    done = run_cli("check", "--no-config", "prompts/posts.prompt.md", "prompts", cwd=project)
    assert done.stdout.count("prompts/posts.prompt.md:3:1: warning [missing-detail]") == 1


def test_stdin_with_filename(tmp_path):
    done = run_cli(
        "check", "--no-config", "-", "--stdin-filename", "prompts/new.prompt.md", cwd=tmp_path, stdin=VAGUE_SCHEMA
    )
    assert done.returncode == 1
    assert done.stdout.startswith("prompts/new.prompt.md:1:1: warning [missing-detail]")


def test_stdin_source_file_reads_marked_comments_only(tmp_path):
    source = 'const s = "// ai: Make a posts table.";\n// ai: Make a posts table.\n'
    done = run_cli("check", "--no-config", "-", "--stdin-filename", "src/app.ts", cwd=tmp_path, stdin=source)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("src/app.ts:2:8: warning [missing-detail]")


def test_stdin_without_filename_is_a_prompt_text(tmp_path):
    done = run_cli("check", "--no-config", "-", cwd=tmp_path, stdin=VAGUE_SCHEMA)
    assert done.returncode == 1
    assert done.stdout.startswith("-:1:1: warning [missing-detail]")


def _assert_input_error(done, *words):
    assert done.returncode == 2
    assert done.stdout == "", "nothing may be half-printed"
    for word in words:
        assert word in done.stderr
    assert "Traceback" not in done.stderr


def test_binary_file_is_an_error_and_nothing_is_printed(project):
    write(project, "prompts/image.prompt.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    _assert_input_error(run_cli("check", "--no-config", "prompts", cwd=project), "prompts/image.prompt.md", "binary")
    _assert_input_error(run_cli("check", "--no-config", "prompts/image.prompt.md", cwd=project), "binary")


def test_non_utf8_file_is_an_error(project):
    write(project, "prompts/latin1.prompt.md", "Make a caf\xe9 table.\n".encode("latin-1"))
    _assert_input_error(
        run_cli("check", "--no-config", "prompts/posts.prompt.md", "prompts/latin1.prompt.md", cwd=project),
        "prompts/latin1.prompt.md",
        "UTF-8",
    )


def test_utf16_file_is_named_as_such(project):
    write(project, "prompts/wide.prompt.md", "Make a posts table.\n".encode("utf-16"))
    _assert_input_error(run_cli("check", "--no-config", "prompts/wide.prompt.md", cwd=project), "UTF-16", "UTF-8")


def test_binary_stdin_is_an_error(tmp_path):
    _assert_input_error(run_cli("check", "--no-config", "-", cwd=tmp_path, stdin=b"ab\x00cd"), "binary")


def test_unreadable_file_is_an_error(project):
    prefix = unprivileged()
    if prefix is None:
        pytest.skip("file permissions cannot be made to apply here (root without setpriv)")
    path = project / "prompts" / "posts.prompt.md"
    path.chmod(0)
    try:
        done = run_cli("check", "--no-config", "prompts", cwd=project, prefix=prefix)
        _assert_input_error(done, "posts.prompt.md", "cannot read")
    finally:
        path.chmod(0o644)


def test_utf8_bom_is_not_part_of_the_prompt(tmp_path):
    write(tmp_path, "bom.prompt.md", "\ufeff" + VAGUE_SCHEMA)
    done = run_cli("check", "--no-config", "bom.prompt.md", cwd=tmp_path)
    assert done.stdout.startswith("bom.prompt.md:1:1: warning [missing-detail]")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check", "--no-config", "missing.prompt.md"], ["missing.prompt.md", "no such file"]),
        (["check", "--format", "xml", "."], ["invalid choice"]),
        (["check", "--fail-on", "sometimes", "."], ["invalid choice"]),
        (["check"], ["PATH"]),
        (["check", "--no-config", "--stdin-filename", "a.md", "."], ["--stdin-filename"]),
        (["check", "--no-config", "-", "-"], ["only once"]),
        (["check", "--config", "nowhere.yaml", "."], ["nowhere.yaml"]),
        (["check", "--config", "x.yaml", "--no-config", "."], ["--no-config"]),
        (["check", "--jobs", "0", "."], ["--jobs"]),
        (["frobnicate"], ["invalid choice"]),
        ([], ["usage"]),
    ],
)
def test_bad_arguments_exit_2(tmp_path, args, words):
    _assert_input_error(run_cli(*args, cwd=tmp_path, stdin=""), *words)


def test_config_error_names_file_and_line(project):
    write(project, ".promptcoach.yaml", "exclude:\n  - '**/drafts/**'\nthreshold: high\n")
    done = run_cli("check", "prompts", cwd=project)
    _assert_input_error(done, ".promptcoach.yaml:3:")


def test_explicit_config_file_is_used(project):
    write(project, "strict.yaml", "rules:\n  missing-detail: off\n")
    done = run_cli("check", "--config", "strict.yaml", "prompts/posts.prompt.md", cwd=project)
    assert "[missing-detail]" not in done.stdout


def test_version():
    done = run_cli("--version")
    assert done.returncode == 0
    assert re.fullmatch(r"promptcoach \d+\.\d+\.\d+\n", done.stdout)


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_parallel_run_gives_the_same_report_as_one_process(tmp_path, fmt):
    prompts = [VAGUE_SCHEMA, NOT_BACKEND, "API to get posts.\n", "Get stock price data and stuff.\n"]
    for index in range(80):
        write(tmp_path, f"p{index // 10}/task{index:02d}.prompt.md", f"# Task {index}\n\n" + prompts[index % 4])
    one = run_cli("check", "--no-config", "--format", fmt, "--jobs", "1", ".", cwd=tmp_path)
    two = run_cli("check", "--no-config", "--format", fmt, "--jobs", "2", ".", cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stdout.count("task") >= 80


def test_the_stack_is_found_above_a_named_file_without_a_config(tmp_path):
    """No .promptcoach.yaml: the project root is the nearest directory with a manifest,
    whichever file, folder or stdin name the command names."""
    import json as json_module

    write(tmp_path, "package.json", json_module.dumps({"dependencies": {"@prisma/client": "5"}}))
    write(tmp_path, "prompts/blog.prompt.md", "Using Mongoose, define a `Post` model.\n")
    for args, stdin in (
        (["prompts/blog.prompt.md"], None),
        (["-", "--stdin-filename", "prompts/x.prompt.md"], "Using Mongoose, define a `Post` model.\n"),
    ):
        done = run_cli("check", *args, cwd=tmp_path, stdin=stdin)
        assert "[stack-mismatch]" in done.stdout, (args, done.stdout, done.stderr)
    expanded = run_cli("expand", "Make a comments table.", cwd=tmp_path / "prompts")
    assert expanded.stdout.startswith("Using Prisma"), expanded.stdout


def test_a_named_script_without_extension_is_read_by_its_shebang(tmp_path):
    write(tmp_path, "runme", "#!/bin/bash\n# prompt: make a posts table\necho '# prompt: not a comment'\n")
    write(tmp_path, "tool", "#!/usr/bin/env python3\nx = '# prompt: not this'\n# ai: API to get posts\n")
    write(tmp_path, "NOTES", "Make a posts table.\n")  # no shebang: a prompt file, as before
    done = run_cli("check", "--no-config", "--format", "json", "runme", "tool", "NOTES", cwd=tmp_path)
    import json as json_module

    files = {f["path"]: [p["text"] for p in f["prompts"]] for f in json_module.loads(done.stdout)["files"]}
    assert files == {"runme": ["make a posts table"], "tool": ["API to get posts"], "NOTES": ["Make a posts table."]}


def test_each_path_is_checked_with_its_nearest_config(tmp_path):
    write(tmp_path, "r1/.promptcoach.yaml", "rules:\n  vague-term: off\n")
    write(tmp_path, "r2/.promptcoach.yaml", "rules:\n  vague-term: error\n")
    for root in ("r1", "r2"):
        write(tmp_path, f"{root}/a.prompt.md", "Add the user stuff.\n")
    for order in (("r2/a.prompt.md", "r1/a.prompt.md"), ("r1/a.prompt.md", "r2/a.prompt.md")):
        done = run_cli("check", *order, cwd=tmp_path)
        lines = [line for line in done.stdout.splitlines() if "[vague-term]" in line]
        assert lines == [
            "r2/a.prompt.md:1:14: error [vague-term] 'stuff' is vague: which data, files or features do you mean?"
        ], (order, done.stdout)


def test_parallel_run_over_two_projects_uses_each_projects_settings(tmp_path):
    """Each project's files are checked with its own configuration, also when both
    runs are large enough for worker processes."""
    for name, severity in (("a", "off"), ("b", "error")):
        write(tmp_path, f"{name}/.promptcoach.yaml", f"rules:\n  vague-term: {severity}\n")
        for index in range(70):
            write(tmp_path, f"{name}/p{index:02d}.prompt.md", "Get stock price data and stuff.\n")
    done = run_cli("check", "--format", "text", "--jobs", "2", "a", "b", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert not [line for line in lines if line.startswith("a/") and "[vague-term]" in line]
    assert len([line for line in lines if line.startswith("b/") and "error [vague-term]" in line]) == 70


def test_warm_up_survives_a_failing_analysis():
    """The workers' warm-up analyses the knowledge examples: a failure there (a broken
    pack example, say) is left for a real document to report, not fatal to the run."""
    from unittest import mock

    from promptcoach.engine.analyze import Engine

    engine = Engine()
    with mock.patch.object(Engine, "analyze", side_effect=RuntimeError("boom")) as analyze:
        engine.warm_up()
    assert analyze.call_count == 2  # both samples were tried


def test_the_parent_warms_up_its_engine_before_forking_workers():
    from promptcoach import batch
    from promptcoach.engine.analyze import Engine

    saved = batch._engine, batch._engine_factory
    batch._engine = batch._engine_factory = None
    try:
        batch._worker_init(Engine)
        assert isinstance(batch._engine, Engine)
    finally:
        batch._engine, batch._engine_factory = saved
