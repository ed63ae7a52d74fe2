"""Engine results -> LSP: positions in the negotiated encoding, diagnostics, edits.

Diagnostics are built as plain JSON (the exact shape of lsprotocol's
``Diagnostic``) because they are cached per prompt and re-sent on every edit;
everything else uses lsprotocol types.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from promptcoach.engine.model import DeferredFix, Edit, Finding, Fix
from promptcoach.engine.positions import CodeUnits, LineIndex

SOURCE = "promptcoach"
SEVERITY = {"error": 1, "warning": 2, "information": 3, "hint": 4}


class PositionMapper:
    """Offsets of one document text <-> LSP positions in the client's encoding."""

    __slots__ = ("index", "encoding", "units")

    def __init__(self, text: str, encoding: str = "utf-16", index: LineIndex | None = None) -> None:
        self.index = index or LineIndex(text)
        self.encoding = encoding
        self.units = CodeUnits(self.index.text, encoding)  # a line prefix's count, without walking it

    @property
    def text(self) -> str:
        return self.index.text

    def position(self, offset: int) -> dict:
        index = self.index
        offset = max(0, min(offset, len(index.text)))
        line = index.line_of(offset)
        return {"line": line, "character": self.units.count(index.line_starts[line], offset)}

    def range(self, start: int, end: int) -> dict:
        return {"start": self.position(start), "end": self.position(end)}

    def lsp_range(self, start: int, end: int) -> types.Range:
        r = self.range(start, end)
        return types.Range(types.Position(**r["start"]), types.Position(**r["end"]))

    def offset(self, line: int, character: int) -> int:
        index = self.index
        if line < 0:
            return 0
        if line >= index.line_count:
            return len(index.text)
        start = index.line_starts[line]
        text = index.line_text(line)
        if text.isascii() or self.encoding == "utf-32":
            return start + min(max(character, 0), len(text))
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return start + i
            units += _units(ch, self.encoding)
        return start + len(text)

    def offset_of(self, position: types.Position) -> int:
        return self.offset(position.line, position.character)


def _units(text: str, encoding: str) -> int:
    if text.isascii() or encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def rule_href(rule: str) -> str | None:
    from promptcoach.engine.rules import docs_url  # the base URL lives in the rules YAML

    return docs_url(rule)


# Fixes travel in Diagnostic.data as ready text edits, up to this much inserted text per
# diagnostic (smallest fixes first); larger ones, and the engine's deferred fixes (a whole
# expanded prompt), are listed by title only and their edits computed on codeAction/resolve,
# so a document with a thousand diagnostics does not resend megabytes on every keystroke
# and no expansion is worked out before someone picks it.
INLINE_FIX_TEXT = 240


def edit_json(edit: Edit, mapper: PositionMapper, snippets: bool = True) -> dict:
    result = {"range": mapper.range(edit.start, edit.end), "newText": edit.new_text}
    if snippets and edit.snippet is not None:
        result["snippet"] = edit.snippet
    return result


def fix_json(fix: Fix | DeferredFix, mapper: PositionMapper, inline: bool = True, snippets: bool = True) -> dict:
    result: dict[str, Any] = {"title": fix.title}  # defaults left out: kind quickfix, not preferred, not safe
    if fix.kind != "quickfix":
        result["kind"] = fix.kind
    if fix.preferred:
        result["preferred"] = True
    if fix.safe:
        result["safe"] = True
    if inline:
        result["edits"] = [edit_json(edit, mapper, snippets) for edit in fix.edits]
    else:
        result["lazy"] = True
    files = fix.files if isinstance(fix, Fix) else ()  # a deferred fix edits its own document only
    if files:
        result["files"] = [
            {
                "path": f.path,
                "line": f.line,
                "character": f.character,
                "newText": f.new_text,
                **({"create": True} if f.create else {}),
            }
            for f in files
        ]
    return result


def _inline_fixes(fixes: tuple[Fix | DeferredFix, ...]) -> set[int]:
    """Indexes of the fixes whose edits go into data (smallest first, within the budget);
    a deferred fix (an expansion) is always resolved later, never worked out here."""
    sizes = sorted(
        (sum(len(e.new_text) for e in fix.edits), index)
        for index, fix in enumerate(fixes)
        if not isinstance(fix, DeferredFix)
    )
    chosen, budget = set(), INLINE_FIX_TEXT
    for size, index in sizes:
        if size > budget:
            break
        chosen.add(index)
        budget -= size
    return chosen


def diagnostic_json(finding: Finding, mapper: PositionMapper, snippets: bool = True) -> dict:
    """A ``Diagnostic`` whose ``data`` holds the fixes (see INLINE_FIX_TEXT).

    ``data.range`` repeats the range the edits were computed for, so a code
    action can shift them when the client moved the diagnostic since.
    """
    rng = mapper.range(finding.start, finding.end)
    data: dict[str, Any] = {"range": rng, "facts": finding.data}
    if finding.fixes:
        inline = _inline_fixes(finding.fixes)
        data["fixes"] = [fix_json(fix, mapper, i in inline, snippets) for i, fix in enumerate(finding.fixes)]
    diagnostic = {
        "range": rng,
        "severity": SEVERITY.get(finding.severity, 2),
        "code": finding.rule,
        "source": SOURCE,
        "message": finding.message,
        "data": data,
    }
    href = rule_href(finding.rule)
    if href:
        diagnostic["codeDescription"] = {"href": href}
    return diagnostic


def config_diagnostic(line: int | None, message: str, kept_last_good: bool) -> dict:
    """A ``Diagnostic`` for a broken configuration file at its 1-based ``line``."""
    row = max(0, (line or 1) - 1)
    consequence = "the last good configuration stays in force" if kept_last_good else "the defaults are used"
    return {
        "range": {"start": {"line": row, "character": 0}, "end": {"line": row + 1, "character": 0}},
        "severity": SEVERITY["error"],
        "code": "config-error",
        "source": SOURCE,
        "message": f"{message} ({consequence} until this is fixed)",
    }


def shift_lines(value: Any, delta: int) -> Any:
    """A copy of JSON ``value`` with every position moved ``delta`` lines."""
    if isinstance(value, dict):
        if "line" in value and "character" in value and len(value) == 2:
            return {"line": max(0, value["line"] + delta), "character": value["character"]}
        return {key: shift_lines(item, delta) if key != "facts" else item for key, item in value.items()}
    if isinstance(value, list):
        return [shift_lines(item, delta) for item in value]
    return value


def text_edit(edit: dict) -> types.TextEdit:
    rng = edit["range"]
    return types.TextEdit(
        range=types.Range(types.Position(**rng["start"]), types.Position(**rng["end"])),
        new_text=edit["newText"],
    )


def snippet_edit(edit: dict) -> types.SnippetTextEdit | types.TextEdit:
    if "snippet" not in edit:
        return text_edit(edit)
    rng = edit["range"]
    return types.SnippetTextEdit(
        range=types.Range(types.Position(**rng["start"]), types.Position(**rng["end"])),
        snippet=types.StringValue(value=edit["snippet"]),
    )


def workspace_edit(uri: str, edits: list[dict], version: int | None, caps: ClientFeatures) -> types.WorkspaceEdit:
    """A WorkspaceEdit in the richest form the client takes.

    Snippet edits need ``workspace.workspaceEdit.snippetEditSupport`` (LSP 3.18,
    sent by vscode-languageclient 10); they travel inside ``documentChanges``.
    Clients without ``documentChanges`` (Neovim) get the plain ``changes`` map.
    """
    if caps.snippet_edits and any("snippet" in e for e in edits):
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=[snippet_edit(e) for e in edits],
                )
            ]
        )
    plain = [text_edit(e) for e in edits]
    if caps.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=plain,
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: plain})


def files_edit(files: list[dict], caps: ClientFeatures) -> types.WorkspaceEdit | None:
    """A WorkspaceEdit that inserts into (or creates) other files than the diagnostic's,
    from a fix's ``files``; None when the client cannot apply it (creating a file needs
    ``resourceOperations: create``, several files need ``documentChanges`` or ``changes``)."""
    from pygls.uris import from_fs_path

    changes: list = []
    plain: dict[str, list[types.TextEdit]] = {}
    for item in files:
        try:
            uri = from_fs_path(str(item["path"]))
            position = types.Position(line=int(item["line"]), character=int(item["character"]))
            new_text = str(item["newText"])
        except (KeyError, TypeError, ValueError):
            return None
        if uri is None:
            return None
        edit = types.TextEdit(range=types.Range(start=position, end=position), new_text=new_text)
        if item.get("create"):
            if not caps.create_files:
                return None
            changes.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)))
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None), edits=[edit]
            )
        )
        plain.setdefault(uri, []).append(edit)
    if caps.document_changes:
        return types.WorkspaceEdit(document_changes=changes)
    if any(item.get("create") for item in files):
        return None
    return types.WorkspaceEdit(changes=plain)


class ClientFeatures:
    """The few client capabilities the features branch on, read once."""

    def __init__(self, caps: types.ClientCapabilities | None) -> None:
        def get(path: str, default=None):
            value: Any = caps
            for part in path.split("."):
                value = getattr(value, part, None)
                if value is None:
                    return default
            return value

        self.snippet_edits = bool(get("workspace.workspace_edit.snippet_edit_support", False))
        self.document_changes = bool(get("workspace.workspace_edit.document_changes", False))
        self.create_files = types.ResourceOperationKind.Create in (
            get("workspace.workspace_edit.resource_operations", None) or []
        )
        self.snippet_completion = bool(get("text_document.completion.completion_item.snippet_support", False))
        self.completion_docs = get("text_document.completion.completion_item.documentation_format", None) or []
        self.hover_markdown = types.MarkupKind.Markdown in (get("text_document.hover.content_format", None) or [])
        self.pull_diagnostics = get("text_document.diagnostic", None) is not None
        self.diagnostic_refresh = bool(get("workspace.diagnostics.refresh_support", False))
        self.inlay_refresh = bool(get("workspace.inlay_hint.refresh_support", False))
        self.configuration = bool(get("workspace.configuration", False))
        self.watched_files_dynamic = bool(get("workspace.did_change_watched_files.dynamic_registration", False))
        self.config_dynamic = bool(get("workspace.did_change_configuration.dynamic_registration", False))
        self.resolve_edit = "edit" in (get("text_document.code_action.resolve_support.properties", None) or [])
