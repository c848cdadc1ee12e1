#!/usr/bin/env bash
# Runs every test layer, in order, and stops at the first failure:
# formatting, lints (native and wasm32), native tests, browser tests in
# headless Chromium, the release build with its size budget, the single-file
# build, and end-to-end tests against the release build served from a
# sub-path (offline, CSP and the single file included).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
source scripts/env.sh
export CHROMEDRIVER=/usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "lints, native (clippy -D warnings)"
cargo clippy --all-targets -- -D warnings

step "lints, wasm32 (clippy -D warnings)"
cargo clippy --target wasm32-unknown-unknown --lib --bins --test 'browser_*' -- -D warnings
# The release build loads screens on demand: lint that variant too.
cargo clippy --target wasm32-unknown-unknown --lib --bins --features split -- -D warnings

step "native tests (domain, formats, storage logic)"
cargo test

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown --test 'browser_*'

step "release build (trunk)"
trunk build --release --offline

step "bundle size"
node scripts/bundle-size.mjs dist

step "single-file build (scripts/single-file.sh)"
scripts/single-file.sh

step "end-to-end tests (Playwright, Chromium, release build under a sub-path)"
playwright test

printf '\n\033[1mAll test layers passed.\033[0m\n'
