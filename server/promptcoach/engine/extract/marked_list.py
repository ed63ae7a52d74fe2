"""The marked comments of a source file as ``(prompt, kind)`` pairs, each kind read
when it is first asked for.

The prompts themselves are found in one pass (:mod:`.comments`); reading a prompt's
kind (:func:`promptcoach.engine.intent.kind_of`) costs more than finding it. The
prompts after ``maxProblems`` stops the analysis are asked for theirs only where the
file's own context is gathered (its context and guideline comments, in its first
256 KB: ``statements.MAX_CONTEXT_TEXT``), which a request with a missing project-wide
detail, and the editor's every full analysis, do. Like
:class:`~promptcoach.engine.extract.grouping.WholePrompts` it is a
:class:`~.prompt_sequence.PromptSequence`, so callers treat both alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from promptcoach.engine.extract.prompt_sequence import PromptSequence
from promptcoach.engine.model import Prompt


class MarkedPrompts(PromptSequence):
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

    def __iter__(self) -> Iterator[tuple[Prompt, str]]:
        for index, prompt in enumerate(self._prompts):
            yield prompt, self.kind(index)

    def prompt(self, index: int) -> Prompt:
        return self._prompts[index]

    def span(self, index: int) -> tuple[int, int]:
        prompt = self._prompts[index]
        return prompt.start, prompt.end

    def kind(self, index: int) -> str:
        kind = self._kinds[index]
        if kind is None:
            kind = self._kinds[index] = self._kind_of(self._prompts[index].text)
        return kind
