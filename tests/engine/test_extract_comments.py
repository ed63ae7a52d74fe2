"""Marked comments in source files: markers, continuation, the lexer, the language table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from promptcoach.engine.extract import document_kind, extract_prompts
from promptcoach.engine.extract.languages import LanguageTable, language_table
from promptcoach.engine.model import Prompt, Segment
from promptcoach.engine.settings import Settings
from promptcoach.engine.yamldata import DataError, load_yaml

SETTINGS = Settings()
GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "extract"


def prompts(source: str, path: str, settings: Settings = SETTINGS) -> list[Prompt]:
    found = extract_prompts(source, path, settings=settings)
    for prompt in found:
        assert_segments_map(source, prompt)
    return found


def texts(source: str, path: str, settings: Settings = SETTINGS) -> list[str]:
    return [p.text for p in prompts(source, path, settings)]


def assert_segments_map(doc: str, prompt: Prompt) -> None:
    pieces = []
    for segment in prompt.segments:
        piece = prompt.text[segment.text_start : segment.text_start + segment.length]
        assert segment.length > 0 or prompt.text == ""  # a bare marker: one empty segment
        assert doc[segment.doc_start : segment.doc_start + segment.length] == piece
        pieces.append(piece)
    assert "\n".join(pieces) == prompt.text


# -- markers ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "comment,marker,text",
    [
        ("# prompt: make a table", "prompt:", "make a table"),
        ("# ai: make a table", "ai:", "make a table"),
        ("# AI: make a table", "ai:", "make a table"),
        ("# @ai make a table", "@ai", "make a table"),
        ("# @AI: make a table", "@ai", "make a table"),
        ("# TODO(ai): make a table", "TODO(ai):", "make a table"),
        ("# todo(AI):make a table", "TODO(ai):", "make a table"),
        ("#prompt:make a table", "prompt:", "make a table"),
        ("## ai: doubled token", "ai:", "doubled token"),
    ],
)
def test_markers(comment: str, marker: str, text: str) -> None:
    [found] = prompts(comment + "\n", "a.py")
    assert (found.text, found.marker, found.kind) == (text, marker, "comment")


@pytest.mark.parametrize(
    "comment",
    ["# @aim high", "# @ai_helper", "# prompts: many", "# said: no", "# see ai: later", "# aix: no"],
)
def test_not_markers(comment: str) -> None:
    assert prompts(comment + "\n", "a.py") == []


def test_custom_markers() -> None:
    custom = Settings(markers=("copilot:", "@bot"))
    assert texts("# copilot: a\n# ai: b\n# @bot c\n# @bots d\n", "a.py", custom) == ["a\nai: b", "c\n@bots d"]
    assert texts("# ai: b\n", "a.py", Settings(markers=())) == []


# -- continuation ---------------------------------------------------------------------
def test_continuation_stops_at_blank_comment_line_code_and_marker() -> None:
    source = (
        "# ai: first line\n#   second line\n#\n# not part of it\n# prompt: another\n# continued\nx = 1\n# after code\n"
    )
    assert texts(source, "a.py") == ["first line\nsecond line", "another\ncontinued"]


def test_marker_alone_on_its_line_takes_the_following_lines() -> None:
    assert texts("// ai:\n// build the endpoint\n// with auth\n", "a.ts") == ["build the endpoint\nwith auth"]


def test_a_bare_marker_is_an_empty_prompt_just_after_the_marker() -> None:
    """So empty-prompt can report it (a marker with nothing after it is a task forgotten)."""
    for source in ("// ai:\nconst x = 1;\n", "// ai:   \nconst x = 1;\n"):
        (prompt,) = prompts(source, "a.ts")
        assert (prompt.text, prompt.marker, prompt.kind) == ("", "ai:", "comment")
        assert prompt.segments == (Segment(0, len("// ai:"), 0),)  # trailing blanks are not the prompt's
    assert texts("# prompt:\n# add a posts table\n", "a.py") == ["add a posts table"]  # text on the next line


def test_trailing_comment_continues_with_full_line_comments_only() -> None:
    source = "x = 1  # ai: cache this\n# for an hour\ny = 2  # unrelated trailing comment\n"
    assert texts(source, "a.py") == ["cache this\nfor an hour"]


def test_continuation_needs_the_same_token_on_the_next_line() -> None:
    assert texts("// ai: one\n\n// two\n", "a.ts") == ["one"]
    assert texts("-- ai: one\n# two\n", "a.sql") == ["one"]


def test_block_comment_with_gutters_stops_at_a_blank_line() -> None:
    source = "/**\n * ai: validate the body\n * and return 400\n *\n * @param req the request\n */\n"
    [found] = prompts(source, "a.java")
    assert found.text == "validate the body\nand return 400"
    assert source[found.start : found.end] == "validate the body\n * and return 400"


def test_block_comment_on_one_line_and_trailing_decoration() -> None:
    assert texts("/* ai: one line **/\n/*ai:tight*/\n", "a.c") == ["one line", "tight"]


def test_several_markers_in_one_block_comment() -> None:
    assert texts("/*\n ai: first\n ai: second\n more\n*/\n", "a.c") == ["first", "second\nmore"]


def test_unterminated_block_comment_runs_to_the_end() -> None:
    assert texts("/* ai: never closed\n   still the prompt", "a.c") == ["never closed\nstill the prompt"]


# -- strings are not comments ----------------------------------------------------------
@pytest.mark.parametrize(
    "path,source",
    [
        ("a.py", 's = "# ai: no"\nt = \'# ai: no\'\nu = """\n# ai: no\n"""\nv = rb\'# ai: no\'\n'),
        ("a.py", "w = f'''{x}\n# ai: no\n'''\n"),
        ("a.js", "const t = `\n// ai: no ${x}\n`;\nconst r = /\\/\\/ ai: no/;\n"),
        ("a.js", 'const q = "it\'s // ai: no";\n'),
        ("a.rs", 'let r = r#"\n// ai: no "still" raw\n"#;\nfn f<\'a>(x: &\'a str) {}\n'),
        ("a.go", "s := `\n// ai: no\n`\nc := '\"'\n"),
        ("a.cs", 'var p = @"C:\\dir\\"" // ai: no";\n'),
        ("a.lua", "local s = [==[\n-- ai: no\n]==]\n"),
        ("a.sql", "SELECT 'it''s -- ai: no';\n"),
        ("a.sh", "echo \"${#x}\" '# ai: no' a#b\ncat <<EOF\n# ai: no\nEOF\n"),
        ("a.yaml", "key: a#b\nq: 'don''t # ai: no'\n"),
        ("a.php", "<?php\n#[Route('/x')]\n$s = '// ai: no';\n"),
        ("a.rb", "s = <<~TXT\n  # ai: no\nTXT\n"),
        ("a.toml", "a = '''\n# ai: no\n'''\n"),
        ("a.css", "a { background: url(http://x/#y); content: '/* ai: no */'; }\n"),
        ("a.tex", "50\\% ai: no\n"),
        ("Dockerfile", "RUN echo hi # ai: no\n"),
        ("a.kt", 'val s = """\n// ai: no\n"""\n'),
        ("a.swift", 'let s = #"// ai: no "quoted" "#\n'),
        ("a.html", "<p>// ai: no</p>\n<script>const s = '<!-- ai: no -->';</script>\n"),
    ],
)
def test_marker_text_inside_strings_is_not_a_prompt(path: str, source: str) -> None:
    assert prompts(source, path) == []


def test_unterminated_string_stops_at_the_end_of_its_line() -> None:
    assert texts('s = "oops\n# ai: still found\n', "a.py") == ["still found"]


@pytest.mark.parametrize(
    "path,source,expected",
    [
        ("a.rs", "/* outer /* inner */ ai: no */\n/* ai: yes /* nested */ more */\n", ["yes /* nested */ more"]),
        ("a.hs", "{- outer {- inner -} -}\n{- ai: yes -}\n", ["yes"]),
        ("a.swift", "/* a /* b */ c */ // ai: after\n", ["after"]),
        ("a.c", "/* a /* b */ // ai: after\n", ["after"]),
        ("a.rb", "=begin\nai: documented\n=end\n", ["documented"]),
        ("a.lua", "--[[ ai: long\ncomment ]]\n-- ai: short\n", ["long\ncomment", "short"]),
        ("a.ml", "(* ai: ocaml\n * gutter *)\n", ["ocaml\ngutter"]),
        ("a.prisma", "/// ai: document the model\n", ["document the model"]),
        ("a.html", "<!--\n  ai: html\n  comment\n-->\n", ["html\ncomment"]),
        (
            "a.vue",
            "<template><!-- ai: in template --></template>\n<script>\n// ai: in script\n</script>\n",
            ["in template", "in script"],
        ),
        ("a.scss", "// ai: line\n/* ai: block */\n", ["line", "block"]),
        ("a.tf", "# ai: hash\n// ai: slashes\n/* ai: block */\n", ["hash", "slashes", "block"]),
        ("a.clj", "(def c \\;) ; ai: clojure\n", ["clojure"]),
        ("a.erl", "C = $%, % ai: erlang\n", ["erlang"]),
        ("a.vim", '" ai: vim\nlet x = "a" " not a comment\n', ["vim"]),
        ("a.ini", "; ai: ini\nkey = a ; b\n", ["ini"]),
    ],
)
def test_comment_syntaxes(path: str, source: str, expected: list[str]) -> None:
    assert texts(source, path) == expected


def test_crlf_and_lone_cr_sources() -> None:
    for newline in ("\r\n", "\r"):
        source = newline.join(["x = 1 # ai: first", "# second", "", "y = 2"])
        assert texts(source, "a.py") == ["first\nsecond"]


def test_bom_before_a_line_start_comment() -> None:
    assert texts("\ufeff# ai: in a Dockerfile\n", "Dockerfile") == ["in a Dockerfile"]


# -- language table ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path,language",
    [
        ("Dockerfile", "dockerfile"),
        ("Dockerfile.dev", "dockerfile"),
        ("api.Dockerfile", "dockerfile"),
        ("Makefile", "makefile"),
        ("CMakeLists.txt", "cmake"),
        (".env", "shell"),
        (".env.local", "shell"),
        ("Gemfile", "ruby"),
        ("x.d.ts", "typescript"),
        ("X.PY", "python"),
        ("schema.prisma", "prisma"),
        ("main.tf", "terraform"),
        ("a.tsx", "tsx"),
        ("dir\\win.cs", "csharp"),
    ],
)
def test_language_by_file_name(path: str, language: str) -> None:
    assert language_table().language_for(path).name == language


def test_language_id_wins_over_the_file_name() -> None:
    assert language_table().language_for("untitled-1", "typescriptreact").name == "tsx"
    assert language_table().language_for("a.txt", "python").name == "python"
    assert document_kind("untitled-1", "python", SETTINGS) == "source"
    assert language_table().language_for("a.unknown") is None


def test_at_least_twenty_languages_in_the_table() -> None:
    assert len(language_table().languages) >= 20


def test_language_table_errors_name_the_file() -> None:
    with pytest.raises(DataError, match="t.yaml:3"):
        load_yaml("syntaxes: {s: {}}\nlanguages:\n  x: {extensions: [a]}\n", "t.yaml", "languages")
    data = {"syntaxes": {"s": {"strings": ["nope"]}}, "languages": {"x": {"syntax": "s"}}}
    with pytest.raises(DataError, match="unknown string kind"):
        LanguageTable(data, "t.yaml")
    data = {
        "syntaxes": {"s": {}},
        "languages": {"x": {"syntax": "s", "extensions": ["a"]}, "y": {"syntax": "s", "extensions": ["a"]}},
    }
    with pytest.raises(DataError, match="claimed by"):
        LanguageTable(data, "t.yaml")


# -- property: segments always map back ---------------------------------------------------
GOLDEN_SAMPLES = sorted(p for p in GOLDEN.iterdir() if p.suffix != ".json" and p.name != ".gitattributes")


@pytest.mark.parametrize("sample", GOLDEN_SAMPLES, ids=[p.name for p in GOLDEN_SAMPLES])
def test_segments_of_golden_samples_map_to_the_document(sample: Path) -> None:
    text = sample.read_bytes().decode("utf-8")
    language_id = "matlab" if sample.name.startswith("matlab") else None
    for prompt in extract_prompts(text, sample.name, language_id=language_id, settings=SETTINGS):
        assert_segments_map(text, prompt)


_SOURCE_LINES = st.sampled_from(
    [
        "",
        "x = 1",
        "# ai: make it so",
        "#   continued",
        "#",
        "# plain",
        's = "# ai: no"',
        "t = '''",
        "'''",
        "y = 2  # prompt: trailing",
        "# @ai go 😀",
        "\t# TODO(ai): tabbed",
        'u = "unterminated',
    ]
)


@hsettings(max_examples=200, deadline=None)
@given(st.lists(_SOURCE_LINES, max_size=20), st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_sources_map_back(lines: list[str], newline: str) -> None:
    source = newline.join(lines)
    for prompt in extract_prompts(source, "a.py", settings=SETTINGS):
        assert_segments_map(source, prompt)
        assert prompt.text and prompt.text == prompt.text.strip()


def test_the_shipped_table_passes_the_careful_reader() -> None:
    """The careful reader also rejects duplicate keys, which libyaml would let pass."""
    from promptcoach.engine.extract.languages import TABLE_FILE
    from promptcoach.engine.yamldata import load_yaml_file

    data = load_yaml_file(TABLE_FILE, "languages")
    assert set(LanguageTable(data, str(TABLE_FILE)).languages) == set(language_table().languages)


def test_a_marker_comments_list_joins_it_across_a_blank_comment_line():
    source = (
        "# prompt: Add user login:\n#\n#   - GitHub OAuth\n#   - sessions in a cookie\nx = 1\n\n"
        "# prompt: Make a posts table.\n#\n# This note is not part of it.\n"
    )
    assert texts(source, "app.py") == ["Add user login:\n- GitHub OAuth\n- sessions in a cookie", "Make a posts table."]
