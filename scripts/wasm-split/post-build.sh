#!/usr/bin/env bash
# Trunk post_build hook: copy the lazy chunks + loader that the wasm-bindgen shim
# made into the staging dir, point the loader at trunk's hashed main JS, and
# wasm-opt the chunks in release builds (trunk only optimizes the main wasm).
# Then scripts/finish-build.mjs adds the service worker and the CSP.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
finish() { node "$here/../finish-build.mjs" "$TRUNK_STAGING_DIR" "$TRUNK_PROFILE"; }
target=${CARGO_TARGET_DIR:-$TRUNK_SOURCE_DIR/target}
split="$target/wasm-bindgen/$TRUNK_PROFILE/wasm-split"
shopt -s nullglob
loaders=("$split"/__wasm_split-*.js)
if [ ${#loaders[@]} -ne 1 ]; then finish; exit 0; fi   # no split points in this build
loader=$(basename "${loaders[0]}")
main_js=$(grep -l "\"./$loader\"" "$TRUNK_STAGING_DIR"/*.js)
sed "s|__WASM_SPLIT_MAIN_JS__|$(basename "$main_js")|" "${loaders[0]}" > "$TRUNK_STAGING_DIR/$loader"
if [ "$TRUNK_PROFILE" = release ]; then
  # A few at a time: each wasm-opt takes about 200 MB, and a build has dozens
  # of chunks. wasm-opt warns about a names subsection it does not know;
  # nothing is wrong.
  printf '%s\n' "$split"/*.wasm | xargs -P "${WASM_OPT_JOBS:-2}" -I{} bash -c \
    'wasm-opt -Oz "$1" -o "$2/$(basename "$1")" 2> >(grep -v "unknown name subsection" >&2)' _ {} "$TRUNK_STAGING_DIR"
else
  for f in "$split"/*.wasm; do cp "$f" "$TRUNK_STAGING_DIR/$(basename "$f")"; done
fi
# Last: the service worker lists every file, chunks included.
finish
