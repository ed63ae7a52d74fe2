"""Keeping prompts in step with their project's context (docs/prompts.md, instruction files).

A prompt inherits project-wide details from instruction files (AGENTS.md ...) and
manifests. When one of them changes, on disk (``workspace/didChangeWatchedFiles``) or
in the editor (an open AGENTS.md being typed in, before it is saved), every open
document is re-analysed: pull clients are asked to refresh, push clients get new
diagnostics. An open instruction file's text is what its prompts inherit from.
"""

from __future__ import annotations

from promptcoach.engine.context import is_context_file
from promptcoach.engine.settings import DEFAULT_INSTRUCTIONS
from promptcoach.engine.stack import MANIFEST_GLOBS, is_manifest

# the instruction files (the project context) and the manifests, for the file watchers
WATCHED = DEFAULT_INSTRUCTIONS + MANIFEST_GLOBS


def is_watched(path: str) -> bool:
    """Whether a change to ``path`` can change some prompt's context."""
    return is_context_file(path) or is_manifest(path)


def editor_text_changed(ls, uri: str, path: str, text: str | None) -> None:
    """An open document changed (``text``) or closed (None): if it is an instruction
    file, its prompts now inherit from this text, so the others are checked again."""
    if not path or not is_context_file(path):
        return
    project = ls.engine_for(path).project_context(path)
    if project is None:
        return
    if project.set_open(path, text):
        recheck_others(ls, uri)


def files_changed(ls, paths: list[str]) -> None:
    """Files changed on disk: re-check everything when one of them is context."""
    if any(is_watched(path) for path in paths):
        recheck_others(ls, None)


def recheck_others(ls, changed_uri: str | None) -> None:
    from promptcoach.lsp import diagnostics

    for uri, state in list(ls.store.states.items()):
        if uri != changed_uri:
            state.stale()
    diagnostics.recheck_all(ls, skip=changed_uri)
