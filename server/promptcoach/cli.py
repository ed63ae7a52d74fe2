"""The ``promptcoach`` command: ``check``, ``expand``, ``explain`` and ``serve``.

Exit status: 0 clean, 1 findings at or above ``--fail-on`` (or nothing to expand),
2 usage, configuration or input error, or output that cannot be written. Heavy
modules are imported inside the commands, so ``promptcoach check`` never loads the
language server.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from promptcoach import __version__
from promptcoach.output.stream import OutputError, discard, flush_output, say, write_output, write_quietly

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning", "information", "hint", "never")
STDIN = "-"


class UsageError(Exception):
    """Bad arguments, configuration or input: printed on stderr, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status. Output that cannot be written (a full
    disk) is one line on standard error and status 2."""
    try:
        status = _command_status(argv)
        flush_output()  # what print() or argparse left in the buffer
    except OutputError as error:
        say(f"promptcoach: cannot write output: {error}")
        return EXIT_ERROR
    return status


def _command_status(argv: Sequence[str] | None) -> int:
    """Parse the arguments and run the command: its exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # argparse has printed --help, --version or a usage error
        return int(done.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        with _data_errors_as_usage():
            return args.run(args)
    except UsageError as error:
        for line in str(error).splitlines():
            say(f"promptcoach: error: {line}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # a write that bypassed write_output: the command did not finish
        discard(sys.stdout)
        return EXIT_ERROR


@contextmanager
def _data_errors_as_usage():
    """A data file that cannot be used (``file:line: message``) is a usage error too."""
    try:
        yield
    except Exception as error:
        from promptcoach.engine.yamldata import DataError

        if isinstance(error, DataError):
            from promptcoach.output.paths import printable

            raise UsageError(printable(str(error))) from None  # one line, whatever a file name holds
        raise


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's, with the width worked out as ``shutil.get_terminal_size`` does but
    without importing ``shutil``: argparse makes a formatter for every argument added,
    and ``shutil`` brings the compression modules, a few milliseconds of every start."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width=None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width)


def _terminal_columns() -> int:
    """``COLUMNS`` when set, else the width of the terminal on standard output, else 80."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, except that ``--help`` and ``--version`` that cannot be written on
    standard output are an :class:`OutputError` (argparse drops write errors), and
    its messages on standard error are written as :func:`say` writes them. Help is
    laid out by :class:`_HelpFormatter`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file=None) -> None:
        if not message:
            return
        if file is sys.stdout:
            write_output(message)
        else:
            write_quietly(file or sys.stderr, message)


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="promptcoach",
        description="Coach the prompts you write for AI coding assistants.",
    )
    parser.add_argument("--version", action="version", version=f"promptcoach {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_serve(commands)
    _add_check(commands)
    _add_expand(commands)
    _add_explain(commands)
    return parser


def _add_serve(commands) -> None:
    serve = commands.add_parser("serve", help="run the language server on stdio")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead (for debugging)")
    serve.set_defaults(run=run_serve)


def _add_check(commands) -> None:
    check = commands.add_parser(
        "check",
        help="lint prompt files and marked comments",
        description="Lint prompt files and marked comments. Directories are walked with the "
        "include/exclude globs; a file named here is always checked. Use - for standard input.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, or - for stdin")
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    check.add_argument("--config", metavar="FILE", help="use this configuration file")
    check.add_argument("--no-config", action="store_true", help="ignore .promptcoach.yaml files")
    check.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="warning",
        help="exit 1 when a finding is at least this severe (default: warning)",
    )
    check.add_argument("--stdin-filename", metavar="NAME", help="the file name standard input stands for")
    check.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="worker processes for large runs (default: one per core)"
    )
    check.set_defaults(run=run_check)


def _add_expand(commands) -> None:
    expand = commands.add_parser("expand", help="print the specific form of a basic prompt")
    expand.add_argument(
        "text",
        nargs="?",
        metavar="TEXT",
        help="the prompt, or - to read it from standard input (read too when TEXT is left out and input is piped)",
    )
    expand.add_argument("--snippet", action="store_true", help="print VS Code snippet syntax")
    expand.add_argument("--category", metavar="ID", help="expand as this category")
    expand.add_argument("--config", metavar="FILE", help="use this configuration file")
    expand.add_argument("--no-config", action="store_true", help="ignore .promptcoach.yaml files")
    expand.set_defaults(run=run_expand)


def _add_explain(commands) -> None:
    explain = commands.add_parser("explain", help="print the card of a category or a rule")
    explain.add_argument("id", metavar="ID", help="a category id or a rule id")
    explain.add_argument("--config", metavar="FILE", help="use this configuration file")
    explain.add_argument("--no-config", action="store_true", help="ignore .promptcoach.yaml files")
    explain.set_defaults(run=run_explain)


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"wants a whole number of at least 1, got {value!r}")
    return int(value)


# --- serve ------------------------------------------------------------------------------------


def run_serve(args: argparse.Namespace) -> int:
    tcp = _parse_host_port(args.tcp) if args.tcp else None
    from promptcoach.lsp import server  # pygls is imported here and only here

    server.start(tcp=tcp)
    return EXIT_OK


def _parse_host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--tcp wants HOST:PORT, got {value!r}")
    return host, int(port)


# --- check ------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    from promptcoach import batch
    from promptcoach.project import make_engine
    from promptcoach.targets import Projects, collect_targets, runs_by_project

    if args.stdin_filename and STDIN not in args.paths:
        raise UsageError("--stdin-filename is given but no path is - (standard input)")
    if list(args.paths).count(STDIN) > 1:
        raise UsageError("standard input (-) can be checked only once")
    projects = Projects(args)
    errors: list[str] = []  # walked directories that cannot be read, then files
    targets = collect_targets(args.paths, args.stdin_filename, projects, errors=errors)
    reports = []
    for project, run in runs_by_project(targets):  # every file is read and analysed before anything is printed
        found, failed = batch.check_all(run, partial(make_engine, project, fixes=False), workers=args.jobs)
        reports.extend(found)
        errors.extend(failed)
    if errors:
        raise UsageError("\n".join(errors))
    status = _check_status(reports, args.fail_on)  # decided before writing: a closed pipe cannot change it
    write_output(render(args.format, reports, projects.first), utf8=args.format != "text")
    if args.format in ("text", "github"):  # the summary goes to standard error
        from promptcoach.output import text

        say(text.summary(reports))
    return status


def _check_status(reports, fail_on: str) -> int:
    """EXIT_FINDINGS when a finding is at least as severe as ``fail_on``, else EXIT_OK."""
    from promptcoach.output.report import at_or_above

    if fail_on == "never":
        return EXIT_OK
    failing = any(at_or_above(finding.severity, fail_on) for report in reports for finding in report.all_findings())
    return EXIT_FINDINGS if failing else EXIT_OK


def render(fmt: str, reports, project) -> str:
    if fmt == "json":
        from promptcoach.output import json_report

        return json_report.render(reports)
    if fmt == "sarif":
        from promptcoach.output import sarif
        from promptcoach.project import rule_infos

        return sarif.render(reports, rule_infos(project))
    if fmt == "github":
        from promptcoach.output import github

        return github.render(reports)
    from promptcoach.output import text

    return text.render(reports)


# --- expand -----------------------------------------------------------------------------------


def run_expand(args: argparse.Namespace) -> int:
    from promptcoach.engine.expand import ExpansionError, expand
    from promptcoach.project import load_project, make_engine

    text = _prompt_argument(args.text)
    project = load_project(args, Path.cwd())
    engine = make_engine(project)
    if args.category is not None:
        _check_expandable(engine.knowledge, args.category)
    classification = engine.classify(text)
    if args.category is None and classification.category is None:
        names = ", ".join(_expandable(engine.knowledge))
        say(
            "promptcoach: this prompt matches no backend category, so there is nothing to expand; "
            f"name one with --category ({names})"
        )
        return EXIT_FINDINGS
    try:
        expansion = expand(text, classification, engine.knowledge, engine.stack, category=args.category)
    except ExpansionError as error:
        raise UsageError(str(error)) from None
    from promptcoach.output.paths import printable

    # one line (the prompt's whitespace was joined): a knowledge pack's clause that holds a
    # line break or an escape sequence is written escaped, it cannot start a line of its own
    write_output(printable(expansion.snippet if args.snippet else expansion.plain) + "\n")
    return EXIT_OK


def _prompt_argument(value: str | None) -> str:
    """The prompt to expand: ``TEXT``, or standard input for ``-`` or when ``TEXT`` is
    left out. Left out with standard input on a terminal is a usage error rather than
    a silent wait for input; ``-`` still reads what is typed there."""
    if value is None and _stdin_is_a_terminal():
        raise UsageError(
            "expand needs a prompt: give it as TEXT, or pipe it in (use - to type it on the terminal, "
            "ending with Ctrl-D)"
        )
    if value is None or value == STDIN:
        from promptcoach import batch
        from promptcoach.engine.settings import DEFAULT_MAX_FILE_SIZE

        try:
            value = batch.read_stdin("<stdin>", DEFAULT_MAX_FILE_SIZE)
        except batch.TooLarge:
            raise UsageError(f"the prompt to expand is over {DEFAULT_MAX_FILE_SIZE:,} bytes") from None
        except batch.InputError as error:
            raise UsageError(str(error)) from None
    text = " ".join(value.split())
    if not text:
        raise UsageError("the prompt to expand is empty")
    return text


def _stdin_is_a_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _expandable(knowledge) -> list[str]:
    return [category.id for category in knowledge.categories if category.template]


def _check_expandable(knowledge, category_id: str) -> None:
    if category_id not in _expandable(knowledge):
        names = ", ".join(_expandable(knowledge))
        raise UsageError(f"unknown category {category_id!r} for --category; choose one of: {names}")


# --- explain ----------------------------------------------------------------------------------


def run_explain(args: argparse.Namespace) -> int:
    from promptcoach import explain
    from promptcoach.project import load_project

    project = load_project(args, Path.cwd())
    try:
        page = explain.explain(args.id, project.knowledge)
    except explain.UnknownId as error:
        raise UsageError(str(error)) from None
    write_output(page)
    return EXIT_OK
