"""The cheat-sheet card of a prompt as Markdown (or plain text), without LSP.

Category and score, each key detail ticked (with the words that named it) or
missing, the basic and the specific example, and why the specific one is better.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptcoach.engine.completion import Knowledge, attr, category
from promptcoach.engine.mdtext import md_code as _code
from promptcoach.engine.mdtext import md_text as _text

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.model import PromptAnalysis


def prompt_card(prompt: PromptAnalysis, knowledge: Knowledge, markdown: bool = True) -> str | None:
    """The card for a :class:`PromptAnalysis`; None when it has no category."""
    classification = prompt.classification
    cat = category(knowledge, classification.category)
    if cat is None:
        return None
    present, total = classification.score
    evidence: dict[str, list[str]] = {}
    inherited = {i.detail: i for i in classification.inherited}
    for match in classification.matches:
        words = prompt.prompt.detail_text[match.start : match.end]
        if words and words not in evidence.setdefault(match.detail, []):
            evidence[match.detail].append(words)
    # knowledge packs come from the repository (.promptcoach.yaml): their texts are escaped
    esc = _text if markdown else (lambda value: value)
    title = esc(attr(cat, "title", classification.category))
    lines = [
        f"### {title} — {present}/{total} key details" if markdown else f"{title} — {present}/{total} key details",
        "",
    ]
    for detail in attr(cat, "details", []) or []:
        detail_id = attr(detail, "id")
        name = esc(attr(detail, "title", detail_id))
        if detail_id in inherited:
            source = inherited[detail_id]
            where = f"{source.path}:{source.line + 1}"
            lines.append(
                f"- ✅ **{name}** — from {_code(where) if markdown else where}: "
                f"{_code(source.text) if markdown else source.text}"
                if markdown
                else f"- [x] {name} (from {where}: {source.text})"
            )
        elif detail_id in classification.present:
            found = ", ".join(_code(w) if markdown else w for w in evidence.get(detail_id, [])[:3])
            lines.append(
                f"- ✅ **{name}**" + (f" — {found}" if found else "") if markdown else f"- [x] {name} {found}".rstrip()
            )
        else:
            description = esc(attr(detail, "description", ""))
            lines.append(f"- ⬜ **{name}** — missing: {description}" if markdown else f"- [ ] {name}: missing")
    example = attr(cat, "example")
    if example is not None:
        basic, specific, why = (
            esc(" ".join(str(attr(example, key, "")).split())) for key in ("basic", "specific", "why")
        )
        lines += [
            "",
            "**Basic:**" if markdown else "Basic:",
            f"> {basic}",
            "",
            "**Specific:**" if markdown else "Specific:",
            f"> {specific}",
            "",
        ]
        lines.append(f"**Why it is better:** {why}" if markdown else f"Why it is better: {why}")
    lines += [
        "",
        f"`promptcoach explain {classification.category}`"
        if markdown
        else f"promptcoach explain {classification.category}",
    ]
    return "\n".join(lines)
