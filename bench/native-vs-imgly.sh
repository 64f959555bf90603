#!/usr/bin/env bash
# Back to back on the same images: Cutout's native pipeline (`cutout bench`, isnet-fp16, 2 threads)
# and @imgly/background-removal-node 1.4.5 with its defaults. Prints both JSON summaries and the
# ratio of their per-image medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
native=$(./cutout bench --model isnet-fp16 --threads 2 "$@" | tee /dev/stderr | tail -n 1)
peer=$(bench/imgly-node/run.sh "$@" | tee /dev/stderr | grep '^{"tool":"imgly-node"' | tail -n 1)
node -e '
  const n = JSON.parse(process.argv[1]), p = JSON.parse(process.argv[2]);
  const ours = n.median_sequential_ms;
  console.log(`cutout ${ours.toFixed(0)} ms/image (median, sequential), imgly-node ${p.median_ms.toFixed(0)} ms/image: ${(p.median_ms / ours).toFixed(2)}x faster`);
' "$native" "$peer"
