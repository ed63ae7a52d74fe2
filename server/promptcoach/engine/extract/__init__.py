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

from collections.abc import Callable

from promptcoach.engine.extract.comments import compile_markers, marked_prompts
from promptcoach.engine.extract.grouping import whole_prompts
from promptcoach.engine.extract.languages import TEXT_LANGUAGE_IDS, is_text_document, language_table, shebang_language
from promptcoach.engine.extract.markdown import markdown_blocks
from promptcoach.engine.extract.markdown_model import Block
from promptcoach.engine.extract.marked_list import MarkedPrompts
from promptcoach.engine.extract.prompt_sequence import PromptSequence
from promptcoach.engine.files import glob_path, matches_any, matches_exclude
from promptcoach.engine.model import Prompt
from promptcoach.engine.settings import Settings

__all__ = [
    "document_kind",
    "document_role",
    "extract",
    "extract_prompts",
    "PromptSequence",
    "PROMPT_LANGUAGE_IDS",
]

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


def document_role(path: str, language_id: str | None, settings: Settings, explicit: bool = False) -> str | None:
    """``"prompt"`` (a task prompt file), ``"instructions"`` (AGENTS.md, rules files: the
    project's context), ``"source"`` or ``None``."""
    kind = document_kind(path, language_id, settings, explicit)
    if kind == "prompt" and (
        language_id == "instructions" or matches_any(glob_path(path, settings.glob_base), settings.instructions)
    ):
        return "instructions"
    return kind


def extract(
    text: str,
    path: str,
    *,
    language_id: str | None = None,
    settings: Settings,
    explicit: bool = False,
    blocks: Callable[[str], list[Block]] | None = None,
) -> tuple[str | None, PromptSequence]:
    """The document's role and ``(prompt, kind)`` of its whole prompts, in document order;
    kinds as :func:`promptcoach.engine.intent.kind_of` reads them (a marked comment's
    when first asked for; a prompt file's lead when grouping needs it or its prompt is
    first asked for, and the prompt built then). ``blocks``: a function of the text
    giving its Markdown blocks, for a caller that knows them without parsing the whole
    text again (the editor after an edit); by default they are parsed."""
    from promptcoach.engine.intent import is_specifics_heading, kind_of, read
    from promptcoach.engine.intent_vocabulary import intent_words

    role = document_role(path, language_id, settings, explicit)
    if role is None or not text:
        return role, MarkedPrompts([], lambda source: "context")  # (no prompt: no kind is read)
    words = intent_words()
    reading = "instructions" if role == "instructions" else ("source" if role == "source" else "prompt")
    if role == "source" or (role == "prompt" and _named_script(text, path, language_id, settings, explicit)):
        return role, MarkedPrompts(
            _marked(text, path, language_id, settings), lambda source: kind_of(source, reading, words)
        )
    return role, whole_prompts(
        text,
        markdown_blocks(text) if blocks is None else blocks(text),
        lambda source: read(source, reading, words),
        lambda title: is_specifics_heading(title, words),
        one_task_file=role == "prompt",
    )


def _named_script(text: str, path: str, language_id: str | None, settings: Settings, explicit: bool) -> bool:
    """A named script without an extension: its shebang names the language."""
    if not (explicit and text.startswith("#!") and language_id is None):
        return False
    script = shebang_language(text)
    included = matches_any(glob_path(path, settings.glob_base), settings.include)
    return script is not None and language_table().language_for(path) is None and not included


def _marked(text: str, path: str, language_id: str | None, settings: Settings) -> list[Prompt]:
    table = language_table()
    language = table.language_for(path, language_id) or shebang_language(text)
    assert language is not None  # a source document has a language, by name or by shebang
    syntax = table.syntax(language.syntax)
    return marked_prompts(text, syntax, compile_markers(tuple(settings.markers)))


def extract_prompts(
    text: str,
    path: str,
    *,
    language_id: str | None = None,
    settings: Settings,
    explicit: bool = False,
) -> list[Prompt]:
    """The whole prompts of a document, in document order (a marked comment's kind not read)."""
    listed = extract(text, path, language_id=language_id, settings=settings, explicit=explicit)[1]
    return listed.prompts if isinstance(listed, MarkedPrompts) else [prompt for prompt, _ in listed]
