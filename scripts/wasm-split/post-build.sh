#!/usr/bin/env bash
# Trunk post_build hook: copy the lazy chunks + loader that the wasm-bindgen shim
# made into the staging dir, point the loader at trunk's hashed main JS, and
# wasm-opt the chunks in release builds (trunk only optimizes the main wasm).
set -euo pipefail
target=${CARGO_TARGET_DIR:-$TRUNK_SOURCE_DIR/target}
split="$target/wasm-bindgen/$TRUNK_PROFILE/wasm-split"
shopt -s nullglob
loaders=("$split"/__wasm_split-*.js)
[ ${#loaders[@]} -eq 1 ] || exit 0   # no split points in this build
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
