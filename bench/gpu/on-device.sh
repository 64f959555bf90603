#!/usr/bin/env bash
# The GPU machine's side of bench/gpu (README.md there). Each call carries one .gpu/pK folder:
#   bench/gpu/on-device.sh keep          move the carried pieces out of the tree, to /tmp/cutout-gpu
#   bench/gpu/on-device.sh run CONFIG... join the pieces, unpack, check the models' SHA-256 against
#                                        the catalog, run webgpu_bench.py on the real GPU into $OUT
set -euo pipefail
cd "$(dirname "$0")/../.."
store=/tmp/cutout-gpu
mkdir -p "$store"
for p in .gpu/p*/slice.*; do [ -e "$p" ] && mv "$p" "$store/"; done
ls -la "$store"
[ "${1:-}" = run ] || exit 0
shift
x="$store/x"
if [ ! -e "$x/unpacked" ]; then
  rm -rf "$x" && mkdir -p "$x"
  cat "$store"/slice.* | tar -C "$x" -xf -
  tar -C "$x" -xJf "$x/chromium.tar.xz"
  mkdir -p "$x/ort" "$x/models" && tar -C "$x/ort" -xJf "$x/ort.tar.xz"
  cp "$x/catalog.json" "$x/models/"
  for f in "$x"/*.onnx.xz; do
    m=$(basename "$f" .onnx.xz)
    xz -dc "$f" > "$x/models/$m.onnx"
    want=$(python3 -c "import json,sys; print(next(e['sha256'] for e in json.load(open('$x/catalog.json'))['models'] if e['id']=='$m'))")
    echo "$want  $x/models/$m.onnx" | sha256sum -c -
  done
  for f in "$x"/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  touch "$x/unpacked"
fi
# the NVIDIA ICD names libGLX_nvidia.so.0 bare: the driver's folder must be on the search path
export LD_LIBRARY_PATH="$x/lib:/usr/local/nvidia/lib64"
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
nproc; (ldd "$x/chromium/chromium" | grep 'not found') || echo "all libraries found"
"$x/chromium/chromium" --version || true
python3 bench/gpu/webgpu_bench.py --chromium "$x/chromium/chromium" --ort "$x/ort" --models "$x/models" \
  --out "${BENCH_OUT:-${OUT:-/tmp/out}}" --gpu real "$@"
