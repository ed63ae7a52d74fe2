"""SECURITY.md names, for each guarantee, the test that holds it: every test file and
test function it names exists (a renamed or deleted test must take the claim along)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"`(tests/[\w/.-]+\.py)(?:::(\w+))?")


def test_every_test_security_md_names_exists():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    references = REFERENCE.findall(text)
    assert len(references) >= 15
    for path, name in references:
        source = ROOT / path
        assert source.is_file(), path
        if name:
            assert re.search(rf"^(async )?def {name}\(", source.read_text(encoding="utf-8"), re.M), f"{path}::{name}"


def test_every_guarantee_row_names_a_test():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    table = text.split("## Guarantees and the tests that hold them", 1)[1].split("\n## ", 1)[0]
    rows = [
        line for line in table.splitlines() if line.startswith("| ") and not line.startswith(("| guarantee", "| ---"))
    ]
    assert len(rows) >= 9
    for row in rows:
        assert "`tests/" in row.rsplit("|", 2)[-2], row[:80]
