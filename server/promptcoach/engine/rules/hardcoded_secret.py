"""hardcoded-secret: the prompt asks to write a key, password or token into the code.

Four shapes are found, in this order of precedence when they overlap:

1. a literal that looks like a real credential (``sk_live_...``, ``AKIA...``, a
   database URL with a password) anywhere in the prompt;
2. a strong request: "hardcode"/"embed"/"inline" near a secret noun
   ("hardcode the Stripe key", "with a hard-coded API key");
3. a weak request: "put"/"paste"/"store" a secret "in the file/code/repo", when the
   sentence names no safe place (environment variable, vault ...);
4. a spelled-out value after a secret noun ("use password 'hunter2'",
   ``API_KEY=abc123``), unless the sentence is about tests, seeds or examples.

Negations ("never hardcode", "remove the hardcoded key") and questions are not
findings. The fix rewrites the request to read the secret from an environment
variable whose name comes from the owner of the secret (``STRIPE_SECRET_KEY``).

This module is the rule itself: it runs the detectors and keeps the candidates that
do not overlap. The vocabulary is in :mod:`.secret_vocabulary`, the literal shapes
(1, and ``NAME=value`` assignments) in :mod:`.secret_literals`, the sentence shapes
(2-4) in :mod:`.secret_requests`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from promptcoach.engine.model import Finding, Fix
from promptcoach.engine.rules.base import Rule, RuleContext
from promptcoach.engine.rules.secret_literals import assignments, key_literals, may_assign
from promptcoach.engine.rules.secret_requests import (
    REACH_BACK,
    NearNouns,
    may_ask,
    only_strong_requests,
    sentence_nouns,
    spelled_out,
    strong_requests,
    weak_requests,
)
from promptcoach.engine.rules.secret_vocabulary import (
    DETERMINER_REACH,
    RULE_ID,
    Candidate,
    SecretNoun,
    vocabulary,
)
from promptcoach.engine.rules.spans import sentences


def find_secrets(text: str, limit: int = 0) -> list[Candidate]:
    """Every request or literal the rule reports in ``text``, without overlaps. ``limit``
    (0: none): each kind of search stops after that many, in text order (the rule keeps
    at most ``maxProblems`` findings of a prompt anyway, and finding one costs tens of µs)."""
    vocab = vocabulary()
    # Overlaps go, also between key literals ("sk-ant-..." is an Anthropic key, not
    # also an OpenAI "sk-..." one): the first pattern listed wins. Each candidate is
    # kept or not as it is found, in that order (earlier shapes win).
    kept = _Kept()
    kept.add_all(assignments(text, vocab, limit))  # before key literals: `STRIPE_KEY=sk_live_...` goes whole
    kept.add_all(key_literals(text, vocab, limit))
    requests = 0
    for start, end in sentences(text) if vocab.prefilter.search(text) and may_ask(text, vocab) else ():
        # Every candidate of this sentence or a later one starts at most a determiner
        # before it and yields to those kept already: with `limit` kept before that, the
        # first `limit` are known (key literals on every line of a long paragraph).
        if limit and (requests >= limit or kept.before(start - DETERMINER_REACH) >= limit):
            break
        if text[end : end + 1] == "?":
            continue  # a question about secrets is not a request
        if vocab.strong_verbs.search_in(text, start, end) or vocab.weak_verbs.search_in(text, start, end):
            listed = list(sentence_nouns(text, start, end, vocab))
            near = NearNouns(listed)
            nouns: Iterable[SecretNoun] = listed
            only_strong: bool | None = None  # worked out when it matters, see below
            for candidate in strong_requests(text, start, end, near, vocab):
                kept.add(candidate)
                requests += 1
                # With `limit` kept ones before where any later verb's request can start,
                # a sentence that holds no other shape of request has nothing left that
                # changes the first `limit` (a sentence of thousands of "hardcode the
                # Stripe key and ..." stops there, not at its end).
                if limit and kept.before(near.reach_before(candidate.start)) >= limit:
                    if only_strong is None:
                        only_strong = only_strong_requests(text, start, end, vocab)
                    if only_strong:
                        return kept.candidates
            requests += kept.add_all(weak_requests(text, start, end, near, vocab))
        else:  # no verb for a request: the nouns are read one by one, for spelled-out values only
            nouns = sentence_nouns(text, start, end, vocab)
        for candidate, noun_end in spelled_out(text, start, end, nouns, vocab):
            kept.add(candidate)
            requests += 1
            # Every candidate still to come starts at or after noun_end - REACH_BACK (a
            # later noun of this sentence, or a later sentence): with `limit` kept ones
            # before that, none of them can be among the first `limit` kept, and none
            # can take a kept one's place. (A sentence that names a token on each of
            # thousands of lines stops there, not at its end.)
            if limit and kept.before(noun_end - REACH_BACK) >= limit:
                return kept.candidates
    return kept.candidates


class _Kept:
    """The candidates kept so far, by position, none overlapping: a candidate that
    overlaps one kept before it is dropped (earlier shapes win)."""

    __slots__ = ("candidates", "starts")

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.starts: list[int] = []

    def add(self, candidate: Candidate) -> None:
        kept, starts = self.candidates, self.starts
        index = bisect_right(starts, candidate.start)
        if (index == 0 or kept[index - 1].end <= candidate.start) and (
            index == len(kept) or candidate.end <= kept[index].start
        ):
            kept.insert(index, candidate)
            starts.insert(index, candidate.start)

    def add_all(self, candidates: list[Candidate]) -> int:
        for candidate in candidates:
            self.add(candidate)
        return len(candidates)

    def before(self, position: int) -> int:
        """How many kept candidates start before ``position``."""
        return bisect_left(self.starts, position)


def check(ctx: RuleContext, severity: str) -> list[Finding]:
    meta = RULE.meta
    findings = []
    for candidate in ctx.within_limit(find_secrets(ctx.prompt.text, ctx.settings.max_problems)):
        env = candidate.values["env"]
        message = meta.message(candidate.message_key, **candidate.values)
        fix = Fix(
            meta.message("fix", env=env),
            (ctx.edit(candidate.start, candidate.end, candidate.replacement),),
            preferred=True,
        )
        data = {"kind": candidate.message_key, "env": env, "replacement": candidate.replacement}
        findings.append(ctx.finding(RULE_ID, severity, message, candidate.start, candidate.end, data, (fix,)))
    return findings


def may_find(ctx: RuleContext, words: frozenset[str]) -> bool:
    """The gates of :func:`find_secrets`, on words first: a key literal's hint, or a
    secret noun or strong verb with one of the triggers of :func:`~.secret_requests.may_ask`."""
    vocab = vocabulary()
    text = ctx.prompt.text
    return (
        vocab.key_hints.search(text) is not None
        or may_assign(text)
        or (vocab.prefilter.gate.admits(words) and may_ask(text, vocab))
    )


RULE = Rule(RULE_ID, check, gate=may_find)
