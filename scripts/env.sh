# Sourced by the scripts (and the Pages workflow) after setup: the tools on
# PATH, with the wasm-split step in front of wasm-bindgen (see
# scripts/wasm-split/wasm-bindgen for why).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/scripts/wasm-split:$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
