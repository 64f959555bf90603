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

NM="$DIR/node_modules"
test -f "$NM/@imgly/background-removal-data/dist/resources.json" \
  || { echo "setup.sh: data package missing in $DIR" >&2; exit 1; }

# One page per imgly version (the same imgly/ sources, bundled with esbuild from $DIR, where the imports
# resolve): $DIR/site/imgly-<version>/. Each bundle gets the library of its version and the
# onnxruntime-web that version uses (1.7.0: its peer 1.21.0 at the top of node_modules; 1.4.5: its own
# ~1.17 dependency, nested under its package), and its publicPath: 1.4.5 the data package as it is
# (/imgly-data/), 1.7.0 an index of the same model chunks plus ORT 1.21's files (/imgly-data-1.7.0/,
# made by imgly/resources-1.7.mjs; targets.mjs serves the paths it names).
bundle() { # version, library dir, publicPath, [onnxruntime-web file if not the top-level package]
  local version="$1" lib="$2" data="$3" out="$DIR/site/imgly-$1"
  local ort=()
  [[ -n "${4:-}" ]] && ort=("--alias:onnxruntime-web=./$4")
  local stamp
  stamp="$(cat "$HERE/imgly/main.js" "$HERE/imgly/index.html" "$HERE/imgly/resources-1.7.mjs" "$DIR/.installed" | sha256sum | cut -c1-64)"
  if [[ -f "$out/.built" && "$(cat "$out/.built")" == "$stamp" ]]; then
    echo "setup.sh: imgly $version page already built in $out"
    return
  fi
  mkdir -p "$DIR/src" "$out"
  cp "$HERE/imgly/main.js" "$DIR/src/imgly-main.js"
  cp "$HERE/imgly/index.html" "$out/index.html"
  # --alias paths are resolved from the working directory, hence the cd.
  (cd "$DIR" && "$NM/.bin/esbuild" src/imgly-main.js --bundle --format=esm --platform=browser --target=es2022 \
    "--alias:@imgly/background-removal=./$lib" "${ort[@]}" \
    "--define:IMGLY_VERSION=\"$version\"" "--define:IMGLY_DATA=\"$data\"" \
    --outfile="$out/main.js" --log-level=error)
  echo "$stamp" > "$out/.built"
  echo "setup.sh: built $out/main.js"
}
bundle 1.7.0 node_modules/imgly-background-removal-1.7.0 /imgly-data-1.7.0/
# (the page's own `import 'onnxruntime-web'` would find the top-level 1.21.0; the alias sends it, and
# the library's, to the file 1.4.5's nested 1.17.3 exports for `import` (1.4.5 imports no subpath))
bundle 1.4.5 node_modules/@imgly/background-removal /imgly-data/ \
  node_modules/@imgly/background-removal/node_modules/onnxruntime-web/dist/esm/ort.min.js
ort_version="$(node -p 'require(process.argv[1]).version' "$NM/onnxruntime-web/package.json")"
[[ "$ort_version" == 1.21.0 ]] || { echo "setup.sh: onnxruntime-web $ort_version installed, 1.7.0's index expects 1.21.0" >&2; exit 1; }
node "$HERE/imgly/resources-1.7.mjs" "$NM/@imgly/background-removal-data/dist" "$NM/onnxruntime-web/dist" \
  "$DIR/site/imgly-data-1.7.0/resources.json" /imgly-data/ /ort-1.21.0/
