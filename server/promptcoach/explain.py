"""``promptcoach explain ID``: the cheat-sheet card of a category, or a rule's page.

A category card has the title, what the category is about, its key details with
their descriptions, the basic and the specific example and why the specific one
is better. A rule prints the documentation of its page (``knowledge/rules/<id>.md``,
installed with the package) as plain text (``output/plain_markdown.py``), and the
page's address.
"""

from __future__ import annotations

import difflib
import textwrap

WIDTH = 88


class UnknownId(LookupError):
    """Neither a category nor a rule; the message suggests close ids."""


def explain(item_id: str, knowledge) -> str:
    category = knowledge.category(item_id)
    if category is not None:
        return category_card(category)
    rules = _rules()
    if item_id in rules:
        return rule_page(rules[item_id])
    raise UnknownId(_unknown_message(item_id, [c.id for c in knowledge.categories], sorted(rules)))


def _rules() -> dict:
    from promptcoach.engine.rules.pages import rule_texts

    return rule_texts().rules


def _unknown_message(item_id: str, categories: list[str], rules: list[str]) -> str:
    close = difflib.get_close_matches(item_id, categories + rules, n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return (
        f"unknown id {item_id!r}: not a category or a rule.{hint}\n"
        f"categories: {', '.join(categories)}\nrules: {', '.join(rules)}"
    )


def _paragraph(text: str, indent: str = "  ") -> str:
    return textwrap.fill(_text(text), WIDTH, initial_indent=indent, subsequent_indent=indent)


def _text(text: str) -> str:
    """Pack text for the terminal: its whitespace runs (line breaks, U+2028 ...) one space,
    then what is left of control characters and bidi overrides escaped (``\\x1b``)."""
    from promptcoach.output.paths import printable

    return printable(" ".join(str(text).split()))


def category_card(category) -> str:
    """The card; every text of the category is a knowledge pack's (repository text): on
    one line each, control characters escaped (:func:`_text`)."""
    heading = f"{_text(category.title)} ({_text(category.id)})"
    lines = [heading, "=" * len(heading), ""]
    lines += [_paragraph(category.summary, ""), ""]
    if category.details:
        lines.append(f"Key details ({len(category.details)}):")
        width = max(len(_text(detail.id)) for detail in category.details)
        for detail in category.details:
            head = f"  {_text(detail.id).ljust(width)}  "
            body = f"{_text(detail.title)}: {_text(detail.description)}"
            lines.append(textwrap.fill(body, WIDTH, initial_indent=head, subsequent_indent=" " * len(head)))
        lines.append("")
    example = category.example
    if example is not None:
        lines += ["Basic prompt:", _paragraph(example.basic), ""]
        lines += ["Specific prompt:", _paragraph(example.specific), ""]
        lines += ["Why the specific prompt is better:", _paragraph(example.why), ""]
    if category.template:
        lines.append(f'Expand a prompt of this kind with: promptcoach expand --category {_text(category.id)} "..."')
    elif not category.is_backend:
        lines.append("Prompts of this kind are not backend prompts: Prompt Coach does not ask them for key details.")
    return "\n".join(lines).rstrip() + "\n"


def rule_page(meta) -> str:
    from promptcoach.output.plain_markdown import render

    return render(meta.documentation, f"{meta.title} ({meta.id})") + f"\nDocumentation: {meta.docs_url}\n"
