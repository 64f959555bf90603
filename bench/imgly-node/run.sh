#!/usr/bin/env bash
# Set up (if needed) and run the @imgly/background-removal-node benchmark.
#   bench/imgly-node/run.sh [image ...]     (default: testdata/composites/images/*.jpg)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/setup.sh" >&2
exec node "$here/bench.mjs" "$@"
