#!/usr/bin/env bash
# Packs what the GPU machine lacks for webgpu_bench.py into pieces that fit one device call each:
# Debian's Chromium with every shared library it links (glibc aside), ONNX Runtime Web's files from
# web/node_modules, the Vulkan/GL loader packages (device README), and the installed fp32 and uint8
# models with the catalog. Output: .gpu/p1 ... .gpu/pN (ignored by git via .git/info/exclude), each
# a folder holding one slice of one tar stream. A call carries one folder; on-device.sh joins them.
#
#   [MODELS="isnet-fp32 isnet-uint8"] bench/gpu/pack.sh [PIECE_MIB]
#   (PIECE_MIB default 47: a call carries 64 MiB with the ~16 MiB tree)
set -euo pipefail
cd "$(dirname "$0")/../.."
piece_mib=${1:-47}
models=${CUTOUT_MODELS:-$HOME/.cache/cutout/models}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.gpu/' >> .git/info/exclude; }

mkdir -p "$work/b/chromium/locales" "$work/b/lib"
c=/usr/lib/chromium
cp "$c"/{chromium,chrome_crashpad_handler,icudtl.dat,v8_context_snapshot.bin,snapshot_blob.bin,resources.pak,chrome_100_percent.pak,libEGL.so,libGLESv2.so,libvulkan.so.1} "$work/b/chromium/"
cp "$c/locales/en-US.pak" "$work/b/chromium/locales/"
for f in "$c/chromium" "$c/libEGL.so" "$c/libGLESv2.so"; do ldd "$f"; done | awk '/=>/ {print $3}' | sort -u \
  | grep -v -E '/lib(c|m|dl|pthread|rt|resolv|util|anl)\.so' | xargs -I{} cp -L {} "$work/b/lib/"
(cd "$work/b" && tar -cf - chromium lib | xz -T0 -9 > "$work/chromium.tar.xz")

dist=web/node_modules/onnxruntime-web/dist
tar -C "$dist" -cf - ort.webgpu.min.mjs ort-wasm-simd-threaded.asyncify.mjs ort-wasm-simd-threaded.asyncify.wasm \
  ort.wasm.min.mjs ort-wasm-simd-threaded.mjs ort-wasm-simd-threaded.wasm | xz -T0 -6 > "$work/ort.tar.xz"
for m in ${MODELS:-isnet-fp32 isnet-uint8}; do xz -T0 -6 -c "$models/$m.onnx" > "$work/$m.onnx.xz"; done
cp "$models/catalog.json" "$work/"

mkdir -p "$work/gl" /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update -qq
(cd "$work/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)

rm -rf .gpu && mkdir .gpu
(cd "$work" && tar -cf - chromium.tar.xz ort.tar.xz ./*.onnx.xz catalog.json gl) \
  | split -b "${piece_mib}M" -d -a 1 - "$work/slice."
i=1
for s in "$work"/slice.*; do mkdir ".gpu/p$i" && mv "$s" ".gpu/p$i/"; i=$((i + 1)); done
du -sh .gpu/p*
