#!/usr/bin/env bash
# Installs everything Leadline needs to build and test, skipping what is already there.
# Safe to run again: with all tools present it only checks versions.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
# Must match the wasm_split_helpers/wasm_split_macros that leptos brings
# (0.2.3/0.2.2 in Cargo.lock); update them together.
WASM_SPLIT_VERSION=0.2.4

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

# Rust target for the browser build (rust-toolchain.toml names it too).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install "trunk@$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its own lockfile names a crate version the registry no longer serves.
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" --force
fi

if ! command -v wasm-split-cli >/dev/null \
  || ! grep -q "wasm_split_cli_support $WASM_SPLIT_VERSION " "$HOME/.cargo/.crates.toml" 2>/dev/null; then
  log "installing wasm-split-cli $WASM_SPLIT_VERSION (splits the wasm into lazily loaded screens)"
  cargo install "wasm_split_cli_support@$WASM_SPLIT_VERSION" --locked --features build-binary
fi

# The serve command needs no browser; it sets LEADLINE_NO_BROWSER=1.
if [ "${LEADLINE_NO_BROWSER:-}" != 1 ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Chromium and ChromeDriver"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

# The tests read the vCard export back with another project's vCard library.
if [ "${LEADLINE_NO_BROWSER:-}" != 1 ] && ! python3 -c "import vobject" 2>/dev/null; then
  log "installing vobject (a Python vCard reader the tests check the export with)"
  user=""
  [ "$(id -u)" -eq 0 ] || user="--user"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore $user "vobject==0.9.9"
fi

# Node packages: wasm-opt (binaryen), Playwright driving the system Chromium, axe-core.
# Reinstalled only when package-lock.json changes.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.leadline-lock 2>/dev/null)" != "$lock_hash" ]; then
  log "installing npm packages"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.leadline-lock
fi

log "tools ready"
