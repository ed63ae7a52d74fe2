"""`promptcoach check --format json`: exactly the documented shape (docs/cli.md), LSP ranges, every prompt."""

from __future__ import annotations

import fastjsonschema

from testkit.cli import NOT_BACKEND, VAGUE_SCHEMA, check_json, write

POSITION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["line", "character"],
    "properties": {"line": {"type": "integer", "minimum": 0}, "character": {"type": "integer", "minimum": 0}},
}
RANGE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["start", "end"],
    "properties": {"start": POSITION, "end": POSITION},
}
DETAIL_IDS = {"type": "array", "items": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}, "uniqueItems": True}
FINDING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rule", "severity", "message", "range"],
    "properties": {
        "rule": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "severity": {"enum": ["error", "warning", "information", "hint"]},
        "message": {"type": "string", "minLength": 1},
        "range": RANGE,
    },
}
PROMPT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["range", "text", "category", "kind", "details", "score", "findings"],
    "properties": {
        "range": RANGE,
        "text": {"type": "string", "minLength": 1},
        "category": {"type": ["string", "null"]},
        "kind": {"enum": ["request", "guideline", "context", "question"]},
        "details": {
            "type": "object",
            "additionalProperties": False,
            "required": ["present", "missing", "inherited"],
            "properties": {
                "present": DETAIL_IDS,
                "missing": DETAIL_IDS,
                "inherited": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["path", "line", "text"],
                        "properties": {
                            "path": {"type": "string", "minLength": 1},
                            "line": {"type": "integer", "minimum": 0},
                            "text": {"type": "string"},
                        },
                    },
                },
            },
        },
        "score": {
            "type": "object",
            "additionalProperties": False,
            "required": ["present", "total"],
            "properties": {"present": {"type": "integer", "minimum": 0}, "total": {"type": "integer", "minimum": 0}},
        },
        "findings": {"type": "array", "items": FINDING},
    },
}
REPORT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "files"],
    "properties": {
        "version": {"const": 1},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "prompts"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "prompts": {"type": "array", "items": PROMPT},
                    "findings": {"type": "array", "items": FINDING},
                },
            },
        },
    },
}
validate = fastjsonschema.compile(REPORT)


def test_report_has_exactly_the_spec_shape(project):
    report, _ = check_json(".", cwd=project)
    validate(report)
    for file in report["files"]:
        for prompt in file["prompts"]:
            details, score = prompt["details"], prompt["score"]
            assert score == {
                "present": len(details["present"]),
                "total": len(details["present"]) + len(details["missing"]),
            }
            assert not set(details["present"]) & set(details["missing"])
            if prompt["category"] is None:
                assert details == {"present": [], "missing": [], "inherited": {}}
                assert not any(f["rule"] == "missing-detail" for f in prompt["findings"])


def test_spec_example_range_and_values(project):
    report, done = check_json("prompts/posts.prompt.md", cwd=project)
    assert done.returncode == 1
    [file] = report["files"]
    assert file["path"] == "prompts/posts.prompt.md"
    [prompt] = file["prompts"]
    assert prompt["range"] == {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 19}}
    assert prompt["text"] == "Make a posts table."
    assert prompt["category"] == "database-schema"
    assert "models" in prompt["details"]["present"]
    assert "technology" in prompt["details"]["missing"]
    missing = [f for f in prompt["findings"] if f["rule"] == "missing-detail"]
    assert missing and missing[0]["severity"] == "warning"
    assert missing[0]["range"] == prompt["range"]


def test_every_prompt_is_listed_with_or_without_findings(tmp_path):
    # a list after a heading has no lead: each item is a prompt of its own
    write(
        tmp_path, "mixed.prompt.md", f"{VAGUE_SCHEMA}\n{NOT_BACKEND}\n## Drafts\n- API to get posts.\n- {NOT_BACKEND}"
    )
    report, _ = check_json("mixed.prompt.md", cwd=tmp_path)
    prompts = report["files"][0]["prompts"]
    assert [p["range"]["start"]["line"] for p in prompts] == [0, 2, 5, 6]
    assert [p["category"] for p in prompts] == ["database-schema", None, "api-endpoint", None]
    assert prompts[1]["findings"] == [] and prompts[3]["findings"] == []
    assert prompts[2]["range"]["start"]["character"] == 2  # after the list marker


def test_a_file_without_prompts_is_listed_with_no_prompts(tmp_path):
    write(tmp_path, "empty.prompt.md", "# Only a heading\n\n```\ncode\n```\n")
    report, done = check_json("empty.prompt.md", cwd=tmp_path)
    assert done.returncode == 0
    assert report == {"version": 1, "files": [{"path": "empty.prompt.md", "prompts": []}]}


def test_ranges_count_utf16_code_units(tmp_path):
    # U+1F600 is one code point but two UTF-16 code units; "é" is one of each.
    text = "Make a posts table for the café 😀 blog.\n"
    write(tmp_path, "emoji.prompt.md", "What is 😀 for?\n\n" + text)  # a question, then the request
    report, _ = check_json("emoji.prompt.md", cwd=tmp_path)
    prompt = report["files"][0]["prompts"][1]
    assert prompt["text"] == text.strip()
    assert prompt["range"]["start"] == {"line": 2, "character": 0}
    assert prompt["range"]["end"] == {"line": 2, "character": len(text.strip()) + 1}


def test_comment_prompt_range_points_at_the_comment_text(tmp_path):
    write(tmp_path, "app.py", "import os\n\n    # prompt: Make a posts table.\n")
    report, _ = check_json("app.py", cwd=tmp_path)
    [prompt] = report["files"][0]["prompts"]
    assert prompt["text"] == "Make a posts table."
    start = prompt["range"]["start"]
    assert start["line"] == 2
    assert "    # prompt: Make a posts table."[start["character"] :].startswith("Make")


def test_stdin_path_is_the_stdin_filename(tmp_path):
    report, _ = check_json("-", "--stdin-filename", "notes/a.prompt.md", cwd=tmp_path, stdin=VAGUE_SCHEMA)
    assert [f["path"] for f in report["files"]] == ["notes/a.prompt.md"]


def test_walked_paths_are_relative_to_the_walked_directory_as_given(project):
    report, _ = check_json(project.name, cwd=project.parent)
    paths = [f["path"] for f in report["files"]]
    assert f"{project.name}/prompts/posts.prompt.md" in paths
    assert paths == sorted(paths)
    inside, _ = check_json(".", cwd=project)
    assert [f["path"] for f in inside["files"]] == [p.removeprefix(f"{project.name}/") for p in paths]
