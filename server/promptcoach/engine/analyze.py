"""The analysis pipeline: extract prompts, classify them, run the rules.

:class:`Engine` is what the CLI and the language server call. It loads the
knowledge base once, lazily, and caches classifications by prompt text, so a
re-analysis after an edit only classifies the prompts whose text changed.
"""

from __future__ import annotations

from collections import OrderedDict

from promptcoach.engine.detect import classify
from promptcoach.engine.extract import extract_prompts
from promptcoach.engine.knowledge import KnowledgeBase, load_knowledge
from promptcoach.engine.model import Classification, DocumentAnalysis, PromptAnalysis
from promptcoach.engine.rules import RuleContext, run_rules
from promptcoach.engine.settings import Settings

_CACHE_SIZE = 20_000


class Engine:
    def __init__(self, settings: Settings | None = None, knowledge: KnowledgeBase | None = None) -> None:
        self.settings = settings or Settings()
        self._knowledge = knowledge
        self._classified: OrderedDict[str, Classification] = OrderedDict()

    @property
    def knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            self._knowledge = load_knowledge(self.settings)
        return self._knowledge

    def classify(self, text: str) -> Classification:
        cached = self._classified.get(text)
        if cached is not None:
            self._classified.move_to_end(text)
            return cached
        result = classify(text, self.knowledge)
        self._classified[text] = result
        if len(self._classified) > _CACHE_SIZE:
            self._classified.popitem(last=False)
        return result

    def analyze(self, text: str, path: str, language_id: str | None = None) -> DocumentAnalysis:
        prompts = extract_prompts(text, path, language_id=language_id, settings=self.settings)
        analyses = []
        for prompt in prompts:
            classification = self.classify(prompt.text)
            context = RuleContext(prompt, classification, self.knowledge, self.settings, text)
            analyses.append(PromptAnalysis(prompt, classification, run_rules(context)))
        return DocumentAnalysis(path=path, text=text, prompts=analyses)
