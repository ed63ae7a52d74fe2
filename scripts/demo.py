"""`make demo`: check the examples, expand the cheat sheet's five basic prompts and a longer one.

Findings are the point of the demo, so their exit status 1 is expected; the demo
fails only when a command fails to run (exit status 2 or worse).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASIC_PROMPTS = (
    "Make a posts table.",
    "API to get posts.",
    "Add user login.",
    "Process a new user signup.",
    "Get stock price data.",
)


LONGER_PROMPT = "Create a nightly cron job that deletes unverified accounts older than 30 days."


def promptcoach(*args: str) -> int:
    """Run the CLI as a user would and pass its output through."""
    print(f"$ promptcoach {' '.join(_quoted(arg) for arg in args)}", flush=True)
    status = subprocess.run([sys.executable, "-m", "promptcoach", *args], cwd=ROOT).returncode
    print(f"(exit status {status})\n", flush=True)
    return status


def _quoted(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg


def heading(title: str) -> None:
    print(f"{title}\n{'=' * len(title)}\n", flush=True)


def main() -> int:
    statuses = []
    heading("1. Checking the examples")
    print(
        "examples/AGENTS.md states the stack once (context-coverage tells what it leaves out);\n"
        "the vague drafts in examples/prompts/posts.prompt.md inherit it ('1 from examples/AGENTS.md');\n"
        "the lead-and-list prompt in examples/prompts/comments.prompt.md is complete, and the\n"
        "guidelines in examples/.github/instructions/api.instructions.md are no requests: neither gets a warning.\n"
    )
    statuses.append(promptcoach("check", "examples", "examples/src/billing.ts", "examples/app.py"))
    heading("1b. What a prompt inherits, as JSON")
    statuses.append(promptcoach("check", "--format", "json", "--fail-on", "error", "examples/prompts/posts.prompt.md"))
    heading("2. Expanding the five basic prompts of the cheat sheet")
    for prompt in BASIC_PROMPTS:
        statuses.append(promptcoach("expand", prompt))
    heading("3. The same expansion as a VS Code snippet")
    statuses.append(promptcoach("expand", "--snippet", BASIC_PROMPTS[0]))
    heading("4. A longer prompt keeps its words and gets the missing details")
    statuses.append(promptcoach("expand", LONGER_PROMPT))
    heading("5. A category card")
    statuses.append(promptcoach("explain", "api-endpoint"))
    broken = [status for status in statuses if status >= 2]
    if broken:
        print(f"demo: {len(broken)} command(s) failed", file=sys.stderr)
        return 1
    print("Demo finished: the findings above are what Prompt Coach coaches.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
