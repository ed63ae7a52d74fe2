"""maxFileSize in the CLI (issue 16): a file over the limit is not read and says so with
one file-too-large finding; the run goes on with the other files."""

from __future__ import annotations

import json
import time

from testkit.cli import run_cli

PROMPT = "Make a posts table.\n\n"


def test_a_file_over_the_limit_is_reported_not_checked(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("maxFileSize: 2000\n", encoding="utf-8")
    (tmp_path / "big.prompt.md").write_text(PROMPT * 200, encoding="utf-8")  # 4,200 bytes
    (tmp_path / "small.prompt.md").write_text(PROMPT, encoding="utf-8")
    done = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    files = {f["path"]: f for f in json.loads(done.stdout)["files"]}
    big = files["big.prompt.md"]
    assert big["prompts"] == []
    assert [f["rule"] for f in big["findings"]] == ["file-too-large"]
    assert big["findings"][0]["severity"] == "information"
    assert big["findings"][0]["range"]["start"] == {"line": 0, "character": 0}
    assert "4.2 KB" in big["findings"][0]["message"] and "2 KB limit" in big["findings"][0]["message"]
    assert files["small.prompt.md"]["prompts"][0]["findings"][0]["rule"] == "missing-detail"
    assert done.returncode == 1  # the small file's warning; the skipped file is information


def test_text_output_names_the_file_and_the_limit(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("maxFileSize: 100\n", encoding="utf-8")
    (tmp_path / "big.prompt.md").write_text(PROMPT * 10, encoding="utf-8")
    done = run_cli("check", "big.prompt.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("big.prompt.md:1:1: information [file-too-large] Not checked: this file is 210 bytes")


def test_a_huge_sparse_file_is_not_read(tmp_path):
    """A 20 GB file (sparse: it takes no disk) is skipped at once, without reading it."""
    huge = tmp_path / "huge.prompt.md"
    with open(huge, "wb") as handle:
        handle.truncate(20 * 10**9)
    started = time.monotonic()
    done = run_cli("check", "--format", "json", str(huge), cwd=tmp_path)
    assert time.monotonic() - started < 20
    report = json.loads(done.stdout)["files"][0]
    assert [f["rule"] for f in report["findings"]] == ["file-too-large"]
    assert "20 GB" in report["findings"][0]["message"]


def test_standard_input_over_the_limit(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("maxFileSize: 100\n", encoding="utf-8")
    done = run_cli("check", "--format", "json", "-", cwd=tmp_path, stdin=PROMPT * 10)
    report = json.loads(done.stdout)["files"][0]
    assert report["prompts"] == [] and report["findings"][0]["rule"] == "file-too-large"
    assert "over the 100 bytes limit" in report["findings"][0]["message"]
    fits = run_cli("check", "--format", "json", "-", cwd=tmp_path, stdin=PROMPT)
    assert json.loads(fits.stdout)["files"][0]["prompts"][0]["text"] == "Make a posts table."


def test_the_rule_can_be_turned_off_and_the_limit_is_validated(tmp_path):
    (tmp_path / ".promptcoach.yaml").write_text("maxFileSize: 100\nrules:\n  file-too-large: off\n", encoding="utf-8")
    (tmp_path / "big.prompt.md").write_text(PROMPT * 10, encoding="utf-8")
    done = run_cli("check", "big.prompt.md", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == ""
    (tmp_path / ".promptcoach.yaml").write_text("maxFileSize: lots\n", encoding="utf-8")
    bad = run_cli("check", "big.prompt.md", cwd=tmp_path)
    assert bad.returncode == 2
    assert "maxFileSize" in bad.stderr


def test_checking_stops_after_max_problems_and_says_where(tmp_path):
    """maxProblems: once a file's prompts have given that many findings, the later ones
    are neither checked nor listed; one too-many-problems finding sits at the first of them."""
    (tmp_path / ".promptcoach.yaml").write_text("maxProblems: 3\n", encoding="utf-8")
    (tmp_path / "many.prompt.md").write_text(PROMPT * 5, encoding="utf-8")
    done = run_cli("check", "--format", "json", "many.prompt.md", cwd=tmp_path)
    report = json.loads(done.stdout)["files"][0]
    assert len(report["prompts"]) == 3
    assert [f["rule"] for f in report["findings"]] == ["too-many-problems"]
    finding = report["findings"][0]
    assert finding["range"]["start"] == {"line": 6, "character": 0}  # the fourth prompt
    assert "Stopped after 3 problems: the 2 prompts from here on were not checked" in finding["message"]
    (tmp_path / ".promptcoach.yaml").write_text("maxProblems: 0\n", encoding="utf-8")
    unlimited = json.loads(run_cli("check", "--format", "json", "many.prompt.md", cwd=tmp_path).stdout)["files"][0]
    assert len(unlimited["prompts"]) == 5 and "findings" not in unlimited
