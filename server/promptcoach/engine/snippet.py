"""VS Code snippet syntax: escaping text for a snippet body and for a choice list.

In a snippet, ``$``, ``}`` and ``\\`` are syntax; inside a choice list
(``${1|one,two|}``) so are ``,`` and ``|``. Every snippet the engine builds
(expansions, added clauses, completions, placeholders) escapes with these.
"""

from __future__ import annotations


def escape_text(text: str) -> str:
    """Snippet text and placeholders: ``\\``, ``$`` and ``}`` are escaped."""
    if "\\" not in text and "$" not in text and "}" not in text:
        return text  # the common case, and the cheap one
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def escape_choice(text: str) -> str:
    """A choice-list element: also ``,`` and ``|``."""
    return escape_text(text).replace(",", "\\,").replace("|", "\\|")
