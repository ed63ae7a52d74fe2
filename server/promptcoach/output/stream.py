"""Writing the CLI's output to standard output.

Text output goes out in the stream's encoding with the undecodable bytes of a file
name written back as the bytes they were (as ``ls`` and ``grep`` do); JSON and SARIF
always go out as UTF-8 (RFC 8259), whatever the terminal's encoding. A write that
fails (a full disk) is an :class:`OutputError`, reported by the CLI in one line. A
reader that went away (``| head``) ends the output, not the run: the rest goes to
the null device and the exit status stays what the run decided.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager


class OutputError(Exception):
    """Standard output cannot be written; ``str()`` is the reason
    (``No space left on device``)."""


def write_output(text: str, utf8: bool = False) -> None:
    """Write ``text`` to standard output and flush it; ``utf8``: as UTF-8."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    with _handling_write_errors():
        if binary is None:  # a text-only stand-in (tests)
            stream.write(text)
            stream.flush()
            return
        stream.flush()  # what was written as text goes first
        if utf8:
            binary.write(_encode(text, "utf-8", "strict"))
        else:
            binary.write(_encode(text, stream.encoding or "utf-8", "surrogateescape"))
        binary.flush()


def flush_output() -> None:
    """Flush what is still buffered on standard output (``print``, argparse's
    ``--help``), so that a write error is reported now rather than at exit. The
    language server closes standard output when the client says ``exit``: nothing is
    left to flush then."""
    if sys.stdout.closed:
        return
    with _handling_write_errors():
        sys.stdout.flush()


def say(line: str) -> None:
    """Print ``line`` on standard error, its control characters escaped (file names come
    from the repository). A line that cannot be written (the reader went away, a full
    disk) is dropped: it must not change the exit status."""
    from promptcoach.output.paths import printable

    write_quietly(sys.stderr, printable(line) + "\n")


def write_quietly(stream, text: str) -> None:
    """Write ``text`` to ``stream``; if that fails, the stream's output is discarded."""
    try:
        stream.write(text)
        stream.flush()
    except OSError:
        discard(stream)


@contextmanager
def _handling_write_errors():
    """While writing standard output: a closed pipe ends the output quietly; any
    other ``OSError`` is an :class:`OutputError`. Either way the stream is then
    pointed at the null device, so the flush at exit does not fail again (Python
    would print ``Exception ignored ... BrokenPipeError`` and exit 120)."""
    try:
        yield
    except BrokenPipeError:
        discard(sys.stdout)
    except OSError as error:
        discard(sys.stdout)
        raise OutputError(error.strerror or str(error)) from None


def discard(stream) -> None:
    """Send the rest of ``stream``'s output, buffered or not yet written, to the null device."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a file: nothing is flushed at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def _encode(text: str, encoding: str, errors: str) -> bytes:
    """``text`` in ``encoding``. ``errors="surrogateescape"`` turns surrogate escapes
    (a file name's bytes that are not UTF-8) back into their bytes; ``"strict"`` keeps
    UTF-8 valid. What still cannot be encoded becomes an escape such as ``\\u2192``
    (in JSON a valid string escape) rather than an error."""
    try:
        return text.encode(encoding, errors)
    except UnicodeEncodeError:
        return text.encode(encoding, "backslashreplace")
