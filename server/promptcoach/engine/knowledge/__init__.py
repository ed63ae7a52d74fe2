"""The knowledge base: categories, key details, evidence, completions and templates.

Data lives in ``server/promptcoach/knowledge/categories/*.yaml`` (schema
``schemas/knowledge.schema.json``); this package turns it into frozen objects
and the lookup tables :mod:`promptcoach.engine.detect` uses.
"""

from promptcoach.engine.knowledge.loader import (
    KnowledgePack,
    builtin_knowledge,
    load_knowledge,
    load_pack,
)
from promptcoach.engine.knowledge.model import (
    Category,
    Clause,
    CompletionItem,
    Detail,
    Example,
    KnowledgeBase,
    Pattern,
)
from promptcoach.engine.knowledge.safe_regex import UnsafePattern, check_pattern
from promptcoach.engine.knowledge.terms import term_key

__all__ = [
    "Category",
    "Clause",
    "CompletionItem",
    "Detail",
    "Example",
    "KnowledgeBase",
    "KnowledgePack",
    "Pattern",
    "UnsafePattern",
    "builtin_knowledge",
    "check_pattern",
    "load_knowledge",
    "load_pack",
    "term_key",
]
