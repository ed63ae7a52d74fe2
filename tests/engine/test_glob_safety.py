"""Glob matching is bounded: no glob can make matching backtrack catastrophically,
and the non-backtracking matcher keeps the semantics of the regex translation."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time

import pytest

from promptcoach.engine.files import matches_any
from promptcoach.engine.globs import MAX_GLOB_LENGTH, GlobSet, compile_glob

PATHOLOGICAL = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"


def test_pathological_glob_is_fast() -> None:
    # In a fresh interpreter (no warm caches); the old regex took seconds at 27 characters.
    code = (
        "import time\n"
        "from promptcoach.engine.globs import compile_glob, GlobSet\n"
        "start = time.perf_counter()\n"
        f"glob = compile_glob({PATHOLOGICAL!r})\n"
        "results = [glob.match('a' * 40), glob.match('a' * 40 + 'b'), GlobSet([glob.glob]).match('a' * 2000)]\n"
        "print(results, time.perf_counter() - start)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    results, seconds = done.stdout.rsplit(" ", 1)
    assert results == "[False, True, False]"
    assert float(seconds) < 0.5


@pytest.mark.parametrize(
    "pattern",
    [
        PATHOLOGICAL,
        "**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b",
        "*{a,aa}*{a,aa}*{a,aa}*{a,aa}*{a,aa}*{a,aa}*b",
        "{a,b}" * 60 + "c",  # 2**60 alternatives if expanded
        "?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*/x",
    ],
)
def test_hard_globs_stay_fast(pattern: str) -> None:
    glob = compile_glob(pattern)
    start = time.perf_counter()
    for path in ("a" * 60, "a/" * 30, "a" * 300 + "/a", "ab" * 30 + "a"):
        assert not glob.match(path)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.prompt.md", "a.prompt.md", True),
        ("*.prompt.md", "deep/dir/a.prompt.md", True),  # no "/": any depth
        ("*.prompt.md", "a.prompt.mdx", False),
        ("*.prompt.md", "a.md", False),
        ("prompts/**/*.md", "prompts/a.md", True),
        ("prompts/**/*.md", "prompts/x/y/a.md", True),
        ("prompts/**/*.md", "other/prompts/a.md", False),
        ("prompts/**/*.md", "prompts/a.txt", False),
        ("**/x", "x", True),
        ("**/x", "a/b/x", True),
        ("**/x", "a/bx", False),
        (".cursor/rules/*.mdc", ".cursor/rules/db.mdc", True),
        (".cursor/rules/*.mdc", ".cursor/rules/sub/db.mdc", False),
        (".cursor/rules/*.mdc", "a/.cursor/rules/db.mdc", False),
        ("/anchored.md", "anchored.md", True),
        ("/anchored.md", "sub/anchored.md", False),
        ("anchored.md", "sub/anchored.md", True),
        ("{a,b}.md", "a.md", True),
        ("{a,b}.md", "x/b.md", True),
        ("{a,b}.md", "c.md", False),
        ("{a,b}.md", "ab.md", False),
        ("{,x}.md", ".md", True),
        ("[abc].md", "b.md", True),
        ("[abc].md", "d.md", False),
        ("[abc].md", "ab.md", False),
        ("[a-c].md", "c.md", True),
        ("[!a].md", "b.md", True),
        ("[!a].md", "a.md", False),
        ("x[!a]y", "x/y", False),  # a negated class never matches "/"
        ("?", "a", True),
        ("?", "ab", False),
        ("?", "dir/a", True),
        ("/?", "dir/a", False),
        ("a/?/b", "a/x/b", True),
        ("a/?/b", "a/xy/b", False),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**/b", "a/x/y/c", False),
        ("a/**/b", "ab", False),
        ("a/x**/b", "a/xyz/b", True),  # "**" inside a part is "*"
        ("a/x**/b", "a/x/y/b", False),
        ("a/**", "a/b/c", True),
        ("a/**", "b/a/c", False),
        ("*a*a*a*b", "aaab", True),
        ("*a*a*a*b", "aab", False),
        ("*", "", True),
        ("x", "", False),
        ("[z-a].md", None, ValueError),
    ],
)
def test_glob_table(pattern: str, path: str | None, expected) -> None:
    if expected is ValueError:
        with pytest.raises(ValueError, match="character class"):
            compile_glob(pattern)
        return
    assert compile_glob(pattern).match(path) is expected
    assert GlobSet(["nothing-matches-this", pattern]).match(path) is expected


def test_directories_excluded() -> None:
    exclude = GlobSet(["**/node_modules/**", "build", "/out/**", "**/vendor/*.js", "cache/"])
    assert exclude.excludes_directory("node_modules")
    assert exclude.excludes_directory("a/b/node_modules")
    assert exclude.excludes_directory("build")
    assert exclude.excludes_directory("x/build")
    assert exclude.excludes_directory("out")
    assert not exclude.excludes_directory("x/out")
    assert not exclude.excludes_directory("vendor")  # only the .js files below it
    assert exclude.excludes_directory("x/cache")
    assert not exclude.excludes_directory("src")
    assert not exclude.excludes_directory("node_modules_x")


def test_too_long_glob_is_a_clear_error() -> None:
    compile_glob("a" * MAX_GLOB_LENGTH)
    with pytest.raises(ValueError, match=rf"glob is too long: {MAX_GLOB_LENGTH + 1} characters"):
        compile_glob("a" * (MAX_GLOB_LENGTH + 1))
    with pytest.raises(ValueError, match="glob is too long"):
        matches_any("a.md", ("x" * 1000,))


# The translation before the non-backtracking matcher, kept as the reference.
def _reference_translate(pattern: str) -> str:
    out: list[str] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "*":
            if pattern.startswith("**", index):
                at_part_start = index == 0 or pattern[index - 1] == "/"
                index += 2
                if at_part_start and pattern.startswith("/", index):
                    out.append("(?:.*/)?")
                    index += 1
                elif at_part_start and index == length:
                    out.append(".*")
                else:
                    out.append("[^/]*")
                continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = pattern.find("]", index + 2)
            if close < 0:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : close]
                negate = body.startswith("!")
                body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
                out.append(f"[{'^/' if negate else ''}{body}]")
                index = close
        elif char == "{":
            close = pattern.find("}", index)
            if close < 0:
                out.append(re.escape(char))
            else:
                options = pattern[index + 1 : close].split(",")
                out.append("(?:" + "|".join(_reference_translate(option) for option in options) + ")")
                index = close
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def _reference(pattern: str) -> re.Pattern:
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = pattern.startswith("/")
    pattern = pattern.strip("/")
    if not anchored and "/" not in pattern:
        pattern = "**/" + pattern
    return re.compile(_reference_translate(pattern) + r"\Z", re.S)


def test_same_answers_as_the_regex_translation() -> None:
    rng = random.Random(20240611)
    glob_pieces = [
        "a",
        "b",
        ".",
        "/",
        "*",
        "**",
        "**/",
        "?",
        "[ab]",
        "[!a]",
        "[a-",
        "{a,b/}",
        "{,a*}",
        "{",
        "}",
        "]",
        "./",
    ]
    path_chars = "ab./x"
    for _ in range(3000):
        pattern = "".join(rng.choice(glob_pieces) for _ in range(rng.randint(1, 7)))
        try:
            reference = _reference(pattern)
        except re.error:
            with pytest.raises(ValueError, match="bad character class"):
                compile_glob(pattern)
            continue
        glob = compile_glob(pattern)
        assert glob.pattern == reference.pattern
        globs = GlobSet([pattern, "zzz"])
        for _ in range(12):
            path = "".join(rng.choice(path_chars) for _ in range(rng.randint(0, 8)))
            expected = reference.match(path) is not None
            assert glob.match(path) is expected, (pattern, path)
            assert globs.match(path) is expected, (pattern, path)
            assert globs.excludes_directory(path) is (expected or reference.match(path + "/\x00") is not None), (
                pattern,
                path,
            )
