"""Start Prompt Coach for the VS Code extension.

The extension runs ``python -I launch.py serve`` (or ``check ...``). Isolated
mode (-I) keeps the current folder, PYTHON* variables and the user's site
directory out of ``sys.path``, so nothing in an opened workspace can shadow the
server's modules. The server and its dependencies come from ``bundled/libs``
in the packaged extension, or from ``server/`` plus the interpreter's own
packages in a checkout of the repository.
"""

import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# bundled/libs wins when both exist; server/ counts only as a full source tree. The
# compiled google-re2 of a platform's package is in bundled/native/cp3XX, one per
# CPython version: the running interpreter's, when there is one, comes first.
NATIVE = "bundled/native/cp%d%d" % sys.version_info[:2]
for folder, marker in (("server", "promptcoach/__init__.py"), ("bundled/libs", "promptcoach/__init__.py"),
                       (NATIVE, "re2/__init__.py")):
    folder = os.path.join(ROOT, *folder.split("/"))
    if os.path.isfile(os.path.join(folder, *marker.split("/"))):
        sys.path.insert(0, folder)

if sys.version_info < (3, 10):
    sys.stderr.write("Prompt Coach needs Python 3.10 or newer, this is %s\n" % sys.version.split()[0])
    sys.exit(3)

sys.argv = ["promptcoach", *sys.argv[1:]]
runpy.run_module("promptcoach", run_name="__main__", alter_sys=True)
