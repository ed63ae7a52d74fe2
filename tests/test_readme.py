"""The README's first screen shows the product, every relative link in the documentation
leads somewhere, and no page refers to files outside the repository."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RULE_DOCS = ROOT / "server" / "promptcoach" / "knowledge" / "rules"
PAGES = sorted([README, ROOT / "SECURITY.md", *(ROOT / "docs").glob("**/*.md"), *RULE_DOCS.glob("*.md")])

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def _ids(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _prose(text: str) -> str:
    """The text without fenced code blocks (headings and links in them are code)."""
    return FENCE.sub("", text)


def _anchors(page: Path) -> set[str]:
    """The heading anchors GitHub makes: lower case, punctuation dropped, spaces as
    hyphens, and -1, -2 ... after a repeated one."""
    seen: dict[str, int] = {}
    anchors = set()
    for heading in HEADING.findall(_prose(page.read_text(encoding="utf-8"))):
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _links(page: Path) -> list[str]:
    prose = INLINE_CODE.sub("", _prose(page.read_text(encoding="utf-8")))
    return LINK.findall(prose)


def test_the_first_screen_shows_what_a_picture_install_and_the_commands():
    first = "\n".join(README.read_text(encoding="utf-8").splitlines()[:40])
    assert first.startswith("# Prompt Coach\n")
    assert "prompts you write for AI coding assistants" in first  # what it does
    pictures = re.findall(r"!\[[^\]]+\]\((docs/screenshots/[^)]+\.png)\)", first)
    assert pictures, "no screenshot in the first 40 lines"
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture
    for install in (".vsix", "make vsix", "pip install .", "pipx install .", "docs/editors.md"):
        assert install in first, install
    for command in ("promptcoach check", 'promptcoach expand "Make a posts table."'):
        assert command in first, command


def test_the_readme_example_is_what_expand_prints():
    readme = README.read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| Make a posts table. |"))
    specific = row.strip("| ").split(" | ")[-1].replace("\\<", "<").replace("\\>", ">")
    done = subprocess.run(
        [sys.executable, "-m", "promptcoach", "expand", "--no-config", "Make a posts table."],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == specific


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_every_relative_link_leads_to_a_file_and_heading(page):
    for target in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{_ids(page)}: {target} does not exist"
        assert file.is_relative_to(ROOT), f"{_ids(page)}: {target} is outside the repository"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file), f"{_ids(page)}: {target} names no heading of {file.name}"


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_no_page_refers_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    for outside in (re.compile(r"\.\./shared"), re.compile(r"\bSPEC\b"), re.compile(r"cheat sheet in \.\./")):
        found = outside.search(text)
        assert found is None, f"{_ids(page)}: {text[max(0, found.start() - 40) : found.end() + 40]!r}"


def test_the_checks_see_the_pages():
    names = {_ids(page) for page in PAGES}
    assert {
        "README.md",
        "SECURITY.md",
        "docs/cli.md",
        "docs/editors.md",
        "docs/configuration.md",
        "docs/performance.md",
        "docs/rules.md",
    } <= names
    assert len(_links(README)) >= 10
    assert "vs-code" in _anchors(ROOT / "docs" / "editors.md")
