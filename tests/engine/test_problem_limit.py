"""maxProblems (issue 16): the engine and the editor's incremental analysis stop at the
same prompt, and an edit that brings the file under the limit checks every prompt again."""

from __future__ import annotations

from promptcoach.engine.analyze import Engine
from promptcoach.engine.incremental import IncrementalAnalyzer
from promptcoach.engine.settings import Settings

PROMPT = "Make a posts table.\n\n"


def _summary(analysis):
    return [p.prompt.start for p in analysis.prompts], [(f.rule, f.start, f.data) for f in analysis.findings]


def test_engine_and_incremental_analysis_stop_at_the_same_prompt():
    engine = Engine(Settings(max_problems=4))
    text = PROMPT * 10
    whole = engine.analyze(text, "p.prompt.md")
    assert len(whole.prompts) == 4
    assert _summary(whole)[1] == [("too-many-problems", 4 * len(PROMPT), {"limit": 4, "leftOut": 6})]
    incremental = IncrementalAnalyzer(engine)
    assert _summary(incremental.analyze(text, "p.prompt.md")) == _summary(whole)
    shorter = PROMPT * 3
    assert _summary(incremental.analyze(shorter, "p.prompt.md")) == _summary(engine.analyze(shorter, "p.prompt.md"))
    assert len(incremental.document().prompts) == 3 and incremental.document().findings == []


def test_suppressed_findings_do_not_count():
    engine = Engine(Settings(max_problems=2))
    text = "<!-- promptcoach-disable-file missing-detail -->\n\n" + PROMPT * 5
    analysis = engine.analyze(text, "p.prompt.md")
    assert len(analysis.prompts) == 5 and analysis.findings == []


def test_the_limit_can_be_turned_off_and_the_rule_silenced():
    assert len(Engine(Settings(max_problems=0)).analyze(PROMPT * 50, "p.prompt.md").prompts) == 50
    quiet = Engine(Settings(max_problems=1, severities={"too-many-problems": "off"})).analyze(PROMPT * 5, "p.prompt.md")
    assert len(quiet.prompts) == 1 and quiet.findings == []
