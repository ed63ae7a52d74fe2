"""Every configuration example in the documentation is one the loader accepts: a
fenced YAML block that starts with ``# .promptcoach.yaml`` (or ``# file: NAME``) is
written to a project with the other files its page names, then loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from promptcoach.engine.config import load_config
from promptcoach.engine.knowledge.loader import load_pack

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [
        ROOT / "README.md",
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "server" / "promptcoach" / "knowledge" / "rules").glob("*.md"),
    ]
)
FENCE = re.compile(r"^```ya?ml\n(.*?)^```", re.M | re.S)
NAMED = re.compile(r"^#\s*(?:file:\s*)?(\S+\.ya?ml)\s*$")


def _examples(page: Path) -> dict[str, str]:
    files = {}
    for block in FENCE.findall(page.read_text(encoding="utf-8")):
        first = block.splitlines()[0] if block.strip() else ""
        named = NAMED.match(first)
        if named:
            files.setdefault(named.group(1), "")
            files[named.group(1)] += block  # a page may show one file in parts
    return files


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_configuration_examples_load(page, tmp_path):
    files = _examples(page)
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in files:
        if Path(name).name == ".promptcoach.yaml":
            load_config(tmp_path / name)  # raises DataError (file:line: why) on a wrong example
        elif name.startswith(("packs/", "knowledge/")):
            load_pack(tmp_path / name)


def test_the_pages_have_examples():
    assert sum(len(_examples(page)) for page in PAGES) >= 8
