"""The marked comments of a source file as ``(prompt, kind)`` pairs, each kind read
when it is first asked for.

The prompts themselves are found in one pass (:mod:`.comments`); reading a prompt's
kind (:func:`promptcoach.engine.intent.kind_of`) costs more than finding it. The
prompts after ``maxProblems`` stops the analysis are asked for theirs only where the
file's own context is gathered (its context and guideline comments, in its first
256 KB: ``statements.MAX_CONTEXT_TEXT``), which a request with a missing project-wide
detail, and the editor's every full analysis, do. The sequence answers as
:class:`~promptcoach.engine.extract.grouping.WholePrompts` does (``span``, ``kind``,
``of_kind``), so callers treat both alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from promptcoach.engine.model import Prompt


class MarkedPrompts(Sequence[tuple[Prompt, str]]):
    __slots__ = ("_prompts", "_kind_of", "_kinds")

    def __init__(self, prompts: list[Prompt], kind_of: Callable[[str], str]) -> None:
        self._prompts = prompts
        self._kind_of = kind_of  # a prompt's text -> its kind
        self._kinds: list[str | None] = [None] * len(prompts)

    @property
    def prompts(self) -> list[Prompt]:
        """The prompts alone (no kind read)."""
        return self._prompts

    def __len__(self) -> int:
        return len(self._prompts)

    @overload
    def __getitem__(self, index: int) -> tuple[Prompt, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Prompt, str]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Prompt, str] | list[tuple[Prompt, str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._prompts[index], self.kind(index)

    def __iter__(self) -> Iterator[tuple[Prompt, str]]:
        for index, prompt in enumerate(self._prompts):
            yield prompt, self.kind(index)

    def span(self, index: int) -> tuple[int, int]:
        prompt = self._prompts[index]
        return prompt.start, prompt.end

    def kind(self, index: int) -> str:
        kind = self._kinds[index]
        if kind is None:
            kind = self._kinds[index] = self._kind_of(self._prompts[index].text)
        return kind

    def of_kind(self, kinds: tuple[str, ...], before: int | None = None) -> Iterator[Prompt]:
        """The prompts whose kind is one of ``kinds``, in order; ``before``: only those
        that start before this offset (the later ones are not read)."""
        for index, prompt in enumerate(self._prompts):
            if before is not None and prompt.start >= before:
                return
            if self.kind(index) in kinds:
                yield prompt
