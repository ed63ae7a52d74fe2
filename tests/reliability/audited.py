"""Run ``promptcoach ARGS...`` under an audit hook (PEP 578) that logs what it does.

Usage: ``python audited.py LOGFILE ARGS...``. Every socket, process and
file-open event is appended to LOGFILE as ``event<TAB>repr(args)``, one line
each, written with ``os.write`` on a descriptor opened before the hook is
installed (so logging raises no events of its own). A socket that could reach
the network (anything but an ``AF_UNIX`` pair, which asyncio uses to wake its
loop) and every attempt to start a process is refused with ``PermissionError``
as well as logged, so a violation cannot go unnoticed.

At exit it also logs every loaded module whose file is under a watched
directory (``PROMPTCOACH_AUDIT_WATCH``).

Running this file puts its own directory, not the working directory, first on
``sys.path``, like the ``promptcoach`` console script does.
"""

from __future__ import annotations

import atexit
import os
import runpy
import socket
import sys

LOGGED = (
    "socket.",
    "subprocess.",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.",
    "open",
)
REFUSED_PROCESS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty")
NETWORK = (
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "socket.sendmsg",
)


def install(log_path: str) -> None:
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    unix = int(socket.AF_UNIX)

    def hook(event: str, args: tuple) -> None:
        if not event.startswith(LOGGED):
            return
        if event == "open":
            path = args[0]
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if not isinstance(path, str):
                return
            path = os.path.abspath(path)
            if not path.startswith(WATCHED):
                return
            args = (path, *args[1:])
        family = int(args[1]) if event == "socket.__new__" else None
        if family is not None:
            args = (f"family={family}",)  # the socket object itself has no useful repr yet
        line = f"{event}\t{args!r}".replace("\n", " ")
        os.write(fd, line.encode("utf-8", "backslashreplace") + b"\n")
        if event.startswith(REFUSED_PROCESS):
            raise PermissionError(f"audited: {event} refused")
        if event.startswith(NETWORK):
            raise PermissionError(f"audited: {event} refused")
        if family is not None and family != unix:
            raise PermissionError(f"audited: socket family {family} refused")

    sys.addaudithook(hook)
    atexit.register(_log_workspace_modules, fd)


def _log_workspace_modules(fd: int) -> None:
    """At exit, every loaded module whose file lies under a watched directory."""
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and os.path.abspath(path).startswith(WATCHED):
            os.write(fd, f"module\t{name} {path}\n".encode("utf-8", "backslashreplace"))


# Opens are logged only under these directories (the workspace and the temp dir).
WATCHED = tuple(filter(None, os.environ.get("PROMPTCOACH_AUDIT_WATCH", "").split(os.pathsep))) or ("/",)

if __name__ == "__main__":
    install(sys.argv[1])
    sys.argv = ["promptcoach", *sys.argv[2:]]
    runpy.run_module("promptcoach", run_name="__main__", alter_sys=True)
