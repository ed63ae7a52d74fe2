#!/usr/bin/env bash
# Builds promptcoach-<version>.vsix: the bundled client (esbuild, run by vsce
# through "vscode:prepublish"), the server and its Python dependencies as pure
# Python in bundled/libs, packaged with vsce.
#
# One universal package: compiled modules (rapidfuzz, PyYAML's libyaml binding)
# are removed, so the same .vsix runs with any CPython 3.10+ on any OS and CPU;
# rapidfuzz and PyYAML then use their own pure-Python code paths (README,
# "VS Code extension", has the measurements).
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=${PY:-.venv/bin/python}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
manifest_version=$(node -p "require('./package.json').version")
if [ "$version" != "$manifest_version" ]; then
  echo "vsix: package.json version $manifest_version differs from pyproject.toml $version" >&2
  exit 1
fi
out="promptcoach-$version.vsix"

echo "vsix: installing the server and its dependencies into bundled/libs"
rm -rf bundled .build/wheels .build/src
# The wheel is built from a copy, so setuptools leaves no build/ in the checkout.
mkdir -p .build/src
cp -r pyproject.toml README.md LICENSE server .build/src/
find .build/src -name '__pycache__' -prune -exec rm -rf {} +
rm -rf .build/src/server/*.egg-info
"$PY" -m pip wheel --quiet --no-deps --wheel-dir .build/wheels .build/src 2>&1 | grep -v "is ignored: it is neither" >&2 || true
test -f .build/wheels/promptcoach-"$version"-py3-none-any.whl
# pip evaluates markers for the running Python, not for --python-version, so the
# backport cattrs needs on Python 3.10 (python_version < "3.11") is named here.
"$PY" -m pip install --quiet --no-compile --target bundled/libs \
  --only-binary=:all: --implementation cp --python-version 3.10 \
  .build/wheels/promptcoach-"$version"-py3-none-any.whl "exceptiongroup>=1.1.1" 2>&1 |
  grep -v "is ignored: it is neither" >&2 || true
test -f bundled/libs/promptcoach/__init__.py
rm -rf bundled/libs/bin
find bundled/libs \( -name '*.so' -o -name '*.pyd' -o -name '*.dylib' \) -delete
# google-re2 has no pure-Python form: without it, patterns in users' knowledge packs are
# refused with a message (engine/knowledge/user_regex.py); a google-re2 installed in the
# interpreter that runs the server is used (so no half of it is left here to shadow it).
rm -rf bundled/libs/re2 bundled/libs/google_re2*

echo "vsix: checking that the bundled server runs on pure Python"
"$PY" -I -B -c "
import sys; sys.path.insert(0, 'bundled/libs')
import os, rapidfuzz.fuzz, yaml, promptcoach, pygls.lsp.server, lsprotocol.types
assert rapidfuzz.fuzz.ratio.__module__.endswith('_py'), rapidfuzz.fuzz.ratio.__module__
assert not yaml.__with_libyaml__
assert os.path.abspath(promptcoach.__file__).startswith(os.path.abspath('bundled/libs')), promptcoach.__file__
"
"$PY" -I -B client/python/launch.py --version
"$PY" -I -B client/python/launch.py check --format json client/build/smoke.prompt.md >/dev/null || [ $? -eq 1 ]
find bundled/libs -name '__pycache__' -prune -exec rm -rf {} +

echo "vsix: packaging $out"
rm -f promptcoach-*.vsix
npx --no-install vsce package --no-dependencies --out "$out" >/dev/null
ls -l "$out" | awk '{printf "vsix: %s, %.1f MB\n", $NF, $5 / 1048576}'
