"""Rule pages rendered for a terminal (``promptcoach explain RULE``)."""

from __future__ import annotations

from promptcoach.output.plain_markdown import plain, render

PAGE = """# some-rule

**Default severity:** warning · **Fix:** add the *missing* part

## What it checks

A paragraph that goes on
over two lines with `code` and a [link](https://example.invalid/page).

- first item
  continued here
- second item

| name | meaning |
| --- | --- |
| `a` | the first |
| longer-name | the second |

```yaml
# .promptcoach.yaml
rules:
  some-rule: off
```
"""


def test_a_page_becomes_a_card():
    text = render(PAGE, "Some rule (some-rule)")
    assert (
        text
        == """Some rule (some-rule)
=====================

Default severity: warning · Fix: add the missing part

What it checks
--------------

A paragraph that goes on over two lines with code and a link.

  - first item continued here
  - second item

  name         meaning
  a            the first
  longer-name  the second

    # .promptcoach.yaml
    rules:
      some-rule: off
"""
    )


def test_long_paragraphs_wrap_without_breaking_words_at_hyphens():
    text = render("# r\n\n" + "promptcoach-disable-next-line " * 10 + "\n", "R (r)")
    body = text.splitlines()[3:]
    assert all(len(line) <= 88 for line in body)
    assert all(word == "promptcoach-disable-next-line" for line in body for word in line.split())


def test_plain_removes_inline_markers_only():
    assert plain("**bold**, *em*, `code`, [text](url), 2 * 3 * 4") == "bold, em, code, text, 2 * 3 * 4"
