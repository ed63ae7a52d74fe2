"""The rules' pages: one Markdown file per rule, ``knowledge/rules/<rule id>.md``.

A page holds everything about its rule but the code: YAML front matter between
``---`` lines with its title, default severity, summary, message texts and its own
vocabulary (validated against ``schemas/rules.schema.json``), then its documentation,
which ``promptcoach explain RULE`` prints and diagnostics link to. A vocabulary (a
section such as ``vague_terms``) belongs to one page.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.yamldata import DataError, load_builtin, load_yaml, read_data_text

RULES_DIR = Path(__file__).resolve().parent.parent.parent / "knowledge" / "rules"
# where each page is read on the web (the links of diagnostics, SARIF and ``explain``)
DOCS_BASE_URL = "https://github.com/promptcoach/promptcoach/blob/main/server/promptcoach/knowledge/rules/"
_META_KEYS = ("title", "severity", "summary", "messages")
_RULE_ID = regexcache.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class RuleMeta(NamedTuple):
    id: str
    title: str
    severity: str
    summary: str
    messages: dict[str, str]
    docs_url: str
    documentation: str = ""  # the page's Markdown, after the front matter

    def message(self, key: str, **values: Any) -> str:
        return self.messages[key].format(**values)  # templates are whitespace-normalised on load


class RuleTexts(NamedTuple):
    rules: dict[str, RuleMeta]
    sections: dict[str, Any]  # vague_terms, hardcoded_secret, plaintext_password, empty_prompt

    def section(self, name: str) -> Any:
        return self.sections[name]


def load_rule_texts(directory: Path = RULES_DIR) -> RuleTexts:
    """Read every rule page (``*.md``) of ``directory``; raises :class:`DataError`."""
    rules: dict[str, RuleMeta] = {}
    sections: dict[str, Any] = {}
    for path in sorted(directory.glob("*.md")):
        shown = f"knowledge/rules/{path.name}"
        if not _RULE_ID.fullmatch(path.stem):
            raise DataError(shown, None, "a rule page is named after its rule id (lower-case words joined by '-')")
        front, documentation = split_page(read_data_text(path, shown), shown)
        data = load_builtin(front, shown, "rules") if directory == RULES_DIR else load_yaml(front, shown, "rules")
        for key, value in data.items():
            if key in _META_KEYS:
                continue
            if key in sections:
                raise DataError(path.name, None, f"section {key!r} is defined in two files")
            sections[key] = value
        rules[path.stem] = RuleMeta(
            id=path.stem,
            title=data["title"],
            severity=data["severity"],
            summary=" ".join(data["summary"].split()),
            messages={key: " ".join(text.split()) for key, text in data["messages"].items()},
            docs_url=f"{DOCS_BASE_URL}{path.name}",
            documentation=documentation,
        )
    return RuleTexts(rules, sections)


def split_page(text: str, shown: str) -> tuple[str, str]:
    """The front matter of a rule page, as YAML whose line numbers are the page's (its
    first ``---`` line left blank), and the Markdown after it."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise DataError(shown, 1, "a rule page starts with front matter: a line '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        raise DataError(shown, 1, "the front matter has no closing line '---'")
    return "\n" + "\n".join(lines[1:end]) + "\n", "\n".join(lines[end + 1 :])


@lru_cache(maxsize=1)
def rule_texts() -> RuleTexts:
    """The built-in rule texts, loaded on first use."""
    return load_rule_texts()
