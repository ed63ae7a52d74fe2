"""Scaling harness: adversarial input shapes at growing sizes (issue 16).

Every shape is a name, a function ``n -> text`` that repeats one unit ``n`` times
(the text's size grows linearly with ``n``), the path the text is analysed as
(its extension decides prompt file or source language) and the operation timed:

* ``check``    -- what opening the file costs: ``Engine(fixes=True).analyze`` (the
  editor's analysis, quick fixes included), the LSP diagnostics of its findings
  (``lsp/convert.diagnostic_json``) and the CLI report (``output/report.file_report``
  and the text format);
* ``expand``   -- ``promptcoach expand TEXT``: classify, then ``engine/expand.expand``;
* ``complete`` -- one completion request at the shape's cursor (the document is
  analysed first, untimed);
* ``hover``    -- one hover card at the cursor (analysis untimed);
* ``edit``     -- one keystroke at the cursor, re-analysed by the editor's
  ``IncrementalAnalyzer`` (the first analysis untimed).

The runner calibrates ``n`` per shape upward until ``t(n)`` is at least a few
milliseconds (or the text reaches a size cap), then times ``2n``, ``4n`` and
``8n`` and reports ``growth = t(8n) / t(n)``: about 8 for linear work, about 64
for quadratic. A linear-time engine keeps every growth at or below 12 (issue 16).
It also times each shape at the largest ``n`` whose text is at most 1 MB, when a
linear extrapolation from ``8n`` says that can finish within the cap.

Each measurement runs in a worker subprocess (warmed up once, reused across
measurements; with ``--clock cpu`` and in ``make bench``, a new one for each shape) and is timed with ``time.perf_counter`` in that process: median of
several runs while runs are short, one run when they are long. (The quick test,
``tests/reliability/test_scaling.py``, times CPU time instead and takes the fastest
run, which a busy machine disturbs less; see ``QUICK``.) A run longer than
the per-measurement cap kills the worker (a fresh one is started for the next
measurement) and is reported as ``over cap``; the harness never hangs. Caches
keyed by prompt text (classifications, rule findings, expansions, readings of lead
lines, statements) are emptied
before every run, so every run does the work a new document costs.

    python -m bench.scaling                  # every shape, default sizes, table on stdout
    python -m bench.scaling 'md-list*' py-marker-continuation   # shapes by name (globs)
    python -m bench.scaling --quick          # the sizes of the quick test
    python -m bench.scaling --list           # names and what each shape is
    python -m bench scaling                  # the rows `make bench` prints, for this module only
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import os
import select
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000

# --------------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Shape:
    name: str
    build: Callable[[int], str]
    path: str  # the document's path; its extension decides how it is read
    about: str = ""
    op: str = "check"  # check | expand | complete | hover | edit
    start: int = 8  # the first n calibration tries
    at: str = "end"  # cursor for complete / hover / edit: "end", "middle" or "start"
    category: str | None = None  # expand: the category to expand as (None: the classification's)
    known_superlinear: str | None = None  # today's measured behaviour (issue 16), for the quick test

    def text(self, n: int) -> str:
        return self.build(max(1, n))


SHAPES: list[Shape] = []


def shape(name: str, path: str, build: Callable[[int], str], about: str = "", **options) -> None:
    if any(s.name == name for s in SHAPES):
        raise ValueError(f"duplicate shape {name!r}")
    SHAPES.append(Shape(name, build, path, about, **options))


def each(unit: Callable[[int], str]) -> Callable[[int], str]:
    """``n`` units, unit ``i`` made by ``unit(i)``."""
    return lambda n: "".join(unit(i) for i in range(n))


def key(i: int, length: int = 24, alphabet: str = "abcdefghijkmnopqrstuvwxyz0123456789") -> str:
    """A deterministic secret-looking token of ``length`` characters, different per ``i``."""
    out, value = [], i * 2654435761 + 97
    for _ in range(length):
        value = (value * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(alphabet[value % len(alphabet)])
    return "".join(out)


UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
VAGUE = ("stuff", "etc", "somehow", "properly", "things", "appropriate")

# --- the table of issue 16 ----------------------------------------------------------------

shape(
    "cursorrules-paragraph",
    ".cursorrules",
    each(lambda i: f"use the cache properly for item {i}\n"),
    "one .cursorrules paragraph of n lines, a vague term on each",
)
shape(
    "py-marker-continuation",
    "app.py",
    lambda n: "# prompt: add a posts table with stuff\n" + each(lambda i: f"# and column c{i} etc\n")(n) + "x = 1\n",
    "a Python marker comment with n continuation lines",
)
shape(
    "ts-unclosed-regex-class",
    "app.ts",
    lambda n: "// prompt: make the posts API somehow\n" + "x=/[\n" * n,
    "a TypeScript file, n lines each holding an unclosed regex class",
)
shape(
    "md-unclosed-backtick-lines",
    "notes.prompt.md",
    each(lambda i: f"Use the `field{i} stuff\n"),
    "n lines in one paragraph, each with one unclosed backtick",
)
shape(
    "html-script-unclosed",
    "page.html",
    lambda n: "<!-- prompt: add a login form somehow -->\n<script>\n" + "var a = 1;\n" * n,
    "an unclosed <script> with n lines",
)
shape(
    "md-list-nested-one-line",
    "notes.prompt.md",
    lambda n: "- " * n + "x\n",
    "a one-line list nested n deep: '- '*n+'x'",
)
shape(
    "md-env-assignments",
    "notes.prompt.md",
    each(lambda i: f"API_KEY_{i}=sk_live_{key(i)}\n"),
    "n NAME=value lines with secret-looking values in one paragraph",
)
shape(
    "md-secret-sentences",
    "notes.prompt.md",
    each(lambda i: f"Set the stripe api key {i} to sk_live_{key(i, 16)} in the code.\n"),
    "n secret-looking sentences in one paragraph",
)
shape(
    "md-curly-quoted-vague",
    "notes.prompt.md",
    lambda n: "Write the docs. " + "\u201cstuff\u201d " * n + "\n",
    "n curly-quoted vague words in one prompt",
)
shape(
    "md-curly-unclosed",
    "notes.prompt.md",
    lambda n: "Write the docs. " + "\u201cstuff " * n + "\n",
    "n unclosed opening curly quotes before a vague word",
)
shape(
    "md-mixed-crlf-cr",
    "notes.prompt.md",
    each(lambda i: f"Create a fast posts table {i} somehow" + ("\r\n" if i % 2 else "\r")),
    "n lines in one paragraph, line breaks alternating CRLF and CR",
)
shape(
    "expand-routes",
    "cli",
    lambda n: "Create a REST API for posts with routes " + " ".join(f"GET /posts/{i}" for i in range(n)),
    "promptcoach expand of a prompt with n routes",
    op="expand",
)
shape(
    "expand-star-runs",
    "cli",
    lambda n: "Create a posts table with " + "** " * n,
    "promptcoach expand of a prompt with n runs of *",
    op="expand",
)
shape(
    "md-dash-space-x",
    "notes.prompt.md",
    lambda n: "- " * n + "x",
    "'- '*n+'x' with no final line break (issue 16's worst)",
)
shape(
    "ts-eq-slash-bracket",
    "app.ts",
    lambda n: "// prompt: add a posts table somehow\n" + "=/[" * n + "\n",
    "'=/[' repeated n times on one line of TypeScript",
)

# --- Markdown containers ---------------------------------------------------------------------

shape(
    "md-quote-deep-one-line", "notes.prompt.md", lambda n: ">" * n + " make it work somehow\n", "one line quoted n deep"
)
shape(
    "md-quote-paragraph",
    "notes.prompt.md",
    each(lambda i: f"> make item {i} work somehow\n"),
    "one quote paragraph of n lines",
)
shape(
    "md-quote-depth10-lines",
    "notes.prompt.md",
    each(lambda i: f"> > > > > > > > > > item {i} stuff\n"),
    "n lines quoted 10 deep",
)
shape(
    "md-list-items",
    "notes.prompt.md",
    each(lambda i: f"- add endpoint {i} properly\n"),
    "a list of n items (n prompts)",
)
shape(
    "md-lead-and-list",
    "notes.prompt.md",
    lambda n: "Create the following endpoints for posts:\n" + each(lambda i: f"- GET /posts/{i} returns stuff\n")(n),
    "a lead line and an n-item list (one prompt)",
)
shape(
    "md-list-lazy-continuation",
    "notes.prompt.md",
    lambda n: "- add a posts table\n" + each(lambda i: f"with column c{i} etc\n")(n),
    "one list item with n lazy continuation lines",
)
shape(
    "md-list-staircase",
    "notes.prompt.md",
    each(lambda i: "  " * (i % 40) + f"- item {i} somehow\n"),
    "n list items whose indent climbs 0..39 levels and restarts",
)
shape(
    "md-list-mixed-markers",
    "notes.prompt.md",
    lambda n: "".join(("- ", "1. ", "* ", "+ ", "2) ")[i % 5] for i in range(n)) + "x\n",
    "a one-line list nested n deep, markers -, 1., *, +, 2) in turn",
)
shape(
    "md-thematic-breaks",
    "notes.prompt.md",
    each(lambda i: "- - -\n" if i % 2 else f"make item {i} properly\n"),
    "n lines alternating thematic breaks and prompts",
)
shape(
    "md-fenced-long",
    "notes.prompt.md",
    lambda n: "```python\n" + each(lambda i: f"x{i} = 'stuff'  # prompt: no\n")(n) + "```\nMake it fast somehow.\n",
    "a fenced code block of n lines, then a prompt",
)
shape(
    "md-fence-unclosed",
    "notes.prompt.md",
    lambda n: "Make it work somehow.\n\n```\n" + each(lambda i: f"make item {i} properly\n")(n),
    "an unclosed fence followed by n lines",
)
shape(
    "md-fences-many",
    "notes.prompt.md",
    each(lambda i: f"```\ncode {i}\n```\nmake item {i} somehow\n\n"),
    "n small fenced blocks, each followed by a prompt",
)
shape(
    "md-headings",
    "notes.prompt.md",
    each(lambda i: f"# Heading {i}\nMake part {i} work somehow.\n\n"),
    "n headings, each followed by a prompt",
)
shape(
    "md-setext-headings",
    "notes.prompt.md",
    each(lambda i: f"Heading {i} stuff\n===\nmake part {i} work somehow\n\n"),
    "n setext headings, each followed by a prompt",
)
shape(
    "md-table",
    "notes.prompt.md",
    lambda n: "| name | note |\n| --- | --- |\n" + each(lambda i: f"| f{i} | stuff etc |\n")(n),
    "a table of n rows",
)
shape(
    "md-line-end-html-comments",
    "notes.prompt.md",
    each(lambda i: f"make item {i} somehow <!-- note {i} -->\n"),
    "n lines in one paragraph, each ending in an HTML comment",
)
shape(
    "md-html-comment-unclosed",
    "notes.prompt.md",
    lambda n: "Make it fast somehow.\n<!--\n" + each(lambda i: f"make item {i} properly\n")(n),
    "an unclosed HTML comment followed by n lines",
)
shape(
    "md-html-comment-openers",
    "notes.prompt.md",
    lambda n: "Make it fast " + "<!-- " * n + "\n",
    "n HTML comment openers on one line, none closed",
)
shape(
    "md-html-block",
    "notes.prompt.md",
    lambda n: "<div>\n" + each(lambda i: f"make item {i} properly\n")(n) + "</div>\n",
    "an HTML block of n lines",
)
shape(
    "md-front-matter-unclosed",
    "notes.prompt.md",
    lambda n: "---\n" + each(lambda i: f"key{i}: make it work somehow\n")(n),
    "front matter that is never closed, n lines",
)
shape(
    "md-front-matter-long",
    "notes.prompt.md",
    lambda n: "---\n" + each(lambda i: f"key{i}: value\n")(n) + "---\nMake it fast somehow.\n",
    "closed front matter of n lines, then a prompt",
)
shape(
    "md-indented-code",
    "notes.prompt.md",
    lambda n: "Make it work somehow.\n\n" + each(lambda i: f"    code {i} stuff\n")(n),
    "an indented code block of n lines",
)
shape(
    "md-blank-lines", "notes.prompt.md", lambda n: "\n" * n + "Make it work somehow.\n", "n blank lines, then a prompt"
)
shape(
    "md-whitespace-lines",
    "notes.prompt.md",
    lambda n: " \t  \n" * n + "Make it work somehow.\n",
    "n whitespace-only lines, then a prompt",
)
shape(
    "md-links",
    "notes.prompt.md",
    lambda n: "Read " + each(lambda i: f"[doc {i}](https://x.io/{i}) ")(n) + "and fix stuff.\n",
    "a prompt with n links",
)
shape(
    "md-emphasis-runs",
    "notes.prompt.md",
    lambda n: "Make it " + "*_" * n + " work somehow\n",
    "n unmatched '*_' emphasis openers in a prompt",
)
shape(
    "md-angle-openers",
    "notes.prompt.md",
    lambda n: "Make it fast " + "<a " * n + "\n",
    "n unclosed '<a ' tags on one line",
)

# --- long lines, many prompts, many findings -------------------------------------------------

shape(
    "md-long-line-words",
    "notes.prompt.md",
    lambda n: "Make the posts API work " + "and handle it somehow " * n + "\n",
    "one line of n phrases with vague terms",
)
shape(
    "md-long-word",
    "notes.prompt.md",
    lambda n: "Make " + "x" * (16 * n) + " work somehow\n",
    "one word of 16n characters",
)
shape(
    "md-sentences",
    "notes.prompt.md",
    lambda n: " ".join(f"Add field {i}." for i in range(n)) + "\n",
    "one paragraph of n short sentences",
)
shape(
    "md-many-prompts-distinct",
    "notes.prompt.md",
    each(lambda i: f"Make a posts table {i} with stuff.\n\n"),
    "n short prompts, all different",
)
shape(
    "md-many-prompts-same",
    "notes.prompt.md",
    lambda n: "Make a posts table with stuff.\n\n" * n,
    "n identical short prompts",
)
shape(
    "md-vague-one-paragraph",
    "notes.prompt.md",
    each(lambda i: f"{VAGUE[i % len(VAGUE)]} {i} "),
    "n vague terms in one line",
)
shape(
    "md-vague-lines",
    "AGENTS.md",
    each(lambda i: f"do {VAGUE[i % len(VAGUE)]} for step {i}\n"),
    "n lines in one AGENTS.md paragraph, a vague term on each",
)
shape(
    "agents-statements",
    "AGENTS.md",
    each(lambda i: f"We use PostgreSQL with Prisma for table {i}.\n\n"),
    "an AGENTS.md of n paragraphs, each stating the database (context-coverage reads them all)",
)
shape(
    "md-aws-keys",
    "notes.prompt.md",
    lambda n: "Connect to S3 with " + each(lambda i: f"AKIA{key(i, 16, UPPER)} ")(n) + "\n",
    "n AWS access key ids in one prompt",
)
shape(
    "md-github-tokens",
    "notes.prompt.md",
    each(lambda i: f"use token ghp_{key(i, 36)}\n"),
    "n GitHub tokens, one per line, one paragraph",
)
shape(
    "md-hardcode-phrases",
    "notes.prompt.md",
    each(lambda i: f"hardcode the stripe api key {i} in the code and "),
    "n 'hardcode the api key in the code' phrases in one line",
)
shape(
    "md-plaintext-passwords",
    "notes.prompt.md",
    each(lambda i: f"store password {i} in plain text and "),
    "n plaintext-password phrases in one prompt",
)
shape(
    "md-straight-quotes-unclosed",
    "notes.prompt.md",
    lambda n: "Write docs " + '"stuff ' * n + "\n",
    "n unclosed straight double quotes",
)
shape(
    "md-backticks-closed",
    "notes.prompt.md",
    lambda n: "Use " + "`name` stuff " * n + "\n",
    "n closed `code` spans, a vague term after each",
)
shape(
    "md-routes-check",
    "notes.prompt.md",
    lambda n: "Create a REST API for posts with routes " + " ".join(f"GET /posts/{i}" for i in range(n)) + "\n",
    "a prompt with n routes (missing-detail builds its expansion)",
)
shape(
    "md-stars-check",
    "notes.prompt.md",
    lambda n: "Create a posts table with " + "** " * n + "\n",
    "a prompt with n runs of * (missing-detail builds its expansion)",
)
shape(
    "md-plaintext-password-clauses",
    "notes.prompt.md",
    each(lambda i: f"store password {i} in plain text, "),
    "n plaintext-password requests in one prompt, one a clause",
)
shape(
    "md-hardcode-bare-keys",
    "notes.prompt.md",
    each(lambda i: f"hardcode the key {i} and "),
    "n 'hardcode the key' phrases in one sentence, no owner named (a bare 'key')",
)
shape(
    "md-hardcoded-noun-phrases",
    "notes.prompt.md",
    each(lambda i: f"a hardcoded stripe key {i} and "),
    "n 'a hardcoded stripe key' phrases in one sentence, no request word, no refusal",
)
shape(
    "md-removable-vague-terms",
    "notes.prompt.md",
    each(lambda i: f"do step {i} properly "),
    "n removable vague terms in one line (each has a 'Remove' fix)",
)
shape(
    "md-star-run-end-check",
    "notes.prompt.md",
    lambda n: "Create a posts table with " + "**" * n + "x\n",
    "a prompt ending in a run of 2n '*' (missing-detail's clauses look for the sentence end)",
)

# --- line breaks and text encodings --------------------------------------------------------

shape(
    "md-crlf-paragraph",
    "notes.prompt.md",
    each(lambda i: f"Create a fast posts table {i} somehow\r\n"),
    "one paragraph of n CRLF lines",
)
shape(
    "md-cr-only-paragraph",
    "notes.prompt.md",
    each(lambda i: f"Create a fast posts table {i} somehow\r"),
    "one paragraph of n lines broken by CR only",
)
shape(
    "md-non-ascii-lines",
    "notes.prompt.md",
    each(lambda i: f"Fais la table {i} — données 日本語 stuff\n"),
    "one paragraph of n non-ASCII lines with a finding each (UTF-16 columns)",
)
shape(
    "md-surrogates-one-line",
    "notes.prompt.md",
    lambda n: "Make it 😀 " + "😀 stuff " * n + "\n",
    "one line of n emoji (UTF-16 surrogate pairs) with a finding after each",
)
shape(
    "md-combining-marks",
    "notes.prompt.md",
    lambda n: "Make " + "e\u0301" * (4 * n) + " work somehow\n",
    "one word of 4n combining accents",
)

# --- suppression comments -----------------------------------------------------------------

shape(
    "md-suppress-next-line-pairs",
    "notes.prompt.md",
    each(lambda i: f"<!-- promptcoach-disable-next-line vague-term -->\nmake item {i} somehow\n\n"),
    "n directives, each suppressing the next prompt's finding",
)
shape(
    "md-suppress-directives-x-findings",
    "notes.prompt.md",
    lambda n: (
        each(lambda i: "<!-- promptcoach-disable-line missing-detail -->\n\n")(n) + each(lambda i: f"do stuff {i}\n")(n)
    ),
    "n directives, then one paragraph with n findings (directives x findings)",
)
shape(
    "md-suppress-in-fences",
    "notes.prompt.md",
    each(lambda i: f"```\n<!-- promptcoach-disable-file -->\n```\nmake item {i} somehow\n\n"),
    "n fenced regions each holding a directive (ignored), n prompts",
)
shape(
    "py-suppress-pairs",
    "app.py",
    each(lambda i: f"# promptcoach-disable-next-line\n# prompt: make item {i} somehow\nx{i} = 1\n"),
    "n suppression comments, each above a marked prompt",
)

# --- source code ---------------------------------------------------------------------------

shape(
    "py-many-markers",
    "app.py",
    each(lambda i: f"# prompt: add a posts table {i} somehow\nx{i} = 1\n"),
    "n separate marked comments",
)
shape(
    "py-unterminated-strings",
    "app.py",
    lambda n: 'x = "abc\n' * n + "# prompt: add a posts table somehow\n",
    "n lines with an unterminated string, then a marker",
)
shape(
    "py-triple-quote-unclosed",
    "app.py",
    lambda n: '"""\n' + each(lambda i: f"# prompt: line {i} stuff\n")(n),
    "an unclosed triple-quoted string of n marker-looking lines",
)
shape(
    "py-hash-in-strings",
    "app.py",
    lambda n: each(lambda i: f"s{i} = '# prompt: not a comment' # prompt: item {i} stuff\n")(n),
    "n lines with a '#' in a string and a real marked comment",
)
shape(
    "js-block-comment-long",
    "app.js",
    lambda n: "/* prompt: add a posts table somehow\n" + each(lambda i: f" * with column c{i} etc\n")(n) + " */\n",
    "a marked block comment of n gutter lines",
)
shape(
    "js-block-comment-unclosed",
    "app.js",
    lambda n: "/* prompt: make it somehow\n" + each(lambda i: f"line {i} stuff\n")(n),
    "an unclosed block comment of n lines",
)
shape(
    "js-template-unclosed",
    "app.js",
    lambda n: "const t = `\n" + each(lambda i: f"${{a{i}}} // prompt: no\n")(n) + "// prompt: make it somehow\n",
    "an unclosed template literal of n lines",
)
shape(
    "js-division-lines",
    "app.js",
    lambda n: each(lambda i: f"a = b{i} / c / d; // prompt: item {i} stuff\n")(n),
    "n lines of divisions (regex-or-division decisions) with marked comments",
)
shape(
    "js-slashes-one-line",
    "app.js",
    lambda n: "// prompt: make it somehow\nx = " + "a / " * n + "b\n",
    "one line with n divisions",
)
shape(
    "ts-regex-open-slashes",
    "app.ts",
    lambda n: "// prompt: make it somehow\n" + "(/" * n + "\n",
    "'(/' repeated n times: a regex start at every slash",
)
shape(
    "go-line-comment-run",
    "main.go",
    lambda n: (
        "// prompt: add a posts table somehow\n" + each(lambda i: f"// with column c{i} etc\n")(n) + "func f() {}\n"
    ),
    "a Go marked comment with n continuation lines",
)
shape(
    "go-raw-string-unclosed",
    "main.go",
    lambda n: "var s = `\n" + each(lambda i: f"// prompt: no {i}\n")(n),
    "an unclosed Go raw string of n marker-looking lines",
)
shape(
    "rust-nested-block",
    "lib.rs",
    lambda n: "/*" * n + " prompt: make it somehow " + "*/" * n + "\n",
    "a Rust block comment nested n deep",
)
shape(
    "rust-raw-string-hashes",
    "lib.rs",
    lambda n: "let s = r" + "#" * n + '"x"' + "#" * (n - 1) + ";\n// prompt: make it somehow\n",
    "a Rust raw string with n hashes, closed by one hash too few",
)
shape(
    "swift-raw-hashes",
    "app.swift",
    lambda n: "#" * n + "\n// prompt: make it somehow\n",
    "one line of n '#' (Swift raw-string openers without a quote)",
)
shape(
    "html-embed-open-unclosed",
    "page.html",
    lambda n: "<!-- prompt: add a form somehow -->\n" + each(lambda i: f"<script a{i}=1\n")(n),
    "n lines each opening a <script tag that never ends",
)
shape(
    "html-many-comments",
    "page.html",
    each(lambda i: f"<p>{i}</p><!-- prompt: make item {i} somehow -->\n"),
    "n marked HTML comments",
)
shape(
    "sh-heredoc-unclosed",
    "deploy.sh",
    lambda n: "cat <<EOF\n" + each(lambda i: f"# prompt: no {i}\n")(n),
    "an unclosed shell heredoc of n marker-looking lines",
)
shape(
    "php-heredoc-unclosed",
    "index.php",
    lambda n: "<?php\n$s = <<<EOT\n" + each(lambda i: f"// prompt: no {i}\n")(n),
    "an unclosed PHP heredoc of n marker-looking lines",
)
shape(
    "ruby-begin-unclosed",
    "model.rb",
    lambda n: "=begin\nprompt: make it somehow\n" + each(lambda i: f"line {i} stuff\n")(n),
    "an unclosed Ruby =begin block of n lines",
)
shape(
    "lua-long-bracket-unclosed",
    "init.lua",
    lambda n: "--[==[ prompt: make it somehow\n" + each(lambda i: f"line {i} ]] stuff\n")(n),
    "an unclosed Lua long comment of n lines with ']]' in each",
)
shape(
    "sql-quotes-unclosed",
    "query.sql",
    lambda n: each(lambda i: f"select 'a{i} -- prompt: no\n")(n) + "-- prompt: add an index somehow\n",
    "n lines each opening a SQL string",
)
shape(
    "c-char-unterminated",
    "main.c",
    lambda n: "'a\n" * n + "// prompt: make it somehow\n",
    "n lines with an unterminated char literal",
)
shape(
    "yaml-quotes-unclosed",
    "ci.yaml",
    lambda n: each(lambda i: f"k{i}: 'v # prompt: no\n")(n) + "# prompt: make the job somehow\n",
    "n YAML lines opening a single-quoted scalar",
)
shape(
    "css-url-unclosed",
    "style.css",
    lambda n: "a { b: " + "url( " * n + "}\n/* prompt: make it somehow */\n",
    "n unclosed url( in CSS",
)
shape(
    "csharp-verbatim-unclosed",
    "App.cs",
    lambda n: 'var s = @"\n' + each(lambda i: f"// prompt: no {i}\n")(n),
    "an unclosed C# verbatim string of n marker-looking lines",
)

# --- editor requests -----------------------------------------------------------------------

_LONG_PROMPT = each(lambda i: f"Create the posts table with column c{i} and stuff\n")
shape(
    "complete-end-of-long-prompt",
    "notes.prompt.md",
    _LONG_PROMPT,
    "completion at the end of a one-paragraph prompt of n lines",
    op="complete",
    at="end",
)
shape(
    "complete-middle-of-long-prompt",
    "notes.prompt.md",
    _LONG_PROMPT,
    "completion in the middle of a one-paragraph prompt of n lines",
    op="complete",
    at="middle",
)
shape(
    "complete-marker-in-long-comment",
    "app.py",
    lambda n: "# prompt: create the posts table\n" + each(lambda i: f"# with column c{i} etc\n")(n),
    "completion at the end of a marked comment of n lines",
    op="complete",
    at="end",
)
shape(
    "complete-many-prompts",
    "notes.prompt.md",
    each(lambda i: f"Create the posts table {i} with stuff.\n\n"),
    "completion at the end of a file of n prompts",
    op="complete",
    at="end",
)
shape(
    "hover-long-prompt",
    "notes.prompt.md",
    _LONG_PROMPT,
    "hover over a one-paragraph prompt of n lines",
    op="hover",
    at="middle",
)
shape(
    "hover-many-prompts",
    "notes.prompt.md",
    each(lambda i: f"Create the posts table {i} with stuff.\n\n"),
    "hover over the last of n prompts",
    op="hover",
    at="end",
)
shape(
    "edit-long-prompt",
    "notes.prompt.md",
    _LONG_PROMPT,
    "a keystroke at the end of a one-paragraph prompt of n lines",
    op="edit",
    at="end",
)
shape(
    "edit-many-prompts",
    "notes.prompt.md",
    each(lambda i: f"Create the posts table {i} with stuff.\n\n"),
    "a keystroke in the middle of a file of n prompts",
    op="edit",
    at="middle",
)
shape(
    "edit-source-many-markers",
    "app.py",
    each(lambda i: f"# prompt: add a posts table {i} somehow\nx{i} = 1\n"),
    "a keystroke in the middle of a Python file of n marked comments",
    op="edit",
    at="middle",
)

# --- expand ----------------------------------------------------------------------------------

shape(
    "expand-long-words",
    "cli",
    lambda n: "Create a posts table with " + " ".join(f"word{i}" for i in range(n)),
    "expand of a prompt of n words",
    op="expand",
)
shape(
    "expand-vague-terms",
    "cli",
    lambda n: "Create a posts table with " + " ".join(VAGUE[i % len(VAGUE)] for i in range(n)),
    "expand of a prompt of n vague terms",
    op="expand",
)
shape(
    "expand-backticked-names",
    "cli",
    lambda n: "Create a posts table with fields " + ", ".join(f"`f{i}`" for i in range(n)),
    "expand of a prompt naming n backticked fields",
    op="expand",
)
shape(
    "expand-technologies",
    "cli",
    lambda n: (
        "Create a posts table using "
        + " and ".join(("Prisma", "Postgres", "Drizzle", "MySQL")[i % 4] for i in range(n))
    ),
    "expand of a prompt naming technologies n times",
    op="expand",
)
shape(
    "expand-as-category",
    "cli",
    lambda n: "Make " + " ".join(f"thing{i}" for i in range(n)),
    "expand --category api-endpoint of a prompt of n words",
    op="expand",
    category="api-endpoint",
)


def shapes(patterns: list[str] | None = None) -> list[Shape]:
    """The shapes whose names match any of ``patterns`` (globs); all without patterns."""
    if not patterns:
        return list(SHAPES)
    chosen = [s for s in SHAPES if any(fnmatch.fnmatchcase(s.name, p) for p in patterns)]
    if not chosen:
        raise SystemExit(f"no shape matches {' '.join(patterns)}; see --list")
    return chosen


def by_name(name: str) -> Shape:
    for item in SHAPES:
        if item.name == name:
            return item
    raise KeyError(name)


# --------------------------------------------------------------------------------- worker


class _Operations:
    """Runs in the worker: the engine, warmed up once, and one timed operation per shape."""

    def __init__(self) -> None:
        from promptcoach.engine.analyze import Engine

        engine = Engine()
        engine.warm_up()
        for module in (
            "promptcoach.lsp.convert",
            "promptcoach.output.text",
            "promptcoach.output.report",
            "promptcoach.engine.completion",
            "promptcoach.engine.hover",
            "promptcoach.engine.incremental",
            "promptcoach.engine.expand",
        ):
            __import__(module)  # imported now, not inside the first timed run
        self.knowledge = engine.knowledge

    def engine(self, fixes: bool = True):
        """A fresh engine with the default settings but ``maxFileSize``: the largest runs
        (8n of a shape calibrated at 125 KB) pass 1 MB, and a skipped file would say
        nothing about how the analysis grows."""
        from promptcoach.engine.analyze import Engine
        from promptcoach.engine.settings import Settings

        _clear_caches()
        return Engine(Settings(max_file_size=100_000_000), knowledge=self.knowledge, fixes=fixes)

    def session(self, item: Shape, text: str) -> Callable[[], Callable[[], object]]:
        """The untimed set-up for ``item`` on ``text`` (the analysis a completion or hover
        request finds ready, the editor's first analysis before a keystroke); returns
        ``next_run``, which does one run's untimed reset and returns the call to time."""
        op = item.op
        if op == "check":

            def next_check():
                engine = self.engine()
                return lambda: _check(engine, text, item.path)

            return next_check
        if op == "expand":
            prompt = " ".join(text.split())  # as `promptcoach expand TEXT` does

            def next_expand():
                engine = self.engine()
                return lambda: _expand(engine, prompt, item.category)

            return next_expand
        offset = _cursor(text, item.at)
        if op in ("complete", "hover"):
            from promptcoach.engine.completion import prompt_at

            engine = self.engine()
            analysis = engine.analyze(text, item.path, explicit=True)
            stopped = any(f.rule == "too-many-problems" for f in analysis.findings)
            if prompt_at(analysis, offset) is None and not stopped:  # (past maxProblems: none, as in the editor)
                raise RuntimeError(f"no prompt at the cursor (offset {offset})")
            request = _complete if op == "complete" else _hover

            def next_request():
                _clear_caches()
                return lambda: request(engine, analysis, text, item.path, offset)

            return next_request
        if op == "edit":
            from promptcoach.engine.incremental import IncrementalAnalyzer

            incremental = IncrementalAnalyzer(self.engine())
            incremental.analyze(text, item.path)
            typed = [0]

            def next_keystroke():  # one more character typed at the cursor
                _clear_caches()
                typed[0] += 1
                edited = text[:offset] + "x" * typed[0] + text[offset:]
                return lambda: incremental.analyze(edited, item.path)

            return next_keystroke
        raise ValueError(f"unknown operation {op!r}")


def _clear_caches() -> None:
    """Empty the caches keyed by prompt text that outlive an Engine (so a run does a
    new document's work). Looked up by name: a cache that moves or goes away is skipped."""
    from importlib import import_module

    for module, name in (("promptcoach.engine.rules.runner", "CACHE"), ("promptcoach.engine.expand", "_CACHE")):
        cache = getattr(import_module(module), name, None)
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()
    # the readings of lead lines and what statements state, remembered by their text
    for module, name in (
        ("promptcoach.engine.intent", "clear_readings"),
        ("promptcoach.engine.context", "clear_statements"),
    ):
        forget = getattr(import_module(module), name, None)
        if forget is not None:
            forget()


def _cursor(text: str, at: str) -> int:
    body = len(text.rstrip("\r\n"))
    if at == "start":
        return 0
    if at == "middle":
        middle = body // 2
        end = len(text) if text.find("\n", middle) < 0 else text.find("\n", middle)
        return end if end > 0 else middle
    return body


def _check(engine, text: str, path: str):
    from promptcoach.lsp.convert import PositionMapper, diagnostic_json
    from promptcoach.output import text as text_output
    from promptcoach.output.report import file_report

    analysis = engine.analyze(text, path, explicit=True)
    mapper = PositionMapper(text)
    for item in analysis.prompts:
        for finding in item.findings:
            diagnostic_json(finding, mapper)
    text_output.render([file_report(analysis, path)])
    return analysis


def _expand(engine, prompt: str, category: str | None):
    from promptcoach.engine.expand import expand

    classification = engine.classify(prompt)
    if category is None and classification.category is None:
        raise RuntimeError("the prompt has no category")
    return expand(prompt, classification, engine.knowledge, engine.stack, category=category)


def _complete(engine, analysis, text: str, path: str, offset: int):
    from promptcoach.engine.completion import complete, prompt_at
    from promptcoach.engine.extract import document_kind

    return complete(
        text,
        prompt_at(analysis, offset),
        engine.knowledge,
        offset,
        prompt_file=document_kind(path, None, engine.settings, True) == "prompt",
        markers=engine.settings.markers,
        stack=engine.stack,
    )


def _hover(engine, analysis, text: str, path: str, offset: int):
    from promptcoach.engine.completion import prompt_at
    from promptcoach.engine.hover import prompt_card

    prompt = prompt_at(analysis, offset)
    return None if prompt is None else prompt_card(prompt, engine.knowledge)


def _facts(result) -> dict:
    prompts = getattr(result, "prompts", None)
    if prompts is None:
        return {}
    return {"prompts": len(prompts), "findings": sum(len(p.findings) for p in prompts)}


def _worker() -> None:
    """Read one request a line ({"shape", "n", "repeat", "budget"}) and answer with one
    JSON line per event: {"prepared": bytes}, {"set_up": seconds, "set_up_cpu": CPU seconds} (the untimed set-up
    done), {"t": wall-clock seconds, "cpu": CPU seconds} per run, then
    {"done": true, ...facts}; or {"error": text}."""
    import gc

    out = sys.stdout
    operations = _Operations()
    warmed: set[str] = set()
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            item = by_name(request["shape"])
            if item.name not in warmed:
                # the first use in this worker compiles what the shape's language and operation need
                warmed.add(item.name)
                operations.session(item, item.text(1))()()
            text = item.text(int(request["n"]))
            size = len(text.encode("utf-8", "surrogatepass"))
            result = None
            spent, runs = 0.0, 0
            out.write(json.dumps({"prepared": size}) + "\n")
            out.flush()
            begun, begun_cpu = time.perf_counter(), time.process_time()
            next_run = operations.session(item, text)
            set_up = {"set_up": time.perf_counter() - begun, "set_up_cpu": time.process_time() - begun_cpu}
            out.write(json.dumps(set_up) + "\n")
            out.flush()
            gc.collect()  # once, not before every run: the engine runs with the collector on, as it does in use
            while runs < int(request["repeat"]) and (runs == 0 or spent < float(request["budget"])):
                call = next_run()
                if request.get("yardstick"):
                    out.write(json.dumps({"yardstick": yardstick(1)}) + "\n")
                cpu = time.process_time()
                start = time.perf_counter()
                result = call()
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu
                spent += elapsed
                runs += 1
                out.write(json.dumps({"t": elapsed, "cpu": cpu}) + "\n")
                out.flush()
            out.write(json.dumps({"done": True, **_facts(result)}) + "\n")
        except BaseException as error:  # noqa: BLE001 - reported as the measurement's result
            name = type(error).__name__
            out.write(
                json.dumps({"error": f"{name}: {str(error)[:200]}", "trace": traceback.format_exc()[-2000:]}) + "\n"
            )
        out.flush()


def yardstick(runs: int = 5) -> float:
    """The median CPU seconds, of ``runs``, of one piece of work that is not Prompt
    Coach's: PyYAML's pure-Python ``safe_load`` of a fixed 14 KB document. Timed in the
    worker just before each ~1 MB run, it says how fast the machine was at that moment:
    CPU time here moves by up to 1.7 x within minutes, and a run's time divided by its
    yardstick much less (agents-statements at 1 MB in five processes: 0.71-0.94 s, and
    12.1-13.8 yardsticks)."""
    import yaml

    text = "".join(
        f"- name: item {i}\n  tags: [a{i % 7}, b{i % 11}]\n  size: {i * 37 % 1000}\n  note: 'plain text {i}'\n"
        for i in range(200)
    )
    times = []
    for _ in range(runs):
        cpu = time.process_time()
        yaml.safe_load(text)
        times.append(time.process_time() - cpu)
    return statistics.median(times)


# --------------------------------------------------------------------------------- runner


@dataclass
class Measurement:
    n: int
    size: int | None = None  # bytes (UTF-8)
    times: list[float] = field(default_factory=list)  # seconds of each run, by the harness's clock
    other: list[float] = field(default_factory=list)  # the same runs by the other clock (wall / CPU)
    over_cap: bool = False
    set_up_over_cap: bool = False  # the untimed set-up (analysis before a request) went over the cap
    set_up: float = 0.0  # seconds of the longest untimed set-up
    error: str | None = None
    facts: dict = field(default_factory=dict)
    estimated: float | None = None  # not run: a linear lower bound of its time (seconds)
    statistic: str = "median"  # of the runs: "median" or "min"
    yardsticks: list[float] = field(default_factory=list)  # CPU seconds of a yardstick() before each run

    @property
    def time(self) -> float | None:
        if not self.times or self.over_cap or self.error:
            return None
        return min(self.times) if self.statistic == "min" else statistics.median(self.times)

    @property
    def ok(self) -> bool:
        return self.time is not None

    @property
    def median(self) -> float | None:
        """The median of the runs, whatever ``statistic`` says (the time budgets read it)."""
        return statistics.median(self.times) if self.ok else None

    @property
    def in_yardsticks(self) -> float | None:
        """The median run in yardsticks timed beside the runs (None: none were)."""
        if not self.ok or not self.yardsticks:
            return None
        assert self.median is not None
        return self.median / statistics.median(self.yardsticks)

    @property
    def other_time(self) -> float | None:
        """The same statistic of the same runs by the other clock."""
        if not self.ok or not self.other:
            return None
        return min(self.other) if self.statistic == "min" else statistics.median(self.other)


@dataclass
class Result:
    shape: Shape
    base: Measurement | None = None
    steps: list[Measurement] = field(default_factory=list)  # 2n, 4n, 8n
    megabyte: Measurement | None = None
    calibration: list[Measurement] = field(default_factory=list)
    cap: float = 0.0
    # (t(n), t(8n)) measured back to back, when the first growth came near the budget
    rounds: list[tuple[Measurement, Measurement]] = field(default_factory=list)

    @property
    def eight(self) -> Measurement | None:
        return self.steps[-1] if self.steps else None

    @property
    def growth(self) -> float | None:
        """t(8n)/t(n); for 8n over the cap, the lower bound cap/t(n). None when it could
        not be measured (an error, or the untimed analysis before a request went over the cap).
        With confirmation rounds, the median of their ratios (each pair measured back to
        back, so a slow spell of the machine slows both of a pair)."""
        if self.base is None or not self.base.ok or self.eight is None:
            return None
        if self.eight.ok:
            paired = self._paired(lambda m: m.time)
            return paired if paired is not None else self.first_growth
        if self.eight.over_cap and not self.eight.set_up_over_cap:
            return self.cap / self.base.time
        return None

    @property
    def status(self) -> str:
        """ "ok" when a growth was measured; else why not."""
        if self.growth is not None:
            return "ok"
        if self.error:
            return f"error: {self.error}"
        if self.base is None:
            return "over the cap while calibrating"
        if self.eight is not None and self.eight.set_up_over_cap:
            return "the analysis before the request went over the cap"
        return "not measured"

    @property
    def growth_from_rounds(self) -> bool:
        """The growth is the pairs' (every confirmation round measured both sizes)."""
        return self.eight is not None and self.eight.ok and self._paired(lambda m: m.time) is not None

    @property
    def first_growth(self) -> float | None:
        """t(8n)/t(n) of the first reading, before any confirmation rounds."""
        if self.base is None or self.eight is None or not self.base.ok or not self.eight.ok:
            return None
        return self.eight.time / self.base.time

    def _paired(self, time: Callable[[Measurement], float | None]) -> float | None:
        """The median of the rounds' t(8n)/t(n) by ``time``; None without rounds or when one
        of them failed (then the first reading stands: it was over the threshold anyway)."""
        ratios = []
        for small, large in self.rounds:
            low, high = time(small) if small.ok else None, time(large) if large.ok else None
            if not low or high is None:
                return None
            ratios.append(high / low)
        return statistics.median(ratios) if ratios else None

    @property
    def other_growth(self) -> float | None:
        """The growth by the other clock (CPU time when the harness times the wall
        clock), from the same runs: when it is much lower, the machine was busy, not the
        engine slow."""
        if self.base is None or self.eight is None or not self.base.ok or not self.eight.ok:
            return None
        if self.growth_from_rounds:
            return self._paired(lambda m: m.other_time)
        low, high = self.base.other_time, self.eight.other_time
        return high / low if low and high is not None else None

    @property
    def growth_is_bound(self) -> bool:
        return self.eight is not None and self.eight.over_cap

    @property
    def error(self) -> str | None:
        for m in [*self.calibration, *self.steps, *([self.megabyte] if self.megabyte else [])]:
            if m.error:
                return m.error
        return None

    def measured(self) -> list[Measurement]:
        seen = {}
        for m in [*self.calibration, *self.steps, *([self.megabyte] if self.megabyte else [])]:
            if m.size is not None:
                seen[(m.n, m.size)] = m
        return list(seen.values())

    def worst_under(self, limit: int = MB, measured_only: bool = False) -> tuple[float, Measurement] | None:
        """The longest time of an input of at most ``limit`` bytes: measured, or over
        the cap (counted as the cap), or a linear estimate that exceeds the cap."""
        worst = None
        for m in self.measured():
            if m.size > limit or (measured_only and not m.ok):
                continue
            if m.ok:
                assert m.median is not None
                value = max(m.median, m.set_up)  # a request's time (median), or the analysis before it if longer
            elif m.over_cap:
                value = self.cap
            else:
                value = max(m.estimated or 0.0, m.set_up) or None
            if value is not None and (worst is None or value > worst[0]):
                worst = (value, m)
        return worst


class WorkerError(RuntimeError):
    """The worker process could not start (say, the engine fails to import)."""


def _stop(proc: subprocess.Popen | None) -> None:
    """End a worker: it exits when its input closes; killed if it does not within 5 s."""
    if proc is None:
        return
    try:
        proc.stdin.close()
        proc.wait(timeout=5)
    except Exception:  # noqa: BLE001
        proc.kill()
        proc.wait()


class Harness:
    """Times shapes in a worker subprocess; a run over ``cap`` seconds kills it."""

    def __init__(
        self,
        cap: float = 5.0,
        target: float = 0.005,
        min_base_bytes: int = 16_000,
        max_base_bytes: int = MB // 8,
        enough: float = 0.05,
        clock: str = "wall",
        steps: tuple[int, ...] = (2, 4, 8),
        megabyte: bool = True,
        repeat_small: int = 5,
        repeat_medium: int = 3,
        repeat_large: int = 3,
        statistic: str = "median",
        spare: bool = True,
        megabyte_statistic: str | None = None,
        confirm_above: float | None = None,
        rounds: int = 3,
        fresh_worker: bool = False,
    ) -> None:
        self.cap = cap
        self.target = target
        self.min_base_bytes = min_base_bytes
        if clock not in ("wall", "cpu"):
            raise ValueError(f"clock must be 'wall' or 'cpu', not {clock!r}")
        self.clock = clock  # wall: time.perf_counter; cpu: time.process_time (robust to a busy machine)
        self.enough = enough  # a t(n) this long ends calibration below min_base_bytes
        self.max_base_bytes = max_base_bytes
        self.steps = steps
        self.megabyte = megabyte
        self.repeat_small = repeat_small  # runs of a measurement expected under 20 ms
        self.repeat_medium = repeat_medium  # under 200 ms
        # above, and the ~1 MB run: a single run of a second was seen to take 1.3-1.7 x
        # the same run's median on this shared machine, so one run says too little
        self.repeat_large = repeat_large
        megabyte_statistic = megabyte_statistic or statistic
        for value in (statistic, megabyte_statistic):
            if value not in ("median", "min"):
                raise ValueError(f"statistic must be 'median' or 'min', not {value!r}")
        self.statistic = statistic  # of a measurement's runs; min suits CPU time, where noise only adds
        # of the ~1 MB run's: the time an input costs, read by the median (the budget's figure)
        self.megabyte_statistic = megabyte_statistic
        # a growth over this is measured again in `rounds` pairs of n and 8n, back to back
        self.confirm_above = confirm_above
        self.rounds = rounds
        # each shape in a new worker, as each `promptcoach check` is a new process: a worker
        # that had analysed other ~1 MB inputs ran the same calls up to 2.4 x slower (its
        # heap left scattered; the same objects, no more work), which read as growth
        self.fresh_worker = fresh_worker
        self.spare = spare
        self._proc: subprocess.Popen | None = None
        self._spare: subprocess.Popen | None = None
        self._buffer = b""
        self.restarts = 0

    # --- worker process ---------------------------------------------------------------

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for proc in (self._proc, self._spare):
            _stop(proc)
        self._proc = self._spare = None

    def _retire(self) -> None:
        """Stop the current worker (done with its shape): the next measurement starts a new one."""
        proc, self._proc = self._proc, None
        _stop(proc)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()  # only the worker this harness started, by its handle
            proc.wait()
        self.restarts += 1

    def _spawn(self) -> subprocess.Popen:
        import tempfile

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        log = tempfile.TemporaryFile()  # the worker's standard error, quoted when it fails
        proc = subprocess.Popen(
            [sys.executable, "-u", "-c", "from bench.scaling import _worker; _worker()"],
            cwd=str(ROOT),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        proc.log = log  # type: ignore[attr-defined]
        return proc

    def _log_tail(self, proc: subprocess.Popen | None) -> str:
        log = getattr(proc, "log", None)
        if log is None:
            return ""
        log.seek(0)
        lines = log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:300] if lines else ""

    def _start(self) -> None:
        """Make the spare worker (started earlier, warmed up meanwhile) the current one,
        or start one now; then start the next spare, so a worker killed at the cap is
        replaced without waiting for a new one's warm-up."""
        self._proc, self._spare = (self._spare or self._spawn()), None
        self._buffer = b""
        ready = self._read(60.0)
        if ready is None or "ready" not in ready:
            why = self._log_tail(self._proc) or "no answer within 60 s"
            self._kill()
            raise WorkerError(f"the scaling worker did not start: {why}")
        if self.spare and self.restarts:
            self._spare = self._spawn()  # from the first kill on: shapes over the cap tend to come in numbers

    def _read(self, timeout: float) -> dict | None:
        """The worker's next JSON line, or None when none comes within ``timeout``."""
        deadline = time.monotonic() + timeout
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return {"error": "the worker exited"}
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    # --- one measurement ---------------------------------------------------------------

    def measure(self, item: Shape, n: int, repeat: int = 1, yardstick: bool = False) -> Measurement:
        """``yardstick``: time :func:`yardstick` in the worker before each run."""
        result = Measurement(n, statistic=self.statistic)
        try:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
            request = {
                "shape": item.name,
                "n": n,
                "repeat": repeat,
                "budget": max(self.cap / 4, 0.05),
                "yardstick": yardstick,
            }
            self._proc.stdin.write((json.dumps(request) + "\n").encode())
            self._proc.stdin.flush()
        except (WorkerError, OSError) as error:
            why = str(error) if isinstance(error, WorkerError) else f"the worker exited: {self._log_tail(self._proc)}"
            if self._proc is not None:
                self._kill()
            result.error = why
            return result
        # building the text, the untimed set-up and each timed run get the cap
        waiting_for_set_up = True
        while True:
            event = self._read(self.cap + (2.0 if result.size is None else 0.1))
            if event is None:
                self._kill()
                result.over_cap = True
                result.set_up_over_cap = waiting_for_set_up and result.size is not None
                return result
            if "set_up" in event:
                waiting_for_set_up = False
                # by the harness's clock, as the runs are
                taken = event.get("set_up_cpu", event["set_up"]) if self.clock == "cpu" else event["set_up"]
                result.set_up = max(result.set_up, taken)
                continue
            if "error" in event:
                result.error = event["error"]
                if event["error"] == "the worker exited":
                    result.error += f": {self._log_tail(self._proc)}"
                    self._kill()
                return result
            if "prepared" in event:
                result.size = event["prepared"]
            elif "yardstick" in event:
                result.yardsticks.append(event["yardstick"])
            elif "t" in event:
                wall, cpu = event["t"], event.get("cpu", event["t"])
                result.times.append(cpu if self.clock == "cpu" else wall)
                result.other.append(wall if self.clock == "cpu" else cpu)
            elif event.get("done"):
                result.facts = {k: v for k, v in event.items() if k != "done"}
                return result

    def _repeat_for(self, expected: float) -> int:
        if expected < 0.02:
            return self.repeat_small
        if expected < 0.2:
            return self.repeat_medium
        return self.repeat_large

    # --- one shape ---------------------------------------------------------------------

    def run(self, item: Shape, n: int | None = None) -> Result:
        """Time ``item`` at n, 2n, 4n, 8n (the steps); ``n`` given: no calibration."""
        result = Result(item, cap=self.cap)
        if self.fresh_worker:
            self._retire()
        fixed = n is not None
        n = max(1, n if fixed else item.start)
        base = failed = None
        for _ in range(40):  # calibrate: grow n until t(n) >= target or the text is large
            m = self.measure(item, n, self.repeat_small)
            result.calibration.append(m)
            if not m.ok:
                failed = m
                break
            base = m
            if fixed:
                break
            if m.time >= self.target and (m.size >= self.min_base_bytes or m.time >= self.enough):
                break
            if m.size >= self.max_base_bytes or m.set_up >= self.cap / 128:
                break  # large enough, or the analysis before a request would pass the cap at 8n
            need = max(1.5 * self.target / max(m.time, 1e-6), 1.1 * self.min_base_bytes / max(m.size, 1))
            # a quadratic shape's next t(n) stays near `enough`, and a request's set-up under its limit
            safe = min(math.sqrt(self.enough / max(m.time, 1e-6)), math.sqrt(self.cap / 128 / max(m.set_up, 1e-6)))
            factor = min(16.0, max(1.25, min(max(need, 2.0), safe)))
            by_size = self.max_base_bytes / max(m.size, 1)
            n = max(n + 1, int(n * min(factor, max(by_size, 1.0001))))
        result.base = base
        if base is None or (failed is not None and failed.error):
            return result
        previous = base
        for factor in self.steps:
            size_n = factor * base.n
            if failed is not None and size_n >= failed.n:
                # calibration already went over the cap at a smaller n: a larger one can only be slower
                result.steps.append(Measurement(size_n, over_cap=True))
                break
            expected = previous.time * size_n / previous.n
            m = self.measure(item, size_n, self._repeat_for(expected))
            result.steps.append(m)
            if not m.ok:
                if factor != self.steps[-1]:
                    # a larger size can only take longer: record 8n as over the cap too
                    result.steps.append(Measurement(self.steps[-1] * base.n, over_cap=m.over_cap, error=m.error))
                break
            previous = m
        if self.megabyte and result.eight is not None and result.eight.ok:
            self._megabyte(item, result)
        self._confirm(item, result)
        return result

    def _confirm(self, item: Shape, result: Result) -> None:
        """A growth over ``confirm_above`` measured again: ``rounds`` pairs of n and 8n, each
        pair back to back. On this shared machine a spell of a few seconds can slow every
        run of one size (the three runs of an 8n all 1.6 x the 1 MB run's pace), which
        neither the median nor the fastest of those runs undoes; a pair shares its spell."""
        growth, base, eight = result.growth, result.base, result.eight
        if self.confirm_above is None or growth is None or growth <= self.confirm_above or result.growth_is_bound:
            return
        assert base is not None and eight is not None
        for _ in range(self.rounds):
            small = self.measure(item, base.n, self.repeat_small)
            large = self.measure(item, eight.n, self._repeat_for(eight.time or 0.0))
            result.rounds.append((small, large))
            if not (small.ok and large.ok):
                break

    def _megabyte(self, item: Shape, result: Result) -> None:
        base, eight = result.base, result.eight
        per_unit = (eight.size - base.size) / max(eight.n - base.n, 1)
        n = int(base.n + (MB - base.size) / per_unit) if per_unit > 0 else eight.n
        if n <= eight.n:
            return
        size_guess = base.size + per_unit * (n - base.n)
        estimate = eight.time * size_guess / eight.size  # linear: a lower bound for superlinear work
        exponent = max(1.0, math.log(max(result.growth or 8.0, 1.0), 8))  # the growth seen so far, as a power
        slowest = max(eight.time * (size_guess / eight.size) ** exponent, eight.set_up * size_guess / eight.size)
        # Not run only when clearly hopeless: the extrapolation is a guess (a shape that
        # meets maxProblems grows slower than linearly, so it overshoots); a run that goes
        # over the cap ends there and says so.
        if slowest > 3 * self.cap:
            result.megabyte = Measurement(
                n, size=int(size_guess), estimated=estimate, set_up=eight.set_up * size_guess / eight.size
            )
            return
        m = self.measure(item, n, 1, yardstick=True)
        if m.size is not None and m.size > MB:  # the guess overshot: one unit less per excess
            n = max(eight.n, n - math.ceil((m.size - MB) / per_unit) - 1)
            m = self.measure(item, n, 1, yardstick=True)
        if m.ok and self.repeat_large > 1:  # (one run when it went over the cap: it says enough)
            more = self.measure(item, n, self.repeat_large - 1, yardstick=True)
            if more.ok:
                m.times += more.times
                m.other += more.other
                m.yardsticks += more.yardsticks
                m.set_up = min(m.set_up, more.set_up)  # its set-up, timed once in each: noise only adds
        m.statistic = self.megabyte_statistic
        result.megabyte = m


# --------------------------------------------------------------------------------- report


def fmt_bytes(size: int | None) -> str:
    if size is None:
        return "-"
    if size < 10_000:
        return f"{size} B"
    if size < 10_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / MB:.1f} MB"


def fmt_time(m: Measurement | None, cap: float) -> str:
    if m is None:
        return "-"
    if m.error:
        return "error"
    if m.over_cap:
        return f">{cap:g} s" + (" (set-up)" if m.set_up_over_cap else "")
    if m.estimated is not None:
        if m.estimated < cap and m.set_up > cap:
            return f"not run (set-up est.>={m.set_up:.0f} s)"
        return f"est.>={m.estimated:.1f} s"
    t = m.time
    if t is None:
        return "-"
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def fmt_growth(result: Result) -> str:
    growth = result.growth
    if growth is None:
        return "error" if result.error else ("set-up>cap" if result.eight and result.eight.set_up_over_cap else "-")
    if result.growth_is_bound:
        return f">{growth:.0f}"
    if result.growth_from_rounds:
        return f"{growth:.1f}p ({result.first_growth:.1f})"  # p: from pairs, then the first reading
    return f"{growth:.1f}"


HEADER = (
    "shape",
    "n",
    "bytes n",
    "t(n)",
    "2n",
    "4n",
    "bytes 8n",
    "t(8n)",
    "growth",
    "(cpu)",
    "~1 MB",
    "prompts/findings",
)


def row(result: Result) -> tuple[str, ...]:
    base, steps = result.base, {m.n: m for m in result.steps}
    n = base.n if base else None
    by = lambda k: steps.get(k * n) if n else None  # noqa: E731
    eight = result.eight
    facts = (eight if eight and eight.facts else base).facts if base else {}
    facts_text = f"{facts['prompts']}/{facts['findings']}" if "prompts" in facts else ""
    mb = result.megabyte
    mb_text = "-" if mb is None else f"{fmt_time(mb, result.cap)} ({fmt_bytes(mb.size)})"
    if base is None and result.calibration:
        first = result.calibration[-1]
        return (
            result.shape.name,
            str(first.n),
            fmt_bytes(first.size),
            fmt_time(first, result.cap),
            "-",
            "-",
            "-",
            "-",
            "error" if first.error else f">{result.cap:g} s at n",
            "",
            "-",
            "",
        )
    return (
        result.shape.name,
        str(n) if n else "-",
        fmt_bytes(base.size if base else None),
        fmt_time(base, result.cap),
        fmt_time(by(2), result.cap) if 2 in result_steps(result) else "",
        fmt_time(by(4), result.cap) if 4 in result_steps(result) else "",
        fmt_bytes(eight.size if eight else None),
        fmt_time(eight, result.cap),
        fmt_growth(result),
        "" if result.other_growth is None else f"({result.other_growth:.1f})",
        mb_text,
        facts_text,
    )


def result_steps(result: Result) -> set[int]:
    if result.base is None:
        return set()
    return {m.n // result.base.n for m in result.steps}


def table(rows: list[tuple[str, ...]], clock: str = "wall") -> str:
    """The rows under a header; ``(cpu)`` is the growth by the other clock (``(wall)``
    when the harness timed CPU)."""
    header = tuple("(wall)" if cell == "(cpu)" and clock == "cpu" else cell for cell in HEADER)
    lines = [header, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def run_all(items: list[Shape], harness: Harness, echo: Callable[[str], None] | None = None) -> list[Result]:
    """Every shape's result; ``echo`` gets one line per shape as it finishes."""
    results = []
    for item in items:
        start = time.perf_counter()
        result = harness.run(item)
        results.append(result)
        if echo:
            echo("  ".join(row(result)) + f"   [{time.perf_counter() - start:.1f} s]")
    return results


def run_parallel(
    items: list[Shape],
    options: dict,
    workers: int = 2,
    echo: Callable[[str], None] | None = None,
    sizes: dict[str, int] | None = None,
) -> list[Result]:
    """``run_all`` over ``workers`` harnesses at once (results in the order of ``items``).
    Meant for CPU-time measurements (``clock="cpu"``), which other busy processes barely
    change; wall-clock times would count the harnesses slowing each other down.
    ``sizes``: a fixed n for some shapes (by name), instead of calibrating it."""
    import threading

    pending = list(enumerate(items))
    results: dict[int, Result] = {}
    lock = threading.Lock()
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with Harness(**options) as harness:
                while True:
                    with lock:
                        if not pending or failures:
                            return
                        index, item = pending.pop(0)
                    start = time.perf_counter()
                    result = harness.run(item, (sizes or {}).get(item.name))
                    with lock:
                        results[index] = result
                        if echo:
                            echo("  ".join(row(result)) + f"   [{time.perf_counter() - start:.1f} s]")
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return [results[index] for index in range(len(items))]


def summary(results: list[Result], budget: float = 12.0) -> str:
    over = [r for r in results if r.growth is None or r.growth > budget]
    worst = max((w for r in results if (w := r.worst_under()) is not None), key=lambda w: w[0], default=None)
    lines = [
        f"{len(results)} shapes; growth for 8x input over {budget:g}: {len(over)}"
        + (f" ({', '.join(r.shape.name for r in over)})" if over else "")
    ]
    if worst:
        owner = next(r for r in results if (w := r.worst_under()) is not None and w[1] is worst[1])
        how = "over the cap" if worst[1].over_cap else ("linear estimate" if worst[1].estimated else "measured")
        lines.append(
            f"worst time of an input <= 1 MB: {worst[0]:.2f} s ({how}), {owner.shape.name} at "
            f"{fmt_bytes(worst[1].size)}"
        )
    most = worst_in_yardsticks(results)
    if most:
        ratio, result = most
        assert result.megabyte is not None
        lines.append(
            f"worst ~1 MB run in yardsticks: {ratio:.1f}, {result.shape.name} "
            f"(its yardstick: {statistics.median(result.megabyte.yardsticks) * 1000:.1f} ms)"
        )
    return "\n".join(lines)


def worst_in_yardsticks(results: list[Result]) -> tuple[float, Result] | None:
    """The ~1 MB run that took the most yardsticks (see :func:`yardstick`), and its shape."""
    found = [(m.in_yardsticks, r) for r in results if (m := r.megabyte) is not None and m.in_yardsticks is not None]
    return max(found, key=lambda pair: pair[0], default=None)


# How make bench (and --clock cpu) reads CPU time: each growth from the fastest of the runs
# at n and at 8n (the same work; what else runs on the machine only adds to either, and a
# ratio of two medians of 5-60 ms moved from 9 to 17 between runs of the same code), one
# over 10 again from pairs of n and 8n measured back to back (Harness._confirm); the
# ~1 MB time, the budget's figure, from their median; each shape in a new worker.
CPU_READING = dict(clock="cpu", statistic="min", megabyte_statistic="median", confirm_above=10.0, fresh_worker=True)

QUICK = dict(
    cap=2.0,
    target=0.002,
    min_base_bytes=4_000,
    max_base_bytes=64_000,
    enough=0.015,
    steps=(8,),
    megabyte=False,
    repeat_small=3,
    repeat_medium=2,
    repeat_large=1,
    clock="cpu",
    statistic="min",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="shape names or globs (default: every shape)")
    parser.add_argument("--quick", action="store_true", help="the quick test's sizes (no 2n/4n, no 1 MB)")
    parser.add_argument("--cap", type=float, default=None, help="seconds one run may take (default 5; quick 1)")
    parser.add_argument("--target-ms", type=float, default=None, help="calibrate n until t(n) >= this (default 5)")
    parser.add_argument("--no-mb", action="store_true", help="skip the ~1 MB measurement")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        help="time runs by wall clock (default) or CPU time (the quick test's: robust to a busy machine)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    parser.add_argument("--list", action="store_true", help="list the shapes and exit")
    args = parser.parse_args(argv)
    items = shapes(args.patterns)
    if args.list:
        width = max(len(s.name) for s in items)
        for s in items:
            print(f"{s.name.ljust(width)}  {s.op:8}  {s.path:16}  {s.about}")
        return 0
    options = dict(QUICK) if args.quick else {}
    if args.cap is not None:
        options["cap"] = args.cap
    if args.target_ms is not None:
        options["target"] = args.target_ms / 1000
    if args.no_mb:
        options["megabyte"] = False
    if args.clock:
        options["clock"] = args.clock
    if options.get("clock") == "cpu" and not args.quick:  # as make bench reads it
        options.update(CPU_READING)
    started = time.perf_counter()
    with Harness(**options) as harness:
        clock = "wall-clock (perf_counter)" if harness.clock == "wall" else "CPU time (process_time)"
        print(
            f"{len(items)} shapes; cap {harness.cap:g} s a run; n calibrated until t(n) >= "
            f"{harness.target * 1000:g} ms and the text >= {fmt_bytes(harness.min_base_bytes)} (or t(n) >= "
            f"{harness.enough * 1000:g} ms, or the text {fmt_bytes(harness.max_base_bytes)}); times are "
            f"{clock}, {'median' if harness.statistic == 'median' else 'fastest'} of up to "
            f"{harness.repeat_small} runs (the ~1 MB run: {'median' if harness.megabyte_statistic == 'median' else 'fastest'})",
            flush=True,
        )
        results = run_all(items, harness, lambda line: print(line, file=sys.stderr, flush=True))
        print(table([row(r) for r in results], harness.clock))
        print()
        print(summary(results))
        print(f"harness time {time.perf_counter() - started:.0f} s, worker restarts {harness.restarts}")
    if args.json:
        Path(args.json).write_text(json.dumps([_as_json(r) for r in results], indent=1))
    return 0


def _as_json(result: Result) -> dict:
    def one(m: Measurement | None):
        return (
            None
            if m is None
            else {
                "n": m.n,
                "bytes": m.size,
                "times": m.times,
                "statistic": m.statistic,
                "other_clock": m.other,
                "set_up": m.set_up,
                "over_cap": m.over_cap,
                "error": m.error,
                "estimated": m.estimated,
                "yardsticks": m.yardsticks,
                **m.facts,
            }
        )

    return {
        "shape": result.shape.name,
        "op": result.shape.op,
        "path": result.shape.path,
        "growth": result.growth,
        "growth_is_bound": result.growth_is_bound,
        "growth_from": "pairs" if result.growth_from_rounds else "first",
        "first_growth": result.first_growth,
        "base": one(result.base),
        "steps": [one(m) for m in result.steps],
        "megabyte": one(result.megabyte),
        "calibration": [one(m) for m in result.calibration],
        "rounds": [[one(small), one(large)] for small, large in result.rounds],
    }


if __name__ == "__main__":
    raise SystemExit(main())
