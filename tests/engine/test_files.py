"""Include/exclude globs and the directory walk (engine/files.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from promptcoach.engine import files
from promptcoach.engine.extract import document_kind
from promptcoach.engine.files import matches_any, walk
from promptcoach.engine.globs import GlobSet, compile_glob
from promptcoach.engine.settings import Settings

SETTINGS = Settings()


def is_prompt_file(path: str, settings: Settings) -> bool:
    """Read as a prompt file: an include glob matches it, and no exclude glob."""
    return document_kind(path, None, settings) == "prompt"


def is_excluded(path: str, settings: Settings) -> bool:
    """Not read at all (for the ``.md`` and ``.py`` files here: an exclude glob matches)."""
    return document_kind(path, None, settings) is None


@pytest.mark.parametrize(
    "pattern,path,expected",
    [
        ("**/AGENTS.md", "AGENTS.md", True),
        ("**/AGENTS.md", "a/b/AGENTS.md", True),
        ("**/AGENTS.md", "a/xAGENTS.md", False),
        ("prompts/**/*.md", "prompts/a.md", True),
        ("prompts/**/*.md", "prompts/x/y/a.md", True),
        ("prompts/**/*.md", "other/prompts/a.md", False),
        ("**/prompts/**/*.md", "other/prompts/a.md", True),
        ("*.prompt", "deep/dir/task.prompt", True),
        ("*.prompt", "task.prompt.md", False),
        ("src/*.py", "src/a.py", True),
        ("src/*.py", "src/sub/a.py", False),
        ("/top.md", "top.md", True),
        ("/top.md", "sub/top.md", False),
        ("./docs/*.md", "docs/a.md", True),
        ("docs/", "docs", True),
        ("file?.md", "file1.md", True),
        ("file?.md", "file12.md", False),
        ("file[0-9].md", "file7.md", True),
        ("file[!0-9].md", "file7.md", False),
        ("*.{md,txt}", "a/b.txt", True),
        ("*.{md,txt}", "a/b.py", False),
        ("**/node_modules/**", "node_modules/x/y.md", True),
        ("**/node_modules/**", "a/node_modules/y.md", True),
        ("**/.cursor/rules/*.mdc", ".cursor/rules/db.mdc", True),
        ("**", "anything/at/all", True),
        ("a/**", "a/b/c", True),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("*", "a/b", True),
        ("x+y(1).md", "x+y(1).md", True),
    ],
)
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert bool(compile_glob(pattern).match(path)) is expected


def test_globset_and_directory_pruning() -> None:
    exclude = GlobSet(Settings().exclude)
    assert exclude.excludes_directory("node_modules")
    assert exclude.excludes_directory("a/b/.git")
    assert not exclude.excludes_directory("src")
    only_js = GlobSet(["**/vendor/*.js"])
    assert not only_js.excludes_directory("vendor")  # other files below vendor still count
    assert GlobSet(["vendor"]).excludes_directory("x/vendor")
    assert not GlobSet([]).match("anything")


def test_prompt_files_are_included_and_not_excluded() -> None:
    assert is_prompt_file("prompts/posts.md", SETTINGS)
    assert is_prompt_file(".github/copilot-instructions.md", SETTINGS)
    assert not is_prompt_file("docs/posts.md", SETTINGS)
    assert not is_prompt_file("node_modules/pkg/AGENTS.md", SETTINGS)
    assert is_excluded("dist/AGENTS.md", SETTINGS)


def test_absolute_and_windows_paths() -> None:
    assert matches_any("/home/me/project/AGENTS.md", SETTINGS.include)
    assert matches_any("C:\\work\\repo\\prompts\\a.md", SETTINGS.include)
    assert matches_any("/home/me/project/docs/a.md", ("docs/*.md",))
    assert matches_any("./prompts/a.md", SETTINGS.include)


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")


def test_walk_yields_prompt_and_source_files_sorted(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        [
            "AGENTS.md",
            "README.md",
            "notes.txt",
            "image.png",
            "b.py",
            "a.ts",
            "prompts/z.md",
            "prompts/a/b.md",
            ".cursorrules",
            ".github/copilot-instructions.md",
            "node_modules/pkg/index.js",
            "node_modules/AGENTS.md",
            ".git/config",
            "src/app.go",
            "src/Dockerfile",
            "build/out.js",
            "docs/guide.md",
        ],
    )
    found = [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path, SETTINGS)]
    assert found == [
        ".cursorrules",
        ".github/copilot-instructions.md",
        "AGENTS.md",
        "README.md",
        "a.ts",
        "b.py",
        "docs/guide.md",
        "prompts/a/b.md",
        "prompts/z.md",
        "src/Dockerfile",
        "src/app.go",
    ]


def test_walk_never_enters_excluded_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path, ["node_modules/a/b/c.js", "src/a.py", "x/.venv/lib/site.py"])
    visited: list[str] = []
    real_scandir = os.scandir

    def recording_scandir(path):
        visited.append(Path(path).relative_to(tmp_path).as_posix())
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", recording_scandir)
    assert [p.name for p in walk(tmp_path, SETTINGS)] == ["a.py"]
    assert sorted(visited) == [".", "src", "x"]


def test_walk_custom_excludes_and_a_file_root(tmp_path: Path) -> None:
    make_tree(tmp_path, ["gen/a.py", "keep/b.py", "keep/c_test.py"])
    settings = Settings(exclude=("gen", "*_test.py"))
    assert [p.name for p in walk(tmp_path, settings)] == ["b.py"]
    assert list(walk(tmp_path / "gen" / "a.py", settings)) == [tmp_path / "gen" / "a.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_walk_does_not_follow_directory_links(tmp_path: Path) -> None:
    make_tree(tmp_path, ["real/a.py"])
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path, SETTINGS)] == ["real/a.py"]


def test_glob_path_is_relative_to_the_base(tmp_path: Path) -> None:
    base = str(tmp_path)
    assert files.glob_path(str(tmp_path / "docs" / "a.md"), base) == "docs/a.md"
    assert files.glob_path(str(tmp_path / "docs" / ".." / "src" / "b.py"), base) == "src/b.py"
    assert files.glob_path(str(tmp_path), base) == ""
    outside = str(tmp_path.parent / "elsewhere" / "a.md")
    assert files.glob_path(outside, base) == outside  # not below the base: matched as given
    assert files.glob_path("docs/a.md", None) == "docs/a.md"
    assert files.glob_path(str(tmp_path / "docs" / "a.md"), None) == str(tmp_path / "docs" / "a.md")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_glob_path_sees_through_a_linked_directory(tmp_path: Path) -> None:
    make_tree(tmp_path, ["real/docs/a.md"])
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    base = str(tmp_path / "real")
    assert files.glob_path(str(tmp_path / "link" / "docs" / "a.md"), base) == "docs/a.md"


def test_globs_of_a_config_file_are_relative_to_its_directory(tmp_path: Path) -> None:
    """Anchored globs match below the configuration's directory only (``legacy/**`` is
    ``<base>/legacy``, not ``<base>/src/legacy``); without a base every tail of an
    absolute path is tried, as before."""
    from promptcoach.engine.extract import document_kind

    settings = Settings(include=("docs/prompts/**/*.md",), exclude=("legacy/**",), glob_base=str(tmp_path))
    assert document_kind(str(tmp_path / "docs/prompts/a.md"), None, settings) == "prompt"
    assert document_kind(str(tmp_path / "x/docs/prompts/a.md"), None, settings) == "source"
    assert document_kind(str(tmp_path / "legacy/y.py"), None, settings) is None
    assert document_kind(str(tmp_path / "src/legacy/z.py"), None, settings) == "source"
    assert is_prompt_file(str(tmp_path / "docs/prompts/a.md"), settings)
    assert not is_prompt_file(str(tmp_path / "x/docs/prompts/a.md"), settings)
    unbased = Settings(include=settings.include, exclude=settings.exclude)
    assert document_kind(str(tmp_path / "x/docs/prompts/a.md"), None, unbased) == "prompt"


def test_walk_matches_globs_against_the_base_of_the_settings(tmp_path: Path) -> None:
    make_tree(tmp_path, ["docs/prompts/a.md", "docs/prompts/old/b.md", "legacy/y.py", "src/legacy/z.py", "notes.txt"])
    settings = Settings(
        include=("docs/prompts/**/*.md",), exclude=("docs/prompts/old/**", "legacy/**"), glob_base=str(tmp_path)
    )
    names = lambda root: sorted(p.relative_to(tmp_path).as_posix() for p in walk(root, settings))  # noqa: E731
    assert names(tmp_path) == ["docs/prompts/a.md", "src/legacy/z.py"]
    assert names(tmp_path / "docs") == ["docs/prompts/a.md"]
    assert names(tmp_path / "legacy") == []
    assert names(tmp_path / "src") == ["src/legacy/z.py"]


def test_walk_without_a_base_matches_every_tail(tmp_path: Path) -> None:
    """No configuration file: ``**/prompts/**`` is seen from inside ``prompts`` too."""
    make_tree(tmp_path, ["prompts/a.txt", "prompts/sub/b.txt", "c.txt"])
    settings = Settings(include=("**/prompts/**/*.txt",))
    assert [p.name for p in walk(tmp_path / "prompts", settings)] == ["a.txt", "b.txt"]
    assert [p.name for p in walk(tmp_path / "prompts" / "sub", settings)] == ["b.txt"]


def test_a_config_file_is_the_base_of_its_settings(tmp_path: Path) -> None:
    from promptcoach.engine.config import load_config

    (tmp_path / ".promptcoach.yaml").write_text("exclude: [legacy/**]\n", encoding="utf-8")
    config = load_config(tmp_path / ".promptcoach.yaml")
    assert config.settings.glob_base == str(tmp_path.resolve())
    assert config.apply_to(Settings(include=("*.md",))).glob_base == str(tmp_path.resolve())


def test_walk_takes_the_settings_of_each_directory(tmp_path: Path) -> None:
    """``settings`` may be a function of the directory: each directory's files (and
    whether its subdirectories are entered) follow the settings in force there."""
    make_tree(tmp_path, ["a/x.md", "a/gen/y.py", "b/x.md", "b/gen/y.py"])
    own = Settings(include=("*.md",), exclude=("gen",), glob_base=str(tmp_path / "a"))
    asked: list[str] = []

    def settings_for(directory: str) -> Settings:
        asked.append(Path(directory).relative_to(tmp_path).as_posix())
        return own if Path(directory).name == "a" else SETTINGS

    found = [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path, settings_for)]
    assert found == ["a/x.md", "b/gen/y.py", "b/x.md"]
    assert sorted(asked) == [".", "a", "b", "b/gen"]  # a/gen is excluded by a's settings: never entered


def test_walk_reports_a_directory_it_cannot_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``on_error`` is called with the OSError of a directory that cannot be listed (as
    ``os.walk``'s ``onerror``); the walk goes on with the rest. Without it, such a
    directory is skipped."""
    make_tree(tmp_path, ["a/x.py", "locked/y.py", "z.py"])
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    errors: list[OSError] = []
    found = [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path, SETTINGS, on_error=errors.append)]
    assert found == ["a/x.py", "z.py"]
    assert [(Path(e.filename).name, e.strerror) for e in errors] == [("locked", "Permission denied")]
    assert [p.name for p in walk(tmp_path, SETTINGS)] == ["x.py", "z.py"]


def test_walk_reports_settings_that_cannot_be_found(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a/x.py", "b/y.py"])

    def settings_for(directory: str) -> Settings:
        if Path(directory).name == "b":
            raise PermissionError(13, "Permission denied", os.path.join(directory, ".promptcoach.yaml"))
        return SETTINGS

    errors: list[OSError] = []
    assert [p.name for p in walk(tmp_path, settings_for, on_error=errors.append)] == ["x.py"]
    assert [Path(e.filename).name for e in errors] == [".promptcoach.yaml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_walk_yields_regular_files_only(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.prompt.md"])
    os.mkfifo(tmp_path / "f.prompt.md")
    (tmp_path / "link.prompt.md").symlink_to("f.prompt.md")
    (tmp_path / "loop.prompt.md").symlink_to("loop.prompt.md")
    assert [p.name for p in walk(tmp_path, SETTINGS)] == ["a.prompt.md"]


def test_without_a_base_no_tail_starts_above_the_repository(tmp_path: Path) -> None:
    """A checkout in a directory called ``build`` (as CI systems make them) is not excluded
    by ``**/build/**``: the tails of a path start at its repository's root at the highest."""
    make_tree(
        tmp_path,
        ["build/repo/.git/HEAD", "build/repo/prompts/a.md", "build/repo/build/out.md", "build/plain/prompts/b.md"],
    )
    repo = tmp_path / "build" / "repo"
    assert not is_excluded(str(repo / "prompts" / "a.md"), SETTINGS)
    assert is_prompt_file(str(repo / "prompts" / "a.md"), SETTINGS)
    assert is_excluded(str(repo / "build" / "out.md"), SETTINGS)
    assert is_excluded(str(tmp_path / "build" / "plain" / "prompts" / "b.md"), SETTINGS)  # no repository: every tail
    assert [p.name for p in walk(repo, SETTINGS)] == ["a.md"]


def test_outside_a_repository_no_tail_starts_above_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    """A build context without ``.git`` under a directory called ``build`` (a Docker build,
    say), checked from inside: the tails start at the current directory."""
    make_tree(tmp_path, ["build/proj/x.prompt.md", "build/proj/prompts/a.md", "build/proj/build/out.md"])
    project = tmp_path / "build" / "proj"
    monkeypatch.chdir(project)
    assert is_prompt_file(str(project / "prompts" / "a.md"), SETTINGS)
    assert is_excluded(str(project / "build" / "out.md"), SETTINGS)  # its own build output still is
    assert [p.name for p in walk(project, SETTINGS)] == ["a.md", "x.prompt.md"]
