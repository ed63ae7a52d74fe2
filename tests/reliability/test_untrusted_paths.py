"""Paths a hostile repository can plant (issue 16, found by a review in stop 25): a
``.promptcoach.yaml`` that links out of the project, a file named on the command line
that does, a FIFO that a configuration extends (the server's change check read it and
hung), a network path resolved before it was refused, a dotfiles repository in the home
directory taken for the project, and a file name that split an error into two lines."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from promptcoach.engine.config import load_config
from promptcoach.engine.config_cache import ConfigCache
from promptcoach.engine.yamldata import DataError
from testkit.cli import run_cli

SECRET = "hunter2_token_value"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository (``.git``) with one prompt file, and a file outside it holding a secret."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "a.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    return root


def test_a_configuration_linked_out_of_the_project_is_not_read(repo: Path) -> None:
    (repo / ".promptcoach.yaml").symlink_to(repo.parent / "outside.yaml")
    done = run_cli("check", "--format", "json", "a.prompt.md", cwd=repo)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "symbolic link to a file outside the project" in done.stderr
    assert SECRET not in done.stdout + done.stderr  # (before: "unknown key 'hunter2_token_value'")
    # a link inside the project is followed
    (repo / ".promptcoach.yaml").unlink()
    (repo / "team.yaml").write_text("rules: {missing-detail: off}\n", encoding="utf-8")
    (repo / ".promptcoach.yaml").symlink_to("team.yaml")
    done = run_cli("check", "--format", "json", "a.prompt.md", cwd=repo)
    assert done.returncode == 0, done.stderr


def test_the_editor_refuses_it_too_without_reading_through_the_link(repo: Path, monkeypatch) -> None:
    from promptcoach.engine import config_cache

    link = repo / ".promptcoach.yaml"
    link.symlink_to(repo.parent / "outside.yaml")
    read: list[str] = []
    real_read = config_cache.read_regular
    monkeypatch.setattr(
        config_cache, "read_regular", lambda path, limit: read.append(str(path)) or real_read(path, limit)
    )
    cache = ConfigCache()
    for _ in range(2):  # loaded, then its change stamps checked
        state = cache.get(link)
        assert state.config is None and state.error is not None
        assert "outside the project" in str(state.error) and SECRET not in str(state.error)
    assert not any("outside.yaml" in path for path in read)


def test_a_file_named_on_the_command_line_that_links_out_is_not_read(repo: Path) -> None:
    (repo / "x.prompt.md").symlink_to(repo.parent / "outside.yaml")
    (repo / "etc").symlink_to(repo.parent, target_is_directory=True)
    for name in ("x.prompt.md", "etc"):
        done = run_cli("check", "--format", "json", name, cwd=repo)
        assert done.returncode == 2, (name, done.stderr)
        assert done.stderr == f"promptcoach: error: {name}: a symbolic link to a path outside the project; not read\n"
        assert SECRET not in done.stdout
    # CLAUDE.md -> AGENTS.md: a link inside the project is checked as the file it names
    (repo / "AGENTS.md").write_text("Use PostgreSQL for every table.\n", encoding="utf-8")
    (repo / "CLAUDE.md").symlink_to("AGENTS.md")
    done = run_cli("check", "--format", "json", "CLAUDE.md", cwd=repo)
    assert done.returncode in (0, 1), done.stderr
    assert [f["path"] for f in json.loads(done.stdout)["files"]] == ["CLAUDE.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_the_editor_never_blocks_on_a_fifo_a_configuration_extends(repo: Path) -> None:
    fifo = repo / "team.yaml"
    os.mkfifo(fifo)
    (repo / ".promptcoach.yaml").write_text("extends: team.yaml\n", encoding="utf-8")
    states: list = []
    cache = ConfigCache()
    worker = threading.Thread(target=lambda: states.extend(cache.get(repo / ".promptcoach.yaml") for _ in range(2)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # (before: the change check opened the FIFO and waited for a writer)
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let it go: the reader sees the end
        pytest.fail("reading the configuration waited on a FIFO")
    assert len(states) == 2 and all("not a regular file" in str(state.error) for state in states)


@pytest.mark.parametrize("entry", ["//host/share/p.yaml", "\\\\host\\share\\p.yaml", "/\\host/share/p.yaml"])
def test_a_network_path_is_refused_before_anything_resolves_it(repo: Path, monkeypatch, entry: str) -> None:
    """On Windows resolving //host/share/... already connects to the host."""
    (repo / ".promptcoach.yaml").write_text(f"extends: {json.dumps(entry)}\n", encoding="utf-8")
    resolved: list[str] = []
    real_resolve = Path.resolve
    monkeypatch.setattr(
        Path, "resolve", lambda self, *a, **k: resolved.append(str(self)) or real_resolve(self, *a, **k)
    )
    with pytest.raises(DataError, match="outside the project"):
        load_config(repo / ".promptcoach.yaml")
    assert not any("host" in path for path in resolved), resolved
    from promptcoach.lsp.config import allowed_config_file

    resolved.clear()
    assert allowed_config_file(entry, [str(repo)])[0] is None
    assert not any("host" in path for path in resolved), resolved


def test_a_dotfiles_repository_in_the_home_directory_is_not_the_project(tmp_path: Path, monkeypatch) -> None:
    """A project unpacked under a home that is itself a git repository (dotfiles) and has
    no .git of its own: its configuration may not extend the home's files."""
    home = tmp_path / "home"
    (home / ".git").mkdir(parents=True)
    (home / "secrets.yaml").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    project = home / "Downloads" / "project"
    project.mkdir(parents=True)
    (project / ".promptcoach.yaml").write_text("extends: ../../secrets.yaml\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(DataError, match="outside the project") as error:
        load_config(project / ".promptcoach.yaml")
    assert SECRET not in str(error.value)
    # a repository of its own under the home is one: its files can be extended
    (project / ".git").mkdir()
    (project / "team.yaml").write_text("threshold: 0.5\n", encoding="utf-8")
    (project / ".promptcoach.yaml").write_text("extends: team.yaml\n", encoding="utf-8")
    assert load_config(project / ".promptcoach.yaml").settings.threshold == 0.5


def test_an_error_stays_one_line_whatever_the_file_name_holds(tmp_path: Path) -> None:
    folder = tmp_path / "we\nird"
    folder.mkdir()
    (folder / ".promptcoach.yaml").write_text("bogus: 1\n", encoding="utf-8")
    (folder / "b.prompt.md").write_text("Make it.\n", encoding="utf-8")
    done = run_cli("check", "we\nird/b.prompt.md", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "we\\nird/.promptcoach.yaml:1: unknown key 'bogus'" in done.stderr


def test_json_output_writes_bidi_overrides_and_line_separators_as_escapes(tmp_path: Path) -> None:
    """Lossless: the decoded report is the same, but a terminal showing it raw cannot be
    steered by a file name (U+202E reverses what follows) or split by U+2028."""
    name = "gpj.\u202eevil\u2028\u200f.prompt.md"
    (tmp_path / name).write_text("Make a posts\u2029 table\u0085 now.\n", encoding="utf-8")
    for form in ("json", "sarif"):
        done = run_cli("check", "--format", form, ".", cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        assert not any(char in done.stdout for char in "\u202e\u2028\u2029\u0085\u200f"), form
        assert "\\u202e" in done.stdout or "%E2%80%AE" in done.stdout, form
    report = json.loads(run_cli("check", "--format", "json", ".", cwd=tmp_path).stdout)
    (file,) = report["files"]
    assert file["path"] == name and "\u2029" in file["prompts"][0]["text"]


def test_a_named_path_through_a_linked_directory_is_measured_against_the_working_directory(tmp_path: Path) -> None:
    """The project of a named path is the repository of the directory the command runs in
    (else that directory), never one the path's own links lead to: a linked directory
    may bring a .git of its own (another checkout, an etckeeper /etc, a dotfiles home)."""
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "creds.prompt.md").write_text(f"{SECRET}\n", encoding="utf-8")
    for has_git in (True, False):
        project = tmp_path / f"project-{has_git}"
        project.mkdir()
        if has_git:
            (project / ".git").mkdir()
        (project / "sub").symlink_to(other, target_is_directory=True)
        (project / "gone.prompt.md").symlink_to(tmp_path / "no-such-file.prompt.md")
        for name in ("sub/creds.prompt.md", "sub", "gone.prompt.md"):
            done = run_cli("check", "--format", "json", name, cwd=project)
            # the same words whether the target exists or not
            assert (
                done.stderr == f"promptcoach: error: {name}: a symbolic link to a path outside the project; not read\n"
            )
            assert SECRET not in done.stdout
        # a link inside a project without .git is followed (docs/CLAUDE.md -> ../AGENTS.md)
        (project / "AGENTS.md").write_text("Use PostgreSQL for every table.\n", encoding="utf-8")
        (project / "docs").mkdir()
        (project / "docs" / "CLAUDE.md").symlink_to("../AGENTS.md")
        done = run_cli("check", "docs/CLAUDE.md", cwd=project)
        assert done.returncode in (0, 1), done.stderr


def test_config_named_through_a_linked_directory_is_not_read(repo: Path) -> None:
    (repo / "cfg").symlink_to(repo.parent, target_is_directory=True)
    done = run_cli("check", "--config", "cfg/outside.yaml", "a.prompt.md", cwd=repo)
    assert done.returncode == 2 and "a symbolic link to a path outside the project" in done.stderr
    assert SECRET not in done.stdout + done.stderr
    (repo / "team.yaml").write_text("rules: {missing-detail: off}\n", encoding="utf-8")
    (repo / "ci.yaml").symlink_to("team.yaml")
    assert run_cli("check", "--config", "ci.yaml", "a.prompt.md", cwd=repo).returncode == 0


def test_the_editor_judges_each_link_where_it_is(tmp_path: Path) -> None:
    """Two links to one configuration file get different answers by where they are: the
    editor's cache must not hand one's answer to the other (a refusal cached for a good
    project's file, or a hostile link served the cached configuration of another project)."""
    good, hostile = tmp_path / "good", tmp_path / "hostile"
    for root in (good, hostile):
        (root / ".git").mkdir(parents=True)
    (good / ".promptcoach.yaml").write_text("rules: {missing-detail: off}\n", encoding="utf-8")
    (hostile / ".promptcoach.yaml").symlink_to(good / ".promptcoach.yaml")
    for order in ((good, hostile), (hostile, good)):
        cache = ConfigCache()
        states = {root: cache.get(root / ".promptcoach.yaml") for root in order}
        assert states[good].error is None and states[good].config is not None
        assert states[hostile].config is None and "outside the project" in str(states[hostile].error)


def test_stdin_filename_through_a_linked_directory_is_not_used(repo: Path) -> None:
    """--stdin-filename decides which configuration and instruction files are read."""
    other = repo.parent / "other"
    (other / ".git").mkdir(parents=True)
    (other / ".promptcoach.yaml").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    (repo / "sub").symlink_to(other, target_is_directory=True)
    done = run_cli("check", "-", "--stdin-filename", "sub/x.prompt.md", cwd=repo, stdin="Make a posts table.\n")
    assert (
        done.stderr == "promptcoach: error: sub/x.prompt.md: a symbolic link to a path outside the project; not read\n"
    )
    assert SECRET not in done.stdout


def test_a_named_link_into_git_is_not_read(repo: Path) -> None:
    """.git is inside the repository, but what it holds (the checkout's token in
    .git/config) is not the project's text."""
    (repo / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: {SECRET}\n", encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "evil.prompt.md").symlink_to("../.git/config")
    done = run_cli("check", "--format", "json", "docs/evil.prompt.md", cwd=repo)
    assert done.returncode == 2 and "a symbolic link to a path outside the project" in done.stderr
    assert SECRET not in done.stdout + done.stderr


def test_a_dotfiles_home_is_not_the_project_of_a_folder_under_it(tmp_path: Path) -> None:
    """No .promptcoach.yaml, no .git of its own, no manifest: a folder under a home that is
    a git repository gets its own context, not the home's AGENTS.md."""
    home = tmp_path / "home"
    (home / ".git").mkdir(parents=True)
    (home / "AGENTS.md").write_text("The data lives in PostgreSQL, through SQLAlchemy.\n", encoding="utf-8")
    project = home / "Downloads" / "project"
    project.mkdir(parents=True)
    (project / "x.prompt.md").write_text("Make a posts table.\n", encoding="utf-8")
    done = run_cli("check", "--format", "json", "x.prompt.md", cwd=project, env={"HOME": str(home)})
    assert done.returncode in (0, 1), done.stderr
    [prompt] = json.loads(done.stdout)["files"][0]["prompts"]
    assert prompt["details"]["inherited"] == {}
    # with a .git of its own under that home, its own AGENTS.md is read as ever
    (project / ".git").mkdir()
    (project / "AGENTS.md").write_text("The data lives in PostgreSQL, through SQLAlchemy.\n", encoding="utf-8")
    done = run_cli("check", "--format", "json", "x.prompt.md", cwd=project, env={"HOME": str(home)})
    [prompt] = json.loads(done.stdout)["files"][0]["prompts"]
    assert prompt["details"]["inherited"]["technology"]["path"] == "AGENTS.md"


HOSTILE_PACK = """knowledge:
  categories:
    - id: api-endpoint
      details:
        - id: tracking
          title: "T\\e[2J\\u2028x"
          description: "D\\e]0;pwn\\a\\u202e"
          terms: [audit trail]
          completions:
            - {label: audit log, documentation: "Keep an audit log."}
          clause: {text: " X\\e]0;pwn\\a\\r\\n::error::forged {value}.", placeholder: "<p\\u202e>"}
"""


def test_a_hostile_pack_reaches_explain_and_expand_escaped(tmp_path: Path) -> None:
    """A pack's texts on the terminal (and in a CI log): no escape sequence, no bidi
    override, no line of their own (a line starting ::error:: is a workflow command)."""
    (tmp_path / ".promptcoach.yaml").write_text(HOSTILE_PACK, encoding="utf-8")
    runs = [
        run_cli("explain", "api-endpoint", cwd=tmp_path),
        run_cli("expand", "Create a REST API endpoint for users.", cwd=tmp_path),
        run_cli("expand", "--snippet", "Create a REST API endpoint for users.", cwd=tmp_path),
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert not any(char in done.stdout for char in "\x1b\x07\r\u2028\u202e"), done.stdout
        assert not any(line.startswith("::") for line in done.stdout.splitlines())
    assert "T\\x1b[2J x" in runs[0].stdout  # the title: escaped, its line separator a space
    assert "X\\x1b]0;pwn\\x07\\r\\n::error::forged" in runs[1].stdout


def test_the_state_it_in_agents_md_fix_never_writes_through_a_link(repo: Path) -> None:
    """AGENTS.md linked out of the project is not read, so it looked absent, and the fix
    offered to "create" it: a client skips the create (the path exists) and writes its
    line through the link, into the file outside."""
    from promptcoach.engine.analyze import Engine

    outside = repo.parent / "bashrc"
    outside.write_text("# a file of the user's\n", encoding="utf-8")
    (repo / "AGENTS.md").symlink_to(outside)
    analysis = Engine(root=repo).analyze("Make a posts table.\n", str(repo / "a.prompt.md"), explicit=True)
    targets = _file_edit_targets(analysis)
    assert not any(path.endswith("AGENTS.md") for path in targets), targets
    # without the link the fix is there: it creates AGENTS.md
    (repo / "AGENTS.md").unlink()
    analysis = Engine(root=repo).analyze("Make a posts table.\n", str(repo / "a.prompt.md"), explicit=True)
    assert any(path.endswith("AGENTS.md") for path in _file_edit_targets(analysis))


def _file_edit_targets(analysis) -> list[str]:
    """The files the fixes of ``analysis`` would edit besides the document."""
    fixes = [fix for item in analysis.prompts for finding in item.findings for fix in finding.fixes]
    return [edit.path for fix in fixes for edit in getattr(fix, "files", ())]


def test_a_pack_title_or_placeholder_is_text_in_the_stated_line(tmp_path: Path) -> None:
    """The line the fix adds to AGENTS.md: one line, and in its snippet form a pack's
    ${CLIPBOARD} or } is text, not snippet syntax."""
    from promptcoach.engine.rules.context_coverage import stated_line

    (tmp_path / ".promptcoach.yaml").write_text(
        "knowledge:\n"
        "  categories:\n"
        "    - id: database-schema\n"
        "      details:\n"
        "        - id: tracking\n"
        '          title: "Audit\\n$HOME ${CLIPBOARD}"\n'
        "          description: Which audit trail.\n"
        "          terms: [audit trail]\n"
        "          completions:\n"
        "            - {label: audit log, documentation: Keep one.}\n"
        '          clause: {text: " Keep an {value}.", placeholder: "x} ${TM_FILENAME} ${2:y}"}\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path / ".promptcoach.yaml")
    knowledge = config.knowledge(config.settings)
    plain, snippet = stated_line(knowledge, "database-schema", "tracking")
    assert plain == "- Audit $HOME ${CLIPBOARD}: x} ${TM_FILENAME} ${2:y}"
    assert snippet == "- Audit \\$HOME \\${CLIPBOARD\\}: ${1|audit log|}"  # (its choices)
