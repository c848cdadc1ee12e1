#!/usr/bin/env bash
# Writes dist-single/leadline.html: the whole app in one self-contained HTML
# file (stylesheet, JavaScript and WebAssembly inside) that runs when opened
# from disk. Built without the `split` feature, so nothing else is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

LEADLINE_NO_BROWSER=1 scripts/setup.sh >/dev/null
source scripts/env.sh
target=${CARGO_TARGET_DIR:-target}
out="$target/single-file"

cargo build --release --offline --target wasm32-unknown-unknown --bin leadline
# A classic script (no ES module): module scripts cannot import files from file://.
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" --out-name leadline \
  "$target/wasm32-unknown-unknown/release/leadline.wasm"
wasm-opt -Oz "$out/leadline_bg.wasm" -o "$out/leadline_opt.wasm" \
  2> >(grep -v 'unknown name subsection' >&2)
node scripts/single-file.mjs "$out/leadline.js" "$out/leadline_opt.wasm" dist-single/leadline.html
