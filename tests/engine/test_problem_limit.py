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


def test_one_prompt_with_more_findings_than_the_limit_stops_at_it():
    """A prompt with a vague term on every line builds at most maxProblems findings per
    rule (the file stops there anyway); the prompt is listed, the next one is not."""
    prompt = "Make the posts API work:\n" + "".join(f"- handle item {i} somehow\n" for i in range(50))
    engine = Engine(Settings(max_problems=10))
    analysis = engine.analyze(prompt + "\n" + PROMPT, "p.prompt.md")
    assert len(analysis.prompts) == 1
    vague = [f for f in analysis.prompts[0].findings if f.rule == "vague-term"]
    assert len(vague) == 10 and vague[-1].start < prompt.index("item 10 ")
    assert [f.rule for f in analysis.findings] == ["too-many-problems"]
    unlimited = Engine(Settings(max_problems=0)).analyze(prompt, "p.prompt.md")
    assert len([f for f in unlimited.prompts[0].findings if f.rule == "vague-term"]) == 50


def test_the_search_for_secrets_stops_at_the_limit_with_the_same_first_findings():
    tokens = "".join(f"- use token ghp_{i:036d} for call {i}\n" for i in range(30))
    prompt = "Call the GitHub API from the worker:\n" + tokens
    limited = Engine(Settings(max_problems=5)).analyze(prompt, "p.prompt.md").prompts[0].findings
    unlimited = Engine(Settings(max_problems=0)).analyze(prompt, "p.prompt.md").prompts[0].findings
    secrets = [(f.start, f.end, f.message) for f in limited if f.rule == "hardcoded-secret"]
    all_secrets = [(f.start, f.end, f.message) for f in unlimited if f.rule == "hardcoded-secret"]
    assert len(all_secrets) == 30
    assert secrets == all_secrets[:5]


def test_prompts_past_the_limit_are_counted_not_read(monkeypatch):
    """Whole prompts are built (and their lead lines read) when asked for: past the
    limit they are only counted, and the count is what reading them all gives."""
    text = "".join(f"- - -\nmake item {i} properly\n" for i in range(200))
    analysis, read = _analysed_counting(monkeypatch, "read", text, "p.prompt.md")
    assert len(analysis.prompts) == 10
    assert analysis.findings[-1].data == {"limit": 10, "leftOut": 190}
    assert len(read) <= 20  # the analysed prompts, not the 200 of the file


def _analysed_counting(monkeypatch, reader: str, text: str, path: str):
    """The analysis of ``text`` with ``maxProblems: 10``, and the texts that
    ``intent.<reader>`` read for it (extract looks the reader up at each call)."""
    from promptcoach.engine import intent

    read = []
    real = getattr(intent, reader)

    def counting(source, *args, **kwargs):
        read.append(source)
        return real(source, *args, **kwargs)

    intent.clear_readings()
    monkeypatch.setattr(intent, reader, counting)
    return Engine(Settings(max_problems=10)).analyze(text, path), read


def test_marked_comments_past_the_limit_are_not_read_for_their_kind(monkeypatch):
    """A source file's marked comments are all found, but a comment's kind is read only
    when its prompt is analysed: past the limit they are counted, as in a prompt file."""
    text = "".join(f"x = {i}\n# prompt: make item {i} properly\n" for i in range(200))
    analysis, read = _analysed_counting(monkeypatch, "kind_of", text, "app.py")
    assert len(analysis.prompts) == 10
    assert analysis.findings[-1].data == {"limit": 10, "leftOut": 190}
    assert len(read) <= 20
    unlimited = Engine(Settings(max_problems=0)).analyze(text, "app.py")
    assert [p.kind for p in unlimited.prompts] == ["request"] * 200
    assert [p.prompt.text for p in unlimited.prompts[:10]] == [p.prompt.text for p in analysis.prompts]


def test_the_search_for_vague_terms_stops_at_the_limit_with_the_same_first_terms():
    from promptcoach.engine.rules.vague_term import find_vague_terms

    text = "Build the importer: " + ", ".join(f"item {i} etc. and stuff" for i in range(40))
    every = find_vague_terms(text)
    assert len(every) == 80
    assert find_vague_terms(text, 7) == every[:7]
    assert find_vague_terms(text, 0) == every  # 0: no limit
