"""The rules' texts and vocabularies, read once from ``knowledge/rules/*.yaml``.

Every file is validated against ``schemas/rules.schema.json``; the files are merged
(``rules`` by id, top-level sections from one file each), so a vocabulary can live
in its own file without any file knowing about the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from promptcoach.engine.yamldata import DataError, load_yaml_file

RULES_DIR = Path(__file__).resolve().parent.parent.parent / "knowledge" / "rules"


@dataclass(frozen=True)
class RuleMeta:
    id: str
    title: str
    severity: str
    summary: str
    messages: dict[str, str]
    docs_url: str

    def message(self, key: str, **values: Any) -> str:
        return self.messages[key].format(**values)  # templates are whitespace-normalised on load


@dataclass(frozen=True)
class RuleTexts:
    rules: dict[str, RuleMeta]
    sections: dict[str, Any]  # vague_terms, hardcoded_secret, plaintext_password, empty_prompt

    def section(self, name: str) -> Any:
        return self.sections[name]


def load_rule_texts(directory: Path = RULES_DIR) -> RuleTexts:
    """Read and merge every ``*.yaml`` file of ``directory``; raises :class:`DataError`."""
    base_url = None
    raw_rules: dict[str, dict[str, Any]] = {}
    sections: dict[str, Any] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = (
            load_yaml_file(path, "rules", shown_as=f"knowledge/rules/{path.name}", builtin=directory == RULES_DIR) or {}
        )
        for key, value in data.items():
            if key == "rules":
                for rule_id, rule in value.items():
                    if rule_id in raw_rules:
                        raise DataError(path.name, None, f"rule {rule_id!r} is defined twice")
                    raw_rules[rule_id] = rule
            elif key == "docs_base_url":
                base_url = value
            elif key in sections:
                raise DataError(path.name, None, f"section {key!r} is defined in two files")
            else:
                sections[key] = value
    if base_url is None:
        raise DataError(str(directory), None, "no file sets docs_base_url")
    rules = {
        rule_id: RuleMeta(
            id=rule_id,
            title=rule["title"],
            severity=rule["severity"],
            summary=" ".join(rule["summary"].split()),
            messages={key: " ".join(text.split()) for key, text in rule["messages"].items()},
            docs_url=f"{base_url}{rule_id}.md",
        )
        for rule_id, rule in raw_rules.items()
    }
    return RuleTexts(rules, sections)


@lru_cache(maxsize=1)
def rule_texts() -> RuleTexts:
    """The built-in rule texts, loaded on first use."""
    return load_rule_texts()
