"""context-coverage: once per instruction file, which project-wide key details the
project's context states and which it leaves out.

Prompts inherit what the context states (engine/context.py): an AGENTS.md that names
the database, the framework and the auth provider saves every prompt from repeating
them. The finding sits on the file's first line of text and has one fix per detail
left out, adding a line for it at the end of the file (with a choice list where the
client takes snippets). A file that states no project-wide detail at all (rules for a
front end, say) gets nothing: its project may have no backend to describe.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptcoach.engine.model import Edit, FileEdit, Finding, Fix
from promptcoach.engine.positions import utf16_length
from promptcoach.engine.rules.base import Rule, resolve_severity
from promptcoach.engine.statements import Statement, manifest_statements, project_details, stated_by_prompts

if TYPE_CHECKING:
    from promptcoach.engine.extract import PromptSequence

RULE_ID = "context-coverage"


def _no_prompt_findings(ctx: Any, severity: str) -> list[Finding]:
    return []  # a rule of whole instruction files, see coverage_findings


RULE = Rule(RULE_ID, _no_prompt_findings, gate=lambda ctx, words: False, scope="document")


def coverage_findings(engine: Any, text: str, path: str, prompts: PromptSequence) -> list[Finding]:
    """The context-coverage finding of the instruction file ``path`` (0 or 1)."""
    severity = resolve_severity(RULE, engine.settings)
    if severity is None or not text.strip():
        return []
    knowledge = engine.knowledge
    project = engine.project_context(path)
    shown = (project.relative(path) if project is not None else None) or Path(path).name
    own = stated_by_prompts(text, prompts, shown, knowledge)
    if not own:
        return []
    stated: dict[tuple[str, str], Statement] = {}
    others = [s for item in project.files_for(path) for s in item.statements] if project is not None else []
    for statement in (*own, *others, *manifest_statements(engine.stack, knowledge)):
        stated.setdefault((statement.category, statement.detail), statement)
    wanted = [(c, d) for c, details in project_details(knowledge).items() for d in details]
    missing = [pair for pair in wanted if pair not in stated]
    meta = RULE.meta
    names = [f"{_title(knowledge, c, d)} ({stated[(c, d)].text})" for c, d in wanted if (c, d) in stated]
    message = meta.message(
        "message",
        stated=len(wanted) - len(missing),
        total=len(wanted),
        names=", ".join(names),
        missing=", ".join(_title(knowledge, c, d) for c, d in missing) or "-",
    )
    start, end = _first_line(text)
    data = {
        "stated": {f"{c}.{d}": {"path": s.path, "line": s.line, "text": s.text} for (c, d), s in stated.items()},
        "missing": [f"{c}.{d}" for c, d in missing],
    }
    fixes = tuple(_state_fix(meta, knowledge, c, d, text, Path(path).name) for c, d in missing) if engine.fixes else ()
    return [Finding(RULE_ID, severity, message, start, end, data, fixes)]


def _title(knowledge: Any, category: str, detail: str) -> str:
    found = knowledge.category(category).detail(detail)
    title = found.title if found is not None else detail
    return title[0].lower() + title[1:] if len(title) > 1 and title[1].islower() else title


def stated_line(knowledge: Any, category: str, detail: str) -> tuple[str, str]:
    """The line that states a detail, as plain text (with the detail's placeholder) and
    as a snippet (its choices as a choice list)."""
    from promptcoach.engine.snippet import escape_choice, escape_text

    found = knowledge.category(category).detail(detail)
    # a knowledge pack's texts: on one line (a line break would add lines of its own to
    # the file), and escaped in the snippet (``${CLIPBOARD}`` in a title is text)
    title = " ".join((found.title if found is not None else detail).split())
    placeholder = " ".join((found.clause.placeholder if found is not None else f"<{detail}>").split())
    choices = found.choices[:12] if found is not None else ()
    plain = f"- {title}: {placeholder}"
    if choices:
        return plain, f"- {escape_text(title)}: ${{1|{','.join(escape_choice(c) for c in choices)}|}}"
    return plain, f"- {escape_text(title)}: ${{1:{escape_text(placeholder)}}}"


def _state_fix(meta: Any, knowledge: Any, category: str, detail: str, text: str, name: str) -> Fix:
    plain, snippet = stated_line(knowledge, category, detail)
    lead = "" if not text or text.endswith("\n") else "\n"
    end = len(text)
    return Fix(
        meta.message("fix", detail=_title(knowledge, category, detail), file=name),
        (Edit(end, end, f"{lead}{plain}\n", f"{lead}{snippet}\n"),),
    )


def state_elsewhere_fix(knowledge: Any, category: str, detail: str, target: Path, exists: bool) -> Fix | None:
    """ "State the database technology in AGENTS.md": a line added to the project's
    instruction file (created when there is none), so every prompt inherits the detail."""
    from promptcoach.engine.safe_files import read_inside

    meta = RULE.meta
    plain, _ = stated_line(knowledge, category, detail)
    if exists:
        text = read_inside(target, target.parent)
        if text is None:
            return None
        lines = text.split("\n")
        line, character = len(lines) - 1, utf16_length(lines[-1])
        new_text = f"{'' if text.endswith(chr(10)) or not text else chr(10)}{plain}\n"
    else:
        line, character, new_text = 0, 0, f"# Notes for coding agents\n\n{plain}\n"
    title = meta.message("fix", detail=_title(knowledge, category, detail), file=target.name)
    return Fix(title, (), files=(FileEdit(str(target), line, character, new_text, not exists),))


def _first_line(text: str) -> tuple[int, int]:
    """The first line of text after any front matter: where the finding sits."""
    position = 0
    if text.startswith("---"):
        close = text.find("\n---", 3)
        if close > 0:
            position = text.find("\n", close + 4) + 1 if text.find("\n", close + 4) >= 0 else len(text)
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if text[position:end].strip():
            return position, _before_cr(text, end)
        position = end + 1
    return 0, _before_cr(text, text.find("\n") if "\n" in text else len(text))


def _before_cr(text: str, newline: int) -> int:
    """``newline`` (where a line's "\n" is, or the end), before the "\r" of a CRLF: a
    finding ends with its line's text, not between the two characters."""
    return newline - 1 if 0 < newline < len(text) and text[newline - 1] == "\r" else newline
