"""Settings the engine runs with. Defaults here; `.promptcoach.yaml`, editor
settings and CLI flags all produce a :class:`Settings`."""

from __future__ import annotations

from typing import Any

from promptcoach.engine.record import Record

DEFAULT_INCLUDE = (
    "**/*.prompt.md",
    "**/*.prompt",
    "**/*.prompt.txt",
    "**/*.instructions.md",
    "**/.github/copilot-instructions.md",
    "**/AGENTS.md",
    "**/CLAUDE.md",
    "**/GEMINI.md",
    "**/.cursorrules",
    "**/.cursor/rules/*.mdc",
    "**/prompts/**/*.md",
)
# Instruction files: the project's standing context, read by the assistant with every
# request (docs/prompts.md); any .mdc file is
# a Cursor rule, wherever it is kept.
DEFAULT_INSTRUCTIONS = (
    "**/AGENTS.md",
    "**/CLAUDE.md",
    "**/GEMINI.md",
    "**/.github/copilot-instructions.md",
    "**/*.instructions.md",
    "**/.cursorrules",
    "**/*.mdc",
)
DEFAULT_EXCLUDE = (
    "**/node_modules/**",
    "**/.git/**",
    "**/.venv/**",
    "**/venv/**",
    "**/dist/**",
    "**/build/**",
    "**/__pycache__/**",
)
DEFAULT_MARKERS = ("prompt:", "ai:", "@ai", "TODO(ai):")
# Larger files (UTF-8 bytes) are not analysed: the file-too-large rule says so instead.
DEFAULT_MAX_FILE_SIZE = 1_000_000
# After this many findings in a file its later prompts are not checked (too-many-problems).
DEFAULT_MAX_PROBLEMS = 1000


class Settings(Record):
    """Immutable by convention: :meth:`replace` makes a changed copy."""

    __slots__ = _fields = (
        "include",
        "exclude",
        "instructions",
        "markers",
        "severities",
        "threshold",
        "assume_stack",
        "max_file_size",
        "max_problems",
        "glob_base",
    )

    def __init__(
        self,
        include: tuple[str, ...] = DEFAULT_INCLUDE,
        exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
        instructions: tuple[str, ...] = DEFAULT_INSTRUCTIONS,
        markers: tuple[str, ...] = DEFAULT_MARKERS,
        # rule id -> "error" | "warning" | "information" | "hint" | "off"
        severities: dict[str, str] | None = None,
        # below this share of named details, missing-detail is a warning
        threshold: float = 0.5,
        assume_stack: bool = False,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        max_problems: int = DEFAULT_MAX_PROBLEMS,  # 0: no limit
        # the directory relative include/exclude globs are relative to: that of the
        # configuration file in force; None (no file) matches each tail of a path
        glob_base: str | None = None,
    ) -> None:
        self.include = include
        self.exclude = exclude
        self.instructions = instructions
        self.markers = markers
        self.severities: dict[str, str] = {} if severities is None else severities
        self.threshold = threshold
        self.assume_stack = assume_stack
        self.max_file_size = max_file_size
        self.max_problems = max_problems
        self.glob_base = glob_base

    def replace(self, **changes: Any) -> Settings:
        """These settings with ``changes`` (field -> value) applied."""
        return Settings(**{**{name: getattr(self, name) for name in self._fields}, **changes})
