"""The language table: which comment syntax a document uses.

The table is data (``languages.yaml``, validated against
``schemas/languages.schema.json``), loaded once; each syntax's regex is compiled
on first use.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from promptcoach.engine import regexcache
from promptcoach.engine.extract.lexer import Syntax
from promptcoach.engine.extract.string_tokens import STRING_KINDS
from promptcoach.engine.yamldata import DataError, load_builtin

TABLE_FILE = Path(__file__).with_name("languages.yaml")

# Documents read as prompt files when the user names them (or the editor says so).
TEXT_EXTENSIONS = frozenset({"md", "markdown", "mdx", "mdc", "txt", "text", "prompt", "cursorrules"})
TEXT_LANGUAGE_IDS = frozenset({"markdown", "mdx", "plaintext", "prompt", "instructions", "chatmode"})


class Language(NamedTuple):
    name: str
    syntax: str


class LanguageTable:
    def __init__(self, data: dict[str, Any], file: str) -> None:
        self._specs: dict[str, dict[str, Any]] = data["syntaxes"]
        self._compiled: dict[str, Syntax] = {}
        self.by_extension: dict[str, Language] = {}
        self.by_filename: dict[str, Language] = {}
        self.by_id: dict[str, Language] = {}
        self.globs: list[tuple[str, Language]] = []
        self.languages: dict[str, Language] = {}
        self._check_references(file)
        for name, entry in data["languages"].items():
            language = Language(name, entry["syntax"])
            self.languages[name] = language
            for ext in entry.get("extensions", []):
                self._register(self.by_extension, ext.lower(), language, file, "extension")
            for filename in entry.get("filenames", []):
                self._register(self.by_filename, filename.lower(), language, file, "file name")
            for language_id in entry.get("ids", []):
                self._register(self.by_id, language_id, language, file, "language id")
            self.globs.extend((glob.lower(), language) for glob in entry.get("globs", []))

    def _check_references(self, file: str) -> None:
        for name, spec in self._specs.items():
            for kind in spec.get("strings", []):
                if kind not in STRING_KINDS:
                    raise DataError(file, None, f"syntax {name!r}: unknown string kind {kind!r}")
            for target in (spec.get("embedded") or {}).values():
                if target not in self._specs:
                    raise DataError(file, None, f"syntax {name!r}: unknown embedded syntax {target!r}")

    def _register(self, index: dict[str, Language], key: str, language: Language, file: str, what: str) -> None:
        if language.syntax not in self._specs:
            raise DataError(file, None, f"language {language.name!r}: unknown syntax {language.syntax!r}")
        if key in index:
            raise DataError(file, None, f"{what} {key!r} is claimed by {index[key].name!r} and {language.name!r}")
        index[key] = language

    def spec(self, syntax_name: str) -> dict[str, Any]:
        """The raw table entry of a syntax (line/block/strings), read-only by convention."""
        return self._specs[syntax_name]

    def syntax(self, name: str) -> Syntax:
        compiled = self._compiled.get(name)
        if compiled is None:
            compiled = self._compiled[name] = Syntax(name, self._specs[name], self.syntax)
        return compiled

    def language_for(self, path: str, language_id: str | None = None) -> Language | None:
        """The language of a document, from the editor's language id or else its file name."""
        if language_id and language_id in self.by_id:
            return self.by_id[language_id]
        name = PurePosixPath(path.replace("\\", "/")).name.lower()
        if name in self.by_filename:
            return self.by_filename[name]
        for glob, language in self.globs:
            if fnmatchcase(name, glob):
                return language
        suffixes = name.split(".")[1:]
        for index in range(len(suffixes)):  # longest compound extension first
            found = self.by_extension.get(".".join(suffixes[index:]))
            if found is not None:
                return found
        return None


@lru_cache(maxsize=1)
def language_table() -> LanguageTable:
    """The built-in table, loaded and validated once per process."""
    return LanguageTable(_table_data(), str(TABLE_FILE))


def _table_data() -> dict[str, Any]:
    """The table, checked against its schema (see ``yamldata.load_builtin``)."""
    data: dict[str, Any] = load_builtin(TABLE_FILE.read_text(encoding="utf-8"), str(TABLE_FILE), "languages")
    return data


# interpreter named by a shebang -> a file name of its language
_INTERPRETERS = {
    "sh": "x.sh",
    "bash": "x.sh",
    "zsh": "x.sh",
    "dash": "x.sh",
    "ksh": "x.sh",
    "fish": "x.sh",
    "python": "x.py",
    "node": "x.js",
    "deno": "x.ts",
    "bun": "x.ts",
    "ruby": "x.rb",
    "perl": "x.pl",
    "php": "x.php",
    "lua": "x.lua",
    "rscript": "x.r",
    "elixir": "x.exs",
    "pwsh": "x.ps1",
}
_SHEBANG = regexcache.compile(r"#!\s*(\S+)(?:[ \t]+(?:-\S+[ \t]+)*(\S+))?")


def shebang_language(text: str) -> Language | None:
    """The language a script's first line names (``#!/bin/bash``, ``#!/usr/bin/env python3``)."""
    found = _SHEBANG.match(text)
    if found is None:
        return None
    program = found.group(1).rsplit("/", 1)[-1]
    if program == "env" and found.group(2):
        program = found.group(2).rsplit("/", 1)[-1]
    name = re.sub(r"[\d.]+$", "", program.lower())  # python3.12 -> python
    example = _INTERPRETERS.get(name)
    return language_table().language_for(example) if example else None


def is_text_document(path: str, language_id: str | None = None) -> bool:
    """Markdown or plain text: read as a prompt file when named explicitly."""
    if language_id in TEXT_LANGUAGE_IDS:
        return True
    name = PurePosixPath(path.replace("\\", "/")).name.lower()
    return "." in name and name.rsplit(".", 1)[1] in TEXT_EXTENSIONS
