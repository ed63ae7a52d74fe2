"""What :func:`promptcoach.engine.extract.extract` gives: ``(prompt, kind)`` of each
whole prompt, with each prompt built or its kind read only when first asked for.

:class:`PromptSequence` is the shape both kinds of document share: a prompt file's
whole prompts (:class:`~promptcoach.engine.extract.grouping.WholePrompts`) and a source
file's marked comments (:class:`~promptcoach.engine.extract.marked_list.MarkedPrompts`).
A subclass says how to get one prompt, its kind and its span by index; indexing and
the prompts of some kinds follow from those.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from promptcoach.engine.model import Prompt


class PromptSequence(Sequence[tuple[Prompt, str]]):
    __slots__ = ()

    def prompt(self, index: int) -> Prompt:
        """Prompt ``index``, built if it was not."""
        raise NotImplementedError

    def kind(self, index: int) -> str:
        """The kind of prompt ``index``, read if it was not, without building the prompt."""
        raise NotImplementedError

    def span(self, index: int) -> tuple[int, int]:
        """The document span of prompt ``index`` (its ``start``, ``end``), without building it."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> tuple[Prompt, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Prompt, str]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Prompt, str] | list[tuple[Prompt, str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.prompt(index), self.kind(index)

    def of_kind(self, kinds: tuple[str, ...], before: int | None = None) -> Iterator[Prompt]:
        """The prompts whose kind is one of ``kinds``, in order (only those are built);
        ``before``: only those that start before this offset (the later ones are not read)."""
        for index in range(len(self)):
            if before is not None and self.span(index)[0] >= before:
                return
            if self.kind(index) in kinds:
                yield self.prompt(index)
