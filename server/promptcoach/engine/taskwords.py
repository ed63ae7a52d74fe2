"""The verbs a task for a coding assistant starts with ("make", "add", "fetch" ...).

Expansion finds a prompt's subject after its task verb (engine/expand.py), and a clause
that goes before a prompt is joined to it only when the prompt starts with one ("Using
Prisma, make a posts table"); a prompt that starts otherwise, a question or a
statement, gets the clause as a sentence of its own (engine/clauses.py).
"""

from __future__ import annotations

TASK_VERBS = frozenset(
    "make create add build get fetch list load read process handle store save update delete remove "
    "send sync call write define set setup implement integrate track log import export generate "
    "return show find compute calculate charge notify run schedule validate upload download "
    "retrieve pull push query design rename expose need want change modify migrate seed "
    "protect secure connect refund email enable support keep let allow use configure".split()
)


def is_task_verb(word: str) -> bool:
    """A task verb (lower case), also as "-s" or "-ing" ("returns", "storing")."""
    if word in TASK_VERBS:
        return True
    if word.endswith("s") and (word[:-1] in TASK_VERBS or (word.endswith("es") and word[:-2] in TASK_VERBS)):
        return True
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        return stem in TASK_VERBS or stem + "e" in TASK_VERBS or (stem[-1:] == stem[-2:-1] and stem[:-1] in TASK_VERBS)
    return False
