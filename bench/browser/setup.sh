#!/usr/bin/env bash
# Installs the in-browser benchmark's npm dependencies (outside the repo) and bundles the imgly page.
# Idempotent: skips `npm ci` when the install matches package.json + package-lock.json, and rebuilds
# the page only when its sources changed.
#   CUTOUT_BENCH_BROWSER_DIR  install dir (default /tmp/cutout-bench-browser; must be outside the repo)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${CUTOUT_BENCH_BROWSER_DIR:-/tmp/cutout-bench-browser}"
case "$(realpath -m "$DIR")/" in
  "$(realpath "$HERE/../..")"/*) echo "setup.sh: $DIR is inside the repo; choose a directory outside it" >&2; exit 2 ;;
esac
mkdir -p "$DIR"

stamp="$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-64)"
if [[ -f "$DIR/.installed" && "$(cat "$DIR/.installed")" == "$stamp" && -d "$DIR/node_modules" ]]; then
  echo "setup.sh: npm packages already installed in $DIR"
else
  cp "$HERE/package.json" "$HERE/package-lock.json" "$DIR/"
  # --ignore-scripts: nothing here needs an install script (esbuild's binary comes as @esbuild/linux-x64);
  # the data package is ~136 MB (model chunks + ORT 1.17 wasm), it all stays in $DIR.
  (cd "$DIR" && npm ci --ignore-scripts --no-audit --no-fund)
  echo "$stamp" > "$DIR/.installed"
fi

test -f "$DIR/node_modules/@imgly/background-removal-data/dist/resources.json" \
  || { echo "setup.sh: data package missing in $DIR" >&2; exit 1; }

# Bundle the imgly page (esbuild resolves the imports from $DIR/node_modules, so the source is copied there).
src_stamp="$(cat "$HERE/imgly/main.js" "$HERE/imgly/index.html" "$DIR/.installed" | sha256sum | cut -c1-64)"
if [[ -f "$DIR/site/imgly/.built" && "$(cat "$DIR/site/imgly/.built")" == "$src_stamp" ]]; then
  echo "setup.sh: imgly page already built in $DIR/site/imgly"
else
  mkdir -p "$DIR/src" "$DIR/site/imgly"
  cp "$HERE/imgly/main.js" "$DIR/src/imgly-main.js"
  cp "$HERE/imgly/index.html" "$DIR/site/imgly/index.html"
  "$DIR/node_modules/.bin/esbuild" "$DIR/src/imgly-main.js" --bundle --format=esm --platform=browser \
    --target=es2022 --outfile="$DIR/site/imgly/main.js" --log-level=error
  echo "$src_stamp" > "$DIR/site/imgly/.built"
  echo "setup.sh: built $DIR/site/imgly/main.js"
fi
