"""One version everywhere: pyproject.toml, the package and the VS Code manifest."""

import json
import re
from pathlib import Path

import promptcoach

ROOT = Path(__file__).resolve().parents[1]


def test_versions_agree():
    pyproject = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["version"]
    assert promptcoach.__version__ == pyproject == manifest
