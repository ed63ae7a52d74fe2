"""Re-analysing a document after an edit without redoing what the edit did not touch.

An :class:`IncrementalAnalyzer` keeps the prompts of the last version as
:class:`Entry` objects. For a new version it finds the changed region (common
prefix and suffix of the two texts), then:

* in a prompt file, re-extracts only the blank-line-delimited block(s) around the
  change; entries before it stay as they are, entries after it only move (their
  offsets are shifted lazily, when someone asks for them). Edits that can change
  the block structure elsewhere — fences, HTML blocks, front matter, indented
  continuation blocks — fall back to extracting the whole document;
* in source code, re-extracts the whole document (marked comments are few).

Every extracted prompt is looked up by its *window* — the text from the start of
the line before the prompt to its end: the prompt plus the line that may carry a
``promptcoach-disable-next-line`` comment. Equal windows give equal findings up
to a shift, so only prompts with a new window are classified and run through the
rules. A change to a file-level suppression comment re-runs everything.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from promptcoach.engine.model import DocumentAnalysis, Finding, Prompt, PromptAnalysis, Segment

_FILE_LEVEL = "promptcoach-disable-file"
# what can open or close a block across blank lines: fences, HTML comments and blocks, front matter
_STRUCTURAL = re.compile(r"``|~~|<!--|-->|(?m:^[ \t]{0,3}(?:<|---|\+\+\+|\.\.\.))")
_NEXT_LINE = re.compile(r"(?:[ \t]*\n)*([ \t]*)\S")
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BLOCK_TOKEN = re.compile(r"(?m)^[ \t]{0,3}(?:(?P<comment><!--)|(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$)")


class Entry:
    """One prompt of the current version; ``shift`` moves its stored offsets to the document's."""

    __slots__ = ("key", "window_start", "shift", "start", "end", "has_findings", "_analysis", "_current", "cache")

    def __init__(self, key: str, window_start: int, analysis: PromptAnalysis, shift: int = 0) -> None:
        self.key = key
        self.window_start = window_start
        self.shift = shift
        self._analysis = analysis
        self.start = analysis.prompt.start + shift
        self.end = analysis.prompt.end + shift
        self.has_findings = bool(analysis.findings)
        self._current: PromptAnalysis | None = analysis if shift == 0 else None
        self.cache: Any = None  # owned by the caller (e.g. converted diagnostics)

    def move(self, delta: int) -> None:
        if delta:
            self.window_start += delta
            self.shift += delta
            self.start += delta
            self.end += delta
            self._current = None

    def contains(self, offset: int, text: str) -> bool:
        """Does the prompt hold ``offset`` (or end before it with only blanks between, on its line)?"""
        start, end = self.start, self.end
        return start <= offset <= end or (end < offset and not text[end:offset].strip(" \t"))

    def analysis(self, keep: bool = True) -> PromptAnalysis:
        """The analysis in document offsets; ``keep=False`` for a one-off use (such as
        converting its findings once): the shifted copy is then not kept beside the
        stored one, which would double the memory a prompt takes."""
        if self._current is not None:
            return self._current
        current = shift_analysis(self._analysis, self.shift)
        if keep:
            self._current = current
        return current


def window_start(text: str, offset: int) -> int:
    """Start of the line before the line holding ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start == 0:
        return 0
    return text.rfind("\n", 0, line_start - 1) + 1


class IncrementalAnalyzer:
    """Analyses successive versions of one document with an :class:`Engine`."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.entries: list[Entry] = []
        self.text: str | None = None
        self._flags = ""
        self._eol = "\n"  # the document's line break: fixes that insert a line use it
        self._document: DocumentAnalysis | None = None
        self._path = ""
        self._path_now = ""
        self._language: str | None = None
        self._suppressions = None
        self._stack = None
        self._kind: str | None = None
        self._comments: list[tuple[int, int]] | None = None
        self.full_runs = 0  # how often the whole document was extracted (for tests)

    def analyze(self, text: str, path: str, language_id: str | None = None) -> DocumentAnalysis:
        self.update(text, path, language_id)
        return self.document()

    def document(self) -> DocumentAnalysis:
        if self._document is None:
            prompts = [entry.analysis() for entry in self.entries]
            self._document = DocumentAnalysis(path=self._path, text=self.text or "", prompts=prompts)
        return self._document

    def update(self, text: str, path: str, language_id: str | None = None) -> None:
        if text == self.text and path == self._path:
            return
        from promptcoach.engine.extract import document_kind

        from promptcoach.engine.suppress import document_eol

        old = self.text
        flags = _file_flags(text)
        eol = document_eol(text)
        if eol != self._eol:  # every cached fix that inserts a line is now wrong
            self._eol, self.entries, old = eol, [], None
        self._document = None
        self._path_now, self._language = path, language_id
        self._suppressions = None
        self._stack = self.engine.stack
        self._comments = None
        kind = self._kind = document_kind(path, language_id, self.engine.settings)
        if old is None or flags != self._flags or path != self._path or kind != "prompt" or not self._update_block(old, text, path, language_id):
            self._flags = flags
            self._full(text, path, language_id)
        self.text = text
        self._path = path

    # --- whole document ---------------------------------------------------------------------

    def _full(self, text: str, path: str, language_id: str | None) -> None:
        from promptcoach.engine.extract import extract_prompts

        self.full_runs += 1
        known = {entry.key: entry for entry in self.entries}
        prompts = extract_prompts(text, path, language_id=language_id, settings=self.engine.settings)
        self.entries = [self._entry(prompt, text, known) for prompt in prompts]

    def _entry(self, prompt: Prompt, text: str, known: dict[str, Entry]) -> Entry:
        start = window_start(text, prompt.start)
        end = _line_end(text, prompt.end)
        key = text[start:end]
        if self._kind != "prompt" or self._in_html_comment(text, start):
            key = "\0" + key  # its findings depend on more than the window: never equal to a plain window
        previous = known.get(key) if key[:1] != "\0" else None
        if previous is not None:  # same window: same findings, moved
            entry = Entry(key, start, previous._analysis, start)
            entry.cache = previous.cache
            return entry
        return Entry(key, start, self._analyse_prompt(prompt, text, start, end), start)

    def _analyse_prompt(self, prompt: Prompt, text: str, start: int, end: int) -> PromptAnalysis:
        """The prompt analysed inside its window (offsets relative to ``start``).

        The window holds everything a prompt's findings depend on — the prompt, the rest
        of its last line and the line above it, where line suppressions live — except
        file-level suppressions; with one of those in the document, the whole text is used.
        """
        from promptcoach.engine.suppress import Suppressions

        engine = self.engine
        if self._flags or self._kind != "prompt" or self._in_html_comment(text, start):
            if self._suppressions is None:
                self._suppressions = Suppressions.parse(text, self._path_now, self._language)
            analysis = engine.analyze_prompt(prompt, text, self._path_now, self._language, self._suppressions, self._stack)
            return shift_analysis(analysis, -start)
        window = text[start:end]
        local = _moved_prompt(prompt, -start)
        suppressions = Suppressions.parse(window, self._path_now, self._language)
        return engine.analyze_prompt(local, window, self._path_now, self._language, suppressions, self._stack, self._eol)

    def _in_html_comment(self, text: str, offset: int) -> bool:
        """Does an HTML comment of the document run across ``offset``? (Then only the whole
        text tells which comments are suppression directives.)"""
        if self._comments is None:
            self._comments = [m.span() for m in _HTML_COMMENT.finditer(text)] if "<!--" in text else []
            if any(not text.endswith("-->", 0, end) for _, end in self._comments):
                self._comments = [(0, len(text) + 1)]  # an unclosed comment: treat the whole text as unsure
        index = bisect_right(self._comments, (offset, len(text) + 1)) - 1
        return index >= 0 and self._comments[index][1] > offset

    # --- one block --------------------------------------------------------------------------

    def _update_block(self, old: str, new: str, path: str, language_id: str | None) -> bool:
        """Re-extract the blocks around the change; False when only a full pass is safe."""
        from promptcoach.engine.extract import extract_prompts

        prefix = _common_prefix(old, new)
        suffix = _common_suffix(old, new, limit=min(len(old), len(new)) - prefix)
        old_end, new_end = len(old) - suffix, len(new) - suffix
        line_start = old.rfind("\n", 0, prefix) + 1  # the same in both texts
        if _STRUCTURAL.search(old, line_start, _line_end(old, old_end)) or _STRUCTURAL.search(
            new, line_start, _line_end(new, new_end)
        ):
            return False
        block_start = new.rfind("\n\n", 0, prefix)
        if block_start == -1:
            return False  # the first block: front matter and the like, be safe
        block_start += 2
        found = new.find("\n\n", max(new_end, block_start))
        block_end = len(new) if found == -1 else found + 1
        block = new[block_start:block_end]
        if not block or block[0] in " \t" or _STRUCTURAL.search(block):
            return False
        following = _NEXT_LINE.match(new, block_end)
        if following is not None and following.group(1):
            return False  # an indented block after this one may continue a list this edit changed
        if _inside_structure(new, block_start):
            return False
        delta = len(new) - len(old)
        old_block_end = block_end - delta
        before: list[Entry] = []
        after: list[Entry] = []
        known: dict[str, Entry] = {}
        for entry in self.entries:
            if entry.window_start + len(entry.key) < block_start:
                before.append(entry)
            elif entry.start >= old_block_end:
                entry.move(delta)
                after.append(entry)
            else:
                known[entry.key] = entry
        fresh = [
            _moved_prompt(prompt, block_start)
            for prompt in extract_prompts(block, path, language_id=language_id, settings=self.engine.settings)
        ]
        self.entries = before + [self._entry(prompt, new, known) for prompt in fresh] + after
        return True


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # slice comparisons run in C: log n steps of memcmp
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, max(0, limit)
    la, lb = len(a), len(b)
    while low < high:
        middle = (low + high + 1) // 2
        if a[la - middle : la - low] == b[lb - middle : lb - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _inside_structure(text: str, offset: int) -> bool:
    """Could ``offset`` be inside a fence, an HTML comment block or front matter (or could
    an unclosed HTML comment hide text anywhere)? Then only a whole-document pass is safe."""
    body = _front_matter_end(text)
    if offset < body:
        return True
    if "<!--" in text and any(not text.endswith("-->", 0, m.end()) for m in _HTML_COMMENT.finditer(text)):
        return True  # an unclosed comment
    return _open_block(text, body, offset)


def _front_matter_end(text: str) -> int:
    """Offset just past the front matter (a first line ``---`` or ``+++`` up to its closing
    line; unterminated, it is no front matter), or 0."""
    first_end = _line_end(text, 0)
    opener = text[:first_end].rstrip()
    if opener not in _FRONT_MATTER:
        return 0
    position = first_end + 1
    while position < len(text):
        end = _line_end(text, position)
        if text[position:end].rstrip() in _FRONT_MATTER[opener]:
            return end
        position = end + 1
    return 0


def _open_block(text: str, start: int, offset: int) -> bool:
    """Is a fence (CommonMark: an opener's info string has no backtick; a closer is the same
    character, at least as long, then blanks) or an HTML comment block open at ``offset``?"""
    fence: str | None = None
    position = start
    while True:
        match = _BLOCK_TOKEN.search(text, position, offset)
        if match is None:
            return fence is not None
        position = match.end()
        if match.group("comment") is not None:
            if fence is None:
                close = text.find("-->", match.end())
                if close == -1 or close + 3 > offset:
                    return True
                position = close + 3
            continue
        marker, rest = match.group("fence"), match.group("info")
        if fence is None:
            if not (marker[0] == "`" and "`" in rest):
                fence = marker
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip():
            fence = None


def _moved_prompt(prompt: Prompt, delta: int) -> Prompt:
    if not delta:
        return prompt
    return Prompt(
        prompt.text,
        tuple(Segment(s.text_start, s.doc_start + delta, s.length) for s in prompt.segments),
        prompt.kind,
        prompt.marker,
    )


def _file_flags(text: str) -> str:
    """The file-level suppression comments of ``text`` (usually none)."""
    found = []
    index = text.find(_FILE_LEVEL)
    while index != -1:
        end = text.find("\n", index)
        found.append(text[index : end if end != -1 else len(text)])
        index = text.find(_FILE_LEVEL, index + 1)
    return "\n".join(found)


def shift_analysis(analysis: PromptAnalysis, delta: int) -> PromptAnalysis:
    if delta == 0:
        return analysis
    return PromptAnalysis(
        _moved_prompt(analysis.prompt, delta),
        analysis.classification,
        [shift_finding(finding, delta) for finding in analysis.findings],
    )


def shift_finding(finding: Finding, delta: int) -> Finding:
    return Finding(
        rule=finding.rule,
        severity=finding.severity,
        message=finding.message,
        start=finding.start + delta,
        end=finding.end + delta,
        data=finding.data,
        fixes=tuple(fix.moved(delta) for fix in finding.fixes),
    )
