"""Repository text in hovers and completion documentation is escaped (engine/mdtext.py)."""

from promptcoach.engine.mdtext import md_code, md_text


def test_markdown_of_a_knowledge_pack_does_not_render():
    assert (
        md_text("Prisma ![x](http://evil/a.png) <img src=x>")
        == "Prisma \\!\\[x\\]\\(http://evil/a.png\\) \\<img src=x\\>"
    )


def test_a_code_span_holds_any_backticks():
    assert md_code("a `b` c") == "``a `b` c``"
    assert md_code("`x`") == "`` `x` ``"
