"""Joining the blocks of a prompt file into whole prompts (SPEC "One prompt is one
request with its specifics").

A request paragraph leads a prompt; what follows it joins that prompt:

* a list after it (any depth), unless the lead ends a sentence with "." and the list
  is a bulleted list of requests of their own (a file of short prompts);
* paragraphs, quotes and fenced code inside its container, unless a paragraph opens
  a new request, asks a question or is a note ("Notes: ...", "Result: ...");
* the next section when its heading says it details the request ("## Requirements").

A list item leads a prompt of its own when nothing leads its list; its sub-list and
later paragraphs join it. A heading or a thematic break ends the open prompt. A task
prompt file whose body holds one request (and no question or note) is one prompt.

The reading of each block (request, guideline ..., see
:class:`promptcoach.engine.intent.Reading`) comes from the caller (``read``). A block is
read only when a decision needs it or its prompt is asked for: the prompts come as a
:class:`WholePrompts` sequence that builds each prompt on first access, so the prompts
after ``maxProblems`` stops the analysis are counted but mostly neither read nor built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from promptcoach.engine import regexcache
from promptcoach.engine.extract.markdown_model import Block
from promptcoach.engine.extract.prompt_sequence import PromptSequence
from promptcoach.engine.model import Prompt, Segment

if TYPE_CHECKING:  # pragma: no cover
    from promptcoach.engine.intent import Reading

MAX_CODE = 20_000  # characters of fenced code read for details per prompt
_ONE_TASK_GROUPS = 12  # a one-task file: the task, its context and sections, not a long list of rules
_ONE_TASK_RULES = 3
_LABEL_LINE = regexcache.compile(r"(?:\*\*[^*\n]{1,40}\*\*|__[^_\n]{1,40}__|[A-Z][\w /&-]{0,30}:)")
Read = Callable[[str], "Reading"]  # text -> its reading (promptcoach.engine.intent.read)


def _lead_text(block: Block) -> str:
    """The text of a "text" block, the only kind that leads a group or introduces a list."""
    assert block.prompt is not None
    return block.prompt.text


class _Group:
    __slots__ = ("blocks", "lead", "_read", "_reading", "_open", "part", "sections", "section", "has_text", "has_code")

    def __init__(self, lead: Block, read: Read, part: int, section: int = 0) -> None:
        self.blocks = [lead]
        self.lead = lead
        self._read = read
        self._reading: Reading | None = None  # the lead's reading, read on first use
        self._open: bool | None = None  # None: not decided yet (see open)
        self.part = part  # thematic breaks before it
        self.sections = 0  # "## Requirements"-like headings it went on across
        self.section = section  # headings before it
        self.has_text = self.has_code = False  # paragraphs or items, fenced code joined it after the lead

    def add(self, block: Block) -> None:
        self.blocks.append(block)
        if block.kind == "text":
            self.has_text = True
        else:
            self.has_code = True

    @property
    def reading(self) -> Reading:
        if self._reading is None:
            self._reading = self._read(_lead_text(self.lead))
        return self._reading

    @property
    def open(self) -> bool:
        """What may follow and join: a list item, a paragraph ending in ":", a request paragraph."""
        if self._open is None:
            lead = self.lead
            self._open = bool(lead.item or _lead_text(lead).rstrip().endswith(":") or self.reading.kind == "request")
        return self._open

    @open.setter
    def open(self, value: bool) -> None:
        self._open = value

    @property
    def kind(self) -> str:
        return self.reading.kind

    def takes(self, block: Block) -> bool:
        """Whether ``block`` lies inside what this group's lead governs."""
        lead = self.lead
        if lead.item:  # a list item: its own sub-list and paragraphs
            return lead.path[-1] in block.path
        return block.path[: len(lead.path)] == lead.path and self.open


def whole_prompts(
    text: str, blocks: list[Block], read: Read, is_specifics_heading: Callable[[str], bool], one_task_file: bool = True
) -> WholePrompts:
    """``(prompt, kind)`` of each whole prompt in ``blocks``, in document order."""
    groups: list[_Group] = []
    current: _Group | None = None
    part = section = 0
    for block in _split_label_lines(text, blocks):
        if block.kind == "break":
            current = None
            part += 1
        elif block.kind == "heading":
            section += 1
            if (
                current is not None
                and not current.lead.item
                and is_specifics_heading(block.title)
                and current.open
                and current.kind == "request"
            ):
                current.sections += 1
            else:
                current = None
        elif block.kind == "code":
            if (
                current is not None
                and current.takes(block)
                and (current.lead.item or len(current.blocks) == 1 or current.kind == "request")
            ):
                current.add(block)
        else:
            taken_by = current if current is not None and current.takes(block) else None
            if taken_by is not None and _inside(taken_by, block):
                taken_by.add(block)  # deep in its lead's list: joins, whatever it says
                continue
            candidate = _Group(block, read, part, section)  # the block read only if a decision needs it
            if taken_by is not None and _joins(text, taken_by, block, candidate):
                taken_by.add(block)
                continue
            current = candidate
            groups.append(current)
    if one_task_file:
        groups = _one_task(groups)
    return WholePrompts(text, groups)


class WholePrompts(PromptSequence):
    """``(prompt, kind)`` of each whole prompt, a prompt built (and its lead read) when
    it is first asked for."""

    __slots__ = ("_text", "_groups", "_built")

    def __init__(self, text: str, groups: list[_Group]) -> None:
        self._text = text
        self._groups = groups
        # the prompts built so far (the pairs are made when asked for: a file of a hundred
        # thousand prompts keeps no pair for each)
        self._built: list[Prompt | None] = [None] * len(groups)

    def __len__(self) -> int:
        return len(self._groups)

    def __iter__(self) -> Iterator[tuple[Prompt, str]]:
        # Sequence's own __iter__ indexes until IndexError, a Python call a prompt
        for index, group in enumerate(self._groups):
            yield self.prompt(index), group.kind

    def span(self, index: int) -> tuple[int, int]:
        built = self._built[index]
        if built is not None:
            return built.start, built.end
        blocks = self._groups[index].blocks
        if len(blocks) == 1:  # a lead alone: the paragraph's own span (see _prompt)
            only = blocks[0].prompt
            assert only is not None
            return only.start, only.end
        return min(block.start for block in blocks), max(block.end for block in blocks)

    def kind(self, index: int) -> str:
        """The kind of prompt ``index`` (its lead's reading), without building it."""
        return self._groups[index].kind

    def prompt(self, index: int) -> Prompt:
        prompt = self._built[index]
        if prompt is None:
            prompt = self._built[index] = _prompt(self._text, self._groups[index])
        return prompt


def _inside(group: _Group, block: Block) -> bool:
    """``block``, which ``group`` takes (see :meth:`_Group.takes`), joins it without being
    read: it is inside the lead item, or in the list of a lead request past that list's
    first item (which decides whether the lead takes the list at all)."""
    if group.lead.item:
        return True
    lead = group.lead
    return len(block.path) > len(lead.path) and group.has_text and group.kind == "request"


def _joins(text: str, group: _Group, block: Block, candidate: _Group) -> bool:
    """Whether ``block``, which ``group`` takes, joins it (``candidate``: the group it
    would lead instead, whose reading is the block's)."""
    lead = group.lead
    if lead.item:
        return True  # inside the lead item
    if group.kind != "request":  # "Run the commands from the root:" takes the one block after it
        return len(block.path) > len(lead.path) and (
            len(group.blocks) == 1 or group.has_text and not group.has_code and block.item
        )
    if len(block.path) > len(lead.path):  # a list (or quote) after the lead paragraph
        first = block.item and len(block.path) == len(lead.path) + 1 and not group.has_text
        if first and candidate.reading.opens and not group.sections and not _introduces(lead, text, block):
            group.open = False  # a list of requests of their own
            return False
        return True
    reading = candidate.reading
    if reading.note or reading.opens or reading.fragment or reading.kind == "question":
        return False  # a remark, a new task ("Add ...", "API to get posts."), a question
    return not (group.reading.labelled and reading.kind == "context")  # a log's remark


def _split_label_lines(text: str, blocks: list[Block]) -> list[Block]:
    """Blocks with each "**Label:** text" line of a paragraph made its own block: such
    lines are separate statements even without blank lines between them."""
    result: list[Block] = []
    for block in blocks:
        prompt = block.prompt
        if (
            block.kind != "text"
            or prompt is None
            or "\n" not in prompt.text
            or len(prompt.segments) != prompt.text.count("\n") + 1
            or not all(_LABEL_LINE.match(line) for line in prompt.text.split("\n"))
        ):
            result.append(block)
            continue
        for index, segment in enumerate(prompt.segments):
            start = segment.doc_start
            line = Prompt(text[start : start + segment.length], (Segment(0, start, segment.length),), prompt.kind)
            result.append(
                block._replace(start=start, end=start + segment.length, prompt=line, item=block.item and index == 0)
            )
    return result


def _introduces(lead: Block, text: str, item: Block) -> bool:
    """Whether the lead paragraph introduces the list that ``item`` starts: it ends
    with ":" or the list is numbered (steps of the task)."""
    return _lead_text(lead).rstrip().endswith(":") or _ordered(text, item)


def _ordered(text: str, block: Block) -> bool:
    """Whether list item ``block`` is numbered ("1." or "1)"): steps of the task above."""
    line_start = text.rfind("\n", 0, block.start) + 1
    before = text[line_start : block.start].strip(" \t>")
    return before[:1].isdigit()


def _one_task(groups: list[_Group]) -> list[_Group]:
    """A file with one request and nothing but context around it is that one prompt."""
    if len(groups) < 2 or len(groups) > _ONE_TASK_GROUPS:
        return groups  # (a long file: decided before reading every group)
    openers = [g for g in groups if g.reading.opens or g.reading.labelled]
    if not openers:
        openers = [g for g in groups if g.kind == "request"]
    if len(groups) < 2 or len(openers) != 1 or any(g.kind == "question" or g.reading.note for g in groups):
        return groups
    if openers[0].lead.item:  # a list of prompts, one of them a task
        return groups
    after = groups[groups.index(openers[0]) + 1 :]
    if any(g.kind == "request" and not g.lead.item and g.section == openers[0].section for g in after):
        return groups  # "Make a posts table." then "API to get posts.": two requests
    if len(groups) > _ONE_TASK_GROUPS or sum(g.kind == "guideline" for g in groups) > _ONE_TASK_RULES:
        return groups  # a file of rules with one task among them, not one task with its context
    if len({g.part for g in groups}) > 1:
        return groups  # prompts set apart by thematic breaks
    whole = openers[0]
    whole.blocks = [block for group in groups for block in group.blocks]
    return [whole]


def _prompt(text: str, group: _Group) -> Prompt:
    """One prompt from its blocks: the paragraphs' text joined by newlines, the fenced
    code kept apart (read for details only), the extent from the first to the last block."""
    if len(group.blocks) == 1:  # one paragraph (most prompts): the prompt it already is
        first = group.lead.prompt
        assert first is not None  # a "text" block
        newline = first.text.find("\n")
        return first if newline < 0 else first._replace(lead=(0, newline))
    segments: list[Segment] = []
    pieces: list[str] = []
    code: list[str] = []
    code_size = 0
    offset = 0
    lead: tuple[int, int] | None = None
    for block in group.blocks:
        if block.kind == "code":
            if code_size < MAX_CODE:
                piece = text[block.start : min(block.end, block.start + MAX_CODE - code_size)]
                code.append(piece)
                code_size += len(piece)
            continue
        prompt = block.prompt
        assert prompt is not None  # a "text" block
        if pieces:
            offset += 1  # the "\n" between blocks belongs to no segment
        if block is group.lead:
            first_line = prompt.text.find("\n")
            lead = (offset, offset + (len(prompt.text) if first_line < 0 else first_line))
        segments.extend(Segment(s.text_start + offset, s.doc_start, s.length) for s in prompt.segments)
        pieces.append(prompt.text)
        offset += len(prompt.text)
    start = min(block.start for block in group.blocks)
    end = max(block.end for block in group.blocks)
    assert group.lead.prompt is not None
    return Prompt("\n".join(pieces), tuple(segments), group.lead.prompt.kind, None, "\n".join(code), (start, end), lead)
