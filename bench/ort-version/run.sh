#!/usr/bin/env bash
# ONNX Runtime 1.28.0 against 1.29.0 on ISNet: alternating processes (ABAB…), median run times,
# and the difference of their outputs on the same tensors.
# Usage: bench/ort-version/run.sh [MODEL_ID] [ROUNDS]   (default isnet-fp16, 3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
. "$root/scripts/java-home.sh"
model="${1:-isnet-fp16}"
rounds="${2:-3}"
models="${CUTOUT_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cutout/models}"
images=("$root"/testdata/composites/images/c00{0,3,5,8}.jpg)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for v in 1.28.0 1.29.0; do
  (cd "$root" && ./mvnw -q -B dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime:$v" >/dev/null)
done
repo="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime"
for r in $(seq "$rounds"); do
  for v in 1.28.0 1.29.0; do
    ORT_DISABLE_TELEMETRY=1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
      -cp "$repo/$v/onnxruntime-$v.jar" "$here/OrtVersionBench.java" \
      "$models/$model.onnx" 2 4 "$work/$v.bin" "${images[@]}" | sed "s/^/round $r: /"
  done
done
"$JAVA_HOME/bin/java" "$here/Compare.java" "$work/1.28.0.bin" "$work/1.29.0.bin"
