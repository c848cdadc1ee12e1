#!/usr/bin/env bash
# Installs what is missing, builds Leadline and serves it on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."

LEADLINE_NO_BROWSER=1 scripts/setup.sh
source scripts/env.sh

PORT="${PORT:-8080}"
printf '\n\033[1mLeadline will be at http://127.0.0.1:%s/ once built (Ctrl+C stops it).\033[0m\n\n' "$PORT"
exec trunk serve --offline --port "$PORT" --address 127.0.0.1
