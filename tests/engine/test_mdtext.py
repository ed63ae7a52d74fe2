"""Repository text in hovers and completion documentation is escaped (engine/mdtext.py)."""

from promptcoach.engine.mdtext import md_code, md_text


def test_markdown_of_a_knowledge_pack_does_not_render():
    assert md_text("Prisma ![x](evil/a.png) <img src=x>") == "Prisma \\!\\[x\\]\\(evil/a.png\\) \\<img src=x\\>"
    # with a URL in it, the word is a code span: escaped or not, a renderer would link it
    assert md_text("Prisma ![x](http://evil/a.png) now") == "Prisma `![x](http://evil/a.png)` now"


def test_a_bare_url_or_address_is_a_code_span_not_a_link():
    """GitHub-flavoured renderers make a link of a bare URL, www. name or e-mail address."""
    assert md_text("see https://evil.example/b and www.evil.example") == (
        "see `https://evil.example/b` and `www.evil.example`"
    )
    assert md_text("mail admin@evil.example now") == "mail `admin@evil.example` now"
    assert md_text("use @decorators and a.b") == "use @decorators and a.b"
    assert md_text("a *b* c") == "a \\*b\\* c"


def test_a_code_span_holds_any_backticks():
    assert md_code("a `b` c") == "``a `b` c``"
    assert md_code("`x`") == "`` `x` ``"
