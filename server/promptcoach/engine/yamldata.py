"""Loading YAML data files safely and validating them against a JSON Schema.

Every error names the file and the line of the offending value, so a user who
breaks a knowledge pack or ``.promptcoach.yaml`` sees ``file:line: what is wrong``.
Only ``yaml.SafeLoader`` is used: data can never construct Python objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptcoach.engine import regexcache

if TYPE_CHECKING:
    import fastjsonschema
    import yaml

# PyYAML and the schema validator are imported by the functions that parse: a start
# whose built-in files all come from the cache (engine/datacache.py) needs neither.
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def _composer() -> type:
    """libyaml's parser when PyYAML was built with it (the same nodes and marks, several
    times faster); the pure-Python one otherwise. Both are safe loaders."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(Exception):
    """A data file that cannot be used; ``str()`` is ``file:line: message``."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line  # 1-based, or None when unknown
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


@cache
def schema_validator(name: str) -> Callable[[Any], Any]:
    """Compiled validator for ``schemas/<name>.schema.json``."""
    import fastjsonschema

    return fastjsonschema.compile(json.loads(_schema_text(name)))


@cache
def _schema_text(name: str) -> str:
    return (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")


def load_builtin(text: str, file: str, schema: str) -> Any:
    """A data file that ships with Prompt Coach, as :func:`load_yaml` would return it,
    taken from the cache of parsed built-in files when this very text and schema were
    parsed before (see :mod:`promptcoach.engine.datacache`). (The test suite reads the
    built-in files with :func:`load_yaml`, which also rejects duplicate keys.)"""
    from promptcoach.engine import datacache

    key = datacache.digest(_schema_text(schema), text)
    data = datacache.load(key)
    if data is datacache.MISSING:
        data = _parse_builtin(text, file, schema)
        datacache.store(key, data)
    return data


def _parse_builtin(text: str, file: str, schema: str) -> Any:
    """Parsed with libyaml and validated against ``schema``; on any problem read again
    with :func:`load_yaml`, which explains it as ``file:line: what is wrong``."""
    import yaml

    try:
        data = yaml.load(text, Loader=_composer())
        schema_validator(schema)(data)
        return data
    except Exception:  # noqa: BLE001 - load_yaml below produces the precise error
        return load_yaml(text, file, schema)


def load_yaml(text: str, file: str, schema: str | None = None) -> Any:
    """Parse ``text`` (the contents of ``file``) and validate it against ``schema``.

    Raises :class:`DataError` with a line number for syntax errors, duplicate keys
    and schema violations.
    """
    import fastjsonschema
    import yaml

    try:
        node = yaml.compose(text, Loader=_composer())
    except yaml.MarkedYAMLError as error:
        raise _marked_error(file, error, None) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (NUL ...)
        raise DataError(
            file, _line_at(text, error.position), f"invalid YAML: character #x{error.character:04x} is not allowed"
        ) from None
    except yaml.YAMLError as error:
        raise DataError(file, None, f"invalid YAML: {error}") from None
    except RecursionError:  # the parser recurses once per level of nesting
        raise DataError(file, None, f"nested more than {MAX_DEPTH} levels deep") from None
    if node is None:
        data: Any = None
    else:
        _check_expansion(node, file)
        _reject_duplicate_keys(node, file)
        loader = yaml.SafeLoader("")
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as error:  # a tag such as !!python/object: never constructed
            raise _marked_error(file, error, _line(node)) from None
        except yaml.YAMLError as error:
            raise DataError(file, _line(node), f"invalid YAML: {error}") from None
        finally:
            loader.dispose()
    if schema is not None:
        try:
            schema_validator(schema)(data)
        except fastjsonschema.JsonSchemaValueException as error:
            path = list(error.path or [])[1:]  # drop the leading "data"
            where = _node_at(node, path) if node is not None else None
            raise DataError(file, _line(_offending_key(where, error) or where), _describe(error)) from None
    return data


def _line_at(data: str | bytes, position: int) -> int:
    """The 1-based line of ``data[position]``; lines end at LF, CRLF or a lone CR."""
    if isinstance(data, str):
        text = data[:position]
        return text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    before = data[:position]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


MAX_DATA_BYTES = 1_000_000  # a configuration or knowledge pack larger than this is refused


def read_regular_bytes(path: Path, name: str, limit: int = MAX_DATA_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes: a FIFO, a device
    (``/dev/zero``) or a larger file is a :class:`DataError`, never read."""
    from promptcoach.engine.safe_files import Unreadable, read_regular

    try:
        return read_regular(path, limit)
    except Unreadable as error:
        raise DataError(name, None, str(error)) from None


def read_data_text(path: Path, name: str) -> str:
    """The UTF-8 text of a data file; :class:`DataError` names ``name``, and for a byte
    that is not UTF-8 its line and the byte. (``OSError`` is left to the caller, whose
    wording depends on who asked for the file.)"""
    data = read_regular_bytes(path, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            name, _line_at(data, error.start), f"not UTF-8 text (invalid byte 0x{data[error.start]:02x})"
        ) from None


def load_yaml_file(
    path: str | Path, schema: str | None = None, shown_as: str | None = None, builtin: bool = False
) -> Any:
    """Read and validate a YAML file; ``shown_as`` is the name errors use;
    ``builtin``: a file that ships with Prompt Coach (see :func:`load_builtin`)."""
    name = shown_as or str(path)
    try:
        text = read_data_text(Path(path), name)
    except OSError as error:
        raise DataError(name, None, f"cannot read: {error.strerror or error}") from None
    if builtin and schema is not None:
        return load_builtin(text, name, schema)
    return load_yaml(text, name, schema)


def _marked_error(file: str, error: yaml.MarkedYAMLError, fallback_line: int | None) -> DataError:
    """One line, at PyYAML's mark, without its excerpt (which names ``<unicode string>``)."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else fallback_line
    return DataError(file, line, f"invalid YAML: {error.problem or error.context}")


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _node_at(node: yaml.Node | None, path: Sequence[str | int]) -> yaml.Node | None:
    """The deepest node along ``path`` (keys and indexes) that exists."""
    import yaml

    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == step:
                    node = value
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and str(step).isdigit() and int(step) < len(node.value):
            node = node.value[int(step)]
        else:
            return node
    return node


_EXTRA_KEYS = regexcache.compile(r"must not contain \{(.*)\} properties")


def _offending_key(node: yaml.Node | None, error: fastjsonschema.JsonSchemaValueException) -> yaml.Node | None:
    """For an unknown key, the key's own node (the error's path ends at its mapping)."""
    import yaml

    extra = _EXTRA_KEYS.search(error.message or "")
    if extra is None or not isinstance(node, yaml.MappingNode):
        return None
    names = set(re.findall(r"'([^']*)'", extra.group(1)))
    return next((key for key, _ in node.value if isinstance(key, yaml.ScalarNode) and key.value in names), None)


def _describe(error: fastjsonschema.JsonSchemaValueException) -> str:
    message = error.message
    if message.startswith("data."):
        return message[len("data.") :]
    if message.startswith("data "):
        return "the document " + message[len("data ") :]
    return message


MAX_VALUES = 100_000  # values a document may hold once its aliases are expanded
MAX_DEPTH = 64  # levels of nesting


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(node: yaml.Node, file: str) -> None:
    """Reject a document that nests deeper than MAX_DEPTH, refers to itself through an
    alias, or holds more than MAX_VALUES values once aliases are expanded (nine aliases
    of nine aliases ... of a list: a few hundred bytes that expand to billions of values).
    Each node is visited once, however many aliases point at it."""
    sizes: dict[int, int] = {}
    ancestors: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        current, depth, done = stack.pop()
        key = id(current)
        if done:
            ancestors.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(current))
            if total > MAX_VALUES:
                raise DataError(
                    file, _line(current), f"too many values once its aliases are expanded (more than {MAX_VALUES:,})"
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in ancestors:
            raise DataError(file, _line(current), "an alias refers to the value that holds it")
        if depth > MAX_DEPTH:
            raise DataError(file, _line(current), f"nested more than {MAX_DEPTH} levels deep")
        ancestors.add(key)
        stack.append((current, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(current) if id(child) not in sizes)


def _reject_duplicate_keys(node: yaml.Node, file: str) -> None:
    import yaml

    seen_nodes: set[int] = set()  # an aliased node is checked once
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: set[Any] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise DataError(file, _line(key), f"duplicate key {key.value!r}")
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
