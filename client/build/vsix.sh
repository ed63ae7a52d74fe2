#!/usr/bin/env bash
# Builds promptcoach-<version>.vsix: the bundled client (esbuild, run by vsce
# through "vscode:prepublish"), the server and its Python dependencies as pure
# Python in bundled/libs, packaged with vsce.
#
# Compiled modules (rapidfuzz, PyYAML's libyaml binding) are removed, so bundled/libs
# runs with any CPython 3.10+ on any OS and CPU; rapidfuzz and PyYAML then use their
# own pure-Python code paths (README, "VS Code extension", has the measurements).
# The one compiled part kept is google-re2, which has no pure-Python form and runs the
# patterns of users' knowledge packs: its wheels for CPython 3.10-3.13 of this
# machine's platform go to bundled/native/cp3XX (launch.py adds the one of the running
# interpreter), and the package is made for that platform (vsce --target), as
# extensions with native parts are. On a platform not listed below the package is
# universal and has no RE2: packs with patterns are then refused with a message.
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
# google-re2 goes to bundled/native, one copy per CPython version (below); none is
# left here, where it would shadow those.
rm -rf bundled/libs/re2 bundled/libs/google_re2*

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=linux-x64; platforms="manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64" ;;
  Linux-aarch64) target=linux-arm64; platforms="manylinux_2_28_aarch64 manylinux_2_27_aarch64 manylinux_2_17_aarch64 manylinux2014_aarch64" ;;
  Darwin-arm64) target=darwin-arm64; platforms="macosx_11_0_arm64 macosx_13_0_arm64 macosx_14_0_arm64" ;;
  *) target=""; platforms="" ;;
esac
if [ -n "$target" ]; then
  echo "vsix: google-re2 for CPython 3.10-3.13 on $target into bundled/native"
  for minor in 10 11 12 13; do
    rm -rf .build/re2 && mkdir -p .build/re2 bundled/native/cp3$minor
    "$PY" -m pip download --quiet --no-deps --only-binary=:all: --implementation cp --python-version "3.$minor" \
      $(printf -- '--platform %s ' $platforms) --dest .build/re2 "google-re2>=1.1" 2>&1 |
      grep -v "is ignored: it is neither" >&2 || true
    wheel=$(ls .build/re2/google_re2-*.whl)
    "$PY" -m zipfile -e "$wheel" bundled/native/cp3$minor
  done
  rm -rf .build/re2
fi

echo "vsix: checking that the bundled server runs on pure Python"
"$PY" -I -B -c "
import sys; sys.path.insert(0, 'bundled/libs')
import os, rapidfuzz.fuzz, yaml, promptcoach, pygls.lsp.server, lsprotocol.types
assert rapidfuzz.fuzz.ratio.__module__.endswith('_py'), rapidfuzz.fuzz.ratio.__module__
assert not yaml.__with_libyaml__
assert os.path.abspath(promptcoach.__file__).startswith(os.path.abspath('bundled/libs')), promptcoach.__file__
"
if [ -n "$target" ]; then  # the patterns of users' packs run on the bundled RE2
  "$PY" -I -B -c "
import os, sys; sys.path[:0] = ['bundled/libs', 'bundled/native/cp%d%d' % sys.version_info[:2]]
import re2
from promptcoach.engine.knowledge.user_regex import compile_user_pattern
assert os.path.abspath(re2.__file__).startswith(os.path.abspath('bundled/native')), re2.__file__
assert compile_user_pattern('(a+)+ table').search('Make an AAAA table') is not None
"
fi
"$PY" -I -B client/python/launch.py --version
"$PY" -I -B client/python/launch.py check --format json client/build/smoke.prompt.md >/dev/null || [ $? -eq 1 ]
find bundled/libs -name '__pycache__' -prune -exec rm -rf {} +

echo "vsix: packaging $out"
rm -f promptcoach-*.vsix
npx --no-install vsce package --no-dependencies ${target:+--target "$target"} --out "$out" >/dev/null
ls -l "$out" | awk '{printf "vsix: %s, %.1f MB\n", $NF, $5 / 1048576}'
