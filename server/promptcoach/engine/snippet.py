"""VS Code snippet syntax: escaping text for a snippet body and for a choice list.

In a snippet, ``$``, ``}`` and ``\\`` are syntax; inside a choice list
(``${1|one,two|}``) so are ``,`` and ``|``. Every snippet the engine builds
(expansions, added clauses, completions, placeholders) escapes with these.
"""

from __future__ import annotations

from functools import lru_cache


def escape_text(text: str) -> str:
    """Snippet text and placeholders: ``\\``, ``$`` and ``}`` are escaped."""
    if "\\" not in text and "$" not in text and "}" not in text:
        return text  # the common case, and the cheap one
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def escape_choice(text: str) -> str:
    """A choice-list element: also ``,`` and ``|``."""
    return escape_text(text).replace(",", "\\,").replace("|", "\\|")


def tab_stop(number: int, text: str, choices: tuple[str, ...] = ()) -> str:
    """Tab stop ``number``: a choice list of ``choices`` when there are some, else
    ``text`` as its default. A default in backticks (`` `Post` ``) keeps them outside,
    so that only the name is selected."""
    if choices:
        return f"${{{number}|{choice_list(tuple(choices))}|}}"
    if len(text) > 2 and text[0] == text[-1] == "`" and "`" not in text[1:-1]:
        return f"`${{{number}:{escape_text(text[1:-1])}}}`"
    return f"${{{number}:{escape_text(text)}}}"


@lru_cache(maxsize=512)
def choice_list(choices: tuple[str, ...]) -> str:
    """The elements of a choice list, escaped and joined (computed once per list)."""
    return ",".join(escape_choice(choice) for choice in choices)
