#!/usr/bin/env bash
# bench/browser/run.sh --target imgly|cutout [--model ...] [--url ...] [options] [images...]
# Runs setup.sh (idempotent), then the Playwright driver. See README.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/setup.sh" >&2
exec node "$HERE/run.mjs" "$@"
