"""Finding the prompts in a document.

``document_kind`` decides how a document is read:

* ``"prompt"`` -- a prompt file (a settings include glob and no exclude glob
  matches its path, or the editor's language id is ``prompt``, ``instructions``
  or ``chatmode``): every paragraph, list item and quote paragraph is a prompt
  (:mod:`.markdown`);
* ``"source"`` -- a file of a language in ``languages.yaml``: only comments that
  start with a marker are prompts (:mod:`.comments`);
* ``None`` -- neither (an excluded path, an unknown file type): no prompts.

``explicit=True`` means the user named the file (``promptcoach check FILE``):
excludes do not apply, Markdown and text files (and files of no known language)
are prompt files, other known languages are source; a file of no known language
that starts with a shebang (``#!/usr/bin/env python3``) is source in that language.
"""

from __future__ import annotations

from promptcoach.engine.extract.comments import compile_markers, marked_prompts
from promptcoach.engine.extract.languages import TEXT_LANGUAGE_IDS, is_text_document, language_table, shebang_language
from promptcoach.engine.extract.markdown import markdown_prompts
from promptcoach.engine.files import glob_path, matches_any, matches_exclude
from promptcoach.engine.model import Prompt
from promptcoach.engine.settings import Settings

__all__ = ["document_kind", "extract_prompts", "PROMPT_LANGUAGE_IDS"]

PROMPT_LANGUAGE_IDS = frozenset({"prompt", "instructions", "chatmode"})


def document_kind(path: str, language_id: str | None, settings: Settings, explicit: bool = False) -> str | None:
    """``"prompt"``, ``"source"`` or ``None`` (see the module doc). Globs are matched
    against the path as :func:`~promptcoach.engine.files.glob_path` sees it from the
    settings' base (the configuration file's directory)."""
    globbed = glob_path(path, settings.glob_base)
    if language_id in PROMPT_LANGUAGE_IDS or matches_any(globbed, settings.include):
        if explicit or not matches_exclude(globbed, settings):
            return "prompt"
        return None
    language = language_table().language_for(path, language_id)
    if explicit:
        if is_text_document(path, language_id if language_id in TEXT_LANGUAGE_IDS else None):
            return "prompt"
        return "source" if language is not None else "prompt"
    if language is None or matches_exclude(globbed, settings):
        return None
    return "source"


def extract_prompts(
    text: str,
    path: str,
    *,
    language_id: str | None = None,
    settings: Settings,
    explicit: bool = False,
) -> list[Prompt]:
    """The prompts of a document, in document order."""
    kind = document_kind(path, language_id, settings, explicit)
    if kind is None or not text:
        return []
    table = language_table()
    if kind == "prompt" and explicit and text.startswith("#!") and language_id is None:
        # a named script without an extension: its shebang names the language
        script = shebang_language(text)
        included = matches_any(glob_path(path, settings.glob_base), settings.include)
        if script is not None and table.language_for(path) is None and not included:
            return marked_prompts(text, table.syntax(script.syntax), compile_markers(tuple(settings.markers)))
    if kind == "prompt":
        return markdown_prompts(text)
    language = table.language_for(path, language_id)
    return marked_prompts(text, table.syntax(language.syntax), compile_markers(tuple(settings.markers)))
