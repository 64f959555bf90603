#!/usr/bin/env bash
# Install the comparison peer @imgly/background-removal-node (pinned in
# package.json / package-lock.json beside this script) OUTSIDE the repo.
#
#   CUTOUT_IMGLY_DIR   install directory (default /tmp/cutout-bench-imgly-node)
#
# Idempotent: if the install dir already holds node_modules installed from
# exactly this package.json + package-lock.json, nothing is done.
# Install scripts are disabled (--ignore-scripts): onnxruntime-node ships its
# CPU binaries inside its npm tarball and sharp 0.33 gets libvips from the
# @img/sharp-* npm packages, so nothing is fetched from outside the registry.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(realpath -m "${CUTOUT_IMGLY_DIR:-/tmp/cutout-bench-imgly-node}")"

case "$dir/" in
  "$(cd "$here/../.." && pwd)"/*)
    echo "setup.sh: refusing to install inside the repo ($dir)" >&2; exit 2 ;;
esac

stamp_of() { cat "$1/package.json" "$1/package-lock.json" | sha256sum | cut -d' ' -f1; }
want="$(stamp_of "$here")"

if [[ -f "$dir/.cutout-stamp" && -d "$dir/node_modules/@imgly/background-removal-node" \
      && "$(cat "$dir/.cutout-stamp")" == "$want" ]]; then
  echo "setup.sh: peer already installed in $dir"
  exit 0
fi

mkdir -p "$dir"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
rm -f "$dir/.cutout-stamp"
echo "setup.sh: installing peer into $dir (npm ci --ignore-scripts)"
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
echo "$want" > "$dir/.cutout-stamp"
echo "setup.sh: done"
