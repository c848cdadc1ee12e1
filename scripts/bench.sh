#!/usr/bin/env bash
# The browser benchmark: generates the 10,000-contact data set as the app
# stores it, builds the release site if the sources are newer than dist/,
# prints the first-load size, then times the app against a plain-JavaScript
# baseline in headless Chromium and runs Lighthouse (bench/run.mjs).
# BENCH_REPS=n sets the repetitions (7); BENCH_LIGHTHOUSE=0 skips Lighthouse.
# Then the sync benchmark (bench/sync.mjs): the data set synced up to a
# local pouchdb-server, down to an empty second device, and one change
# carried live between them; BENCH_SYNC=0 skips it, BENCH_SYNC_ONLY=1 runs
# only it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
source scripts/env.sh

target="${CARGO_TARGET_DIR:-target}"
out="$target/bench"
mkdir -p "$out"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "data set (cargo run --release --example bench_data)"
cargo run --quiet --release --example bench_data -- "$out/seed.txt" 10000 4000 > "$out/facts.json"
cat "$out/facts.json"

if [ ! -f dist/index.html ] || [ -n "$(find src style public index.html Cargo.toml Cargo.lock Trunk.toml -newer dist/index.html -print -quit)" ]; then
  step "release build (trunk)"
  trunk build --release --offline
fi

step "bundle size"
node scripts/bundle-size.mjs dist

if [ "${BENCH_SYNC_ONLY:-0}" != 1 ]; then
  step "browser benchmark (headless Chromium)"
  node bench/run.mjs dist "$out/seed.txt" "$out/facts.json"
fi

if [ "${BENCH_SYNC:-1}" != 0 ]; then
  step "sync benchmark (headless Chromium, pouchdb-server)"
  node bench/sync.mjs dist "$out/seed.txt"
fi
