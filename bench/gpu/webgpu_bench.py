#!/usr/bin/env python3
"""ONNX Runtime Web in Chromium on a machine's own GPU: session time, run times, placement, output.

Written for the lent GPU machine (see bench/gpu/README.md), which has Python but no Node, JDK or
browser: Chromium and its libraries travel there as a bundle, and this script is the whole driver.
It needs nothing beyond the standard library, so it runs here too (with Debian's Chromium and a
SwiftShader adapter, for checking the script itself; those times say nothing about GPUs).

    python3 bench/gpu/webgpu_bench.py --chromium PATH --ort DIR --models DIR --out DIR
        [--gpu real|swiftshader|flags] [--image c001.jpg] [--runs 10] [--threads N] [--flag F]... CONFIG...

CONFIG = model:backend, e.g. isnet-fp32:webgpu isnet-fp32:wasm isnet-uint8:wasm. Each config gets
a fresh Chromium (fresh profile) that opens one page served by this script; its worker loads ONNX
Runtime Web (the web app's own files: ort.webgpu.min.mjs / ort.wasm.min.mjs from --ort), creates
a session with the web app's options (graphOptimizationLevel all, executionMode parallel, verbose
log on WebGPU, where ORT names the nodes it puts on the CPU), reads the adapter's info, runs the
model --runs times on one composite (resized to the model's input and normalised by the catalog's
mean and std; the first run includes shader compilation) and posts what it saw back here. The
script adds the renderer's and GPU process's peak resident memory (VmHWM) and, where nvidia-smi
exists, the GPU's peak utilisation and memory while the config ran. Each config's mask is written
as an 8-bit PNG; at the end the masks of one model on different backends are compared.
Output: one JSON line per config on stdout and results.json in --out.
"""

import argparse
import base64
import http.server
import json
import os
import pathlib
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

REPO = pathlib.Path(__file__).resolve().parents[2]
BROWSER = json.loads((REPO / "config/browser.json").read_text())

REAL_GPU_FLAGS = [
    # DESIGN.md section 5: the flags that gave a real adapter ("NVIDIA H200") under Vulkan, plus
    # --disable-gpu-compositing: without it the lent machine's GPU process (gVisor, no display)
    # died before WebGPU started ("Failed to create WebGPU Context Provider"), 2026-12-04.
    "--use-angle=vulkan",
    "--enable-features=Vulkan",
    "--disable-vulkan-surface",
    "--enable-unsafe-webgpu",
    "--ignore-gpu-blocklist",
    "--disable-gpu-compositing",
]

PAGE = b"""<!doctype html><meta charset="utf-8"><title>webgpu bench</title><script type="module">
new Worker('/worker.js' + location.search, { type: 'module' });
</script>"""

# The worker posts one JSON object to /result, error or not, so the driver never waits for nothing.
WORKER = r"""
const q = new URLSearchParams(location.search);
const lines = [];
for (const level of ['log', 'warn', 'error', 'info', 'debug']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    const line = args.map(String).join(' ');
    lines.push(line);
    if (!/\[[VI]:onnxruntime/.test(line)) original(...args);
  };
}
const out = { config: q.get('config'), model: q.get('model'), backend: q.get('backend') };
(async () => {
  try {
    const backend = q.get('backend');
    out.userAgent = navigator.userAgent;
    out.cores = navigator.hardwareConcurrency;
    out.crossOriginIsolated = self.crossOriginIsolated;
    if (backend === 'webgpu') {
      const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) throw new Error('navigator.gpu gave no adapter');
      const info = adapter.info ?? {};
      out.adapter = {
        vendor: info.vendor, architecture: info.architecture, device: info.device,
        description: info.description, features: [...adapter.features].sort(),
        maxBufferSize: adapter.limits.maxBufferSize,
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      };
    }
    const ort = await import(backend === 'webgpu' ? '/ort/ort.webgpu.min.mjs' : '/ort/ort.wasm.min.mjs');
    ort.env.wasm.proxy = false;
    ort.env.wasm.numThreads = Number(q.get('threads')) || navigator.hardwareConcurrency;
    ort.env.wasm.wasmPaths = location.origin + '/ort/';
    out.threads = ort.env.wasm.numThreads;
    const size = Number(q.get('size'));
    const mean = q.get('mean').split(',').map(Number), std = q.get('std').split(',').map(Number);
    const bytes = new Uint8Array(await (await fetch('/models/' + q.get('model') + '.onnx')).arrayBuffer());
    let t = performance.now();
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: [backend], graphOptimizationLevel: 'all', executionMode: 'parallel',
      logSeverityLevel: backend === 'webgpu' ? 0 : 2,
    });
    out.createMs = Math.round(performance.now() - t);
    out.placementLines = lines.filter((l) => /Node\(s\) placed on \[|not assigned to the preferred/.test(l));
    const cpuHeader = /Node\(s\) placed on \[CPUExecutionProvider\]\. Number of nodes: (\d+)/;
    out.cpuNodes = lines.reduce((n, l) => n + Number(cpuHeader.exec(l)?.[1] ?? 0), 0);
    const cpuOps = {};
    let listing = false;
    for (const l of lines) {
      if (cpuHeader.test(l)) { listing = true; continue; }
      if (/placed on \[|Node placements/.test(l)) { listing = false; continue; }
      const node = listing && /\]\s{2,}([A-Za-z][\w.]*) \(/.exec(l);
      if (node) cpuOps[node[1]] = (cpuOps[node[1]] ?? 0) + 1;
    }
    out.cpuOps = cpuOps;
    const bitmap = await createImageBitmap(await (await fetch('/images/' + q.get('image'))).blob());
    const canvas = new OffscreenCanvas(size, size);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0, size, size);
    const px = g.getImageData(0, 0, size, size).data;
    const n = size * size, input = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) input[c * n + i] = (px[4 * i + c] / 255 - mean[c]) / std[c];
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, size, size]) };
    out.runsMs = [];
    let mask;
    for (let k = 0; k < Number(q.get('runs')); k++) {
      t = performance.now();
      const result = await session.run(feeds, [session.outputNames[0]]);
      mask = await result[session.outputNames[0]].getData();
      out.runsMs.push(Math.round((performance.now() - t) * 10) / 10);
    }
    let lo = Infinity, hi = -Infinity, nan = 0;
    for (const v of mask) { if (Number.isNaN(v)) nan++; else { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    // Min-max scaling where the catalog asks for it (U2-Netp); ISNet's output is already 0..1.
    const scale = q.get('minmax') === '1' && hi > lo ? (v) => (v - lo) / (hi - lo) : (v) => v;
    const m8 = new Uint8Array(mask.length);
    for (let i = 0; i < mask.length; i++) m8[i] = Math.round(Math.min(1, Math.max(0, scale(mask[i]))) * 255);
    Object.assign(out, { outputMin: lo, outputMax: hi, outputNaN: nan, maskSide: Math.round(Math.sqrt(mask.length)) });
    let s = '';
    for (let i = 0; i < m8.length; i += 0x8000) s += String.fromCharCode(...m8.subarray(i, i + 0x8000));
    out.mask = btoa(s);
  } catch (error) {
    out.error = String(error?.stack ?? error);
    out.log = lines.slice(-40);
  }
  await fetch('/result', { method: 'POST', body: JSON.stringify(out) });
})();
"""

TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".onnx": "application/octet-stream", ".jpg": "image/jpeg", ".png": "image/png"}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, roots):
        self.roots = roots
        self.result = None
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body, kind):
        self.send_response(status)
        for name, value in BROWSER["crossOriginIsolation"].items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/":
            return self._send(200, PAGE, "text/html")
        if path == "/worker.js":
            return self._send(200, WORKER.encode(), "text/javascript")
        for prefix, root in self.server.roots.items():
            name = os.path.basename(path[len(prefix):]) if path.startswith(prefix) else None
            if name and (root / name).is_file():
                return self._send(200, (root / name).read_bytes(),
                                  TYPES.get(pathlib.Path(name).suffix, "application/octet-stream"))
        self._send(404, b"", "text/plain")

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.result = json.loads(body)
        self._send(204, b"", "text/plain")
        self.server.arrived.set()


class Sampler:
    """Peak resident memory of Chromium's renderer and GPU processes, and the GPU's own figures."""

    def __init__(self, browser_pid):
        self.browser_pid = browser_pid
        self.peaks = {"rendererHwmMiB": 0, "gpuProcessHwmMiB": 0, "gpuUtilPct": None, "gpuMemUsedMiB": None}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _descendants(self):
        children, pids = {}, []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    ppid = int(pathlib.Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(entry))
                except (OSError, IndexError, ValueError):
                    pass
        todo = [self.browser_pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(children.get(pid, []))
        return pids

    def _loop(self):
        smi = shutil.which("nvidia-smi")
        while not self.stopping.wait(0.2):
            for pid in self._descendants():
                try:
                    cmd = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                    status = pathlib.Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                key = ("rendererHwmMiB" if "--type=renderer" in cmd
                       else "gpuProcessHwmMiB" if "--type=gpu-process" in cmd else None)
                hwm = next((int(l.split()[1]) for l in status.splitlines() if l.startswith("VmHWM:")), 0)
                if key:
                    self.peaks[key] = max(self.peaks[key], round(hwm / 1024))
            if smi:
                try:
                    util, used = subprocess.run(
                        [smi, "--query-gpu=utilization.gpu,memory.used", "--format=csv,noheader,nounits"],
                        capture_output=True, text=True, timeout=5).stdout.split("\n")[0].split(",")
                    self.peaks["gpuUtilPct"] = max(self.peaks["gpuUtilPct"] or 0, int(util))
                    self.peaks["gpuMemUsedMiB"] = max(self.peaks["gpuMemUsedMiB"] or 0, int(used))
                except (OSError, ValueError, subprocess.TimeoutExpired):
                    pass

    def stop(self):
        self.stopping.set()
        self.thread.join()
        return self.peaks


def write_png(path, side, gray):
    """An 8-bit greyscale PNG, written with zlib alone (no imaging library on the GPU machine)."""
    rows = b"".join(b"\0" + gray[y * side:(y + 1) * side] for y in range(side))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def catalog_entry(models, model_id):
    catalog = json.loads((models / "catalog.json").read_text())
    entry = next(m for m in catalog["models"] if m["id"] == model_id)
    return {"size": entry["input"]["shape"][3], "mean": entry["mean"], "std": entry["std"],
            "minmax": entry.get("outputScaling") == "min-max"}


def run_config(args, server, config):
    model, backend = config.split(":")
    entry = catalog_entry(args.models, model)
    query = "&".join(f"{k}={v}" for k, v in {
        "config": config, "model": model, "backend": backend, "threads": args.threads or "",
        "size": entry["size"], "mean": ",".join(map(str, entry["mean"])), "std": ",".join(map(str, entry["std"])),
        "minmax": int(entry["minmax"]), "image": args.image, "runs": args.runs}.items())
    gpu_flags = {"real": REAL_GPU_FLAGS, "swiftshader": BROWSER["chromium"]["webgpuFlags"], "flags": []}[args.gpu]
    profile = tempfile.mkdtemp(prefix="webgpu-bench-")
    log = open(args.out / f"{config.replace(':', '-')}.chromium.log", "w")
    server.result, started = None, time.time()
    server.arrived.clear()
    browser = subprocess.Popen(
        [str(args.chromium), "--headless", f"--user-data-dir={profile}", *BROWSER["chromium"]["flags"],
         *gpu_flags, *args.flag, "--enable-logging=stderr", f"http://127.0.0.1:{server.server_address[1]}/?{query}"],
        stdout=log, stderr=subprocess.STDOUT)
    sampler = Sampler(browser.pid)
    arrived = server.arrived.wait(args.timeout)
    time.sleep(0.5)
    peaks = sampler.stop()
    browser.terminate()
    try:
        browser.wait(10)
    except subprocess.TimeoutExpired:
        browser.kill()
    log.close()
    shutil.rmtree(profile, ignore_errors=True)
    result = server.result if arrived else {"config": config, "error": f"no result in {args.timeout} s"}
    result.update(peaks, wallS=round(time.time() - started, 1))
    mask = result.pop("mask", None)
    if mask:
        gray = base64.b64decode(mask)
        write_png(args.out / f"{config.replace(':', '-')}.mask.png", result["maskSide"], gray)
        result["maskBytes"] = gray
    if result.get("runsMs"):
        later = result["runsMs"][1:] or result["runsMs"]
        result["firstRunMs"] = result["runsMs"][0]
        result["medianRunMs"] = statistics.median(later)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", type=pathlib.Path, default=pathlib.Path(BROWSER["chromium"]["executable"]))
    parser.add_argument("--ort", type=pathlib.Path, default=REPO / "web/node_modules/onnxruntime-web/dist")
    parser.add_argument("--models", type=pathlib.Path, default=pathlib.Path.home() / ".cache/cutout/models")
    parser.add_argument("--images", type=pathlib.Path, default=REPO / "testdata/composites/images")
    parser.add_argument("--image", default="c001.jpg")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--gpu", choices=["real", "swiftshader", "flags"], default="real",
                        help="which GPU flags: DESIGN.md's for a real GPU, SwiftShader's, or only the --flag ones")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=0, help="WASM threads (default: all cores)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--flag", action="append", default=[], help="one more Chromium flag (repeatable)")
    parser.add_argument("configs", nargs="+")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server = Server({"/ort/": args.ort, "/models/": args.models, "/images/": args.images})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = []
    for config in args.configs:
        result = run_config(args, server, config)
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if k not in ("maskBytes", "placementLines")}), flush=True)
    # Masks of one model on different backends, compared pixel by pixel (8-bit).
    comparisons = []
    for i, a in enumerate(results):
        for b in results[i + 1:]:
            if a.get("model") == b.get("model") and a.get("maskBytes") and b.get("maskBytes") \
                    and len(a["maskBytes"]) == len(b["maskBytes"]):
                diffs = [abs(x - y) for x, y in zip(a["maskBytes"], b["maskBytes"])]
                comparisons.append({"a": a["config"], "b": b["config"],
                                    "meanAbsDiff": sum(diffs) / len(diffs) / 255, "maxAbsDiff": max(diffs) / 255,
                                    "pixelsOver1Level": sum(d > 1 for d in diffs)})
    for c in comparisons:
        print(json.dumps(c), flush=True)
    for r in results:
        r.pop("maskBytes", None)
    (args.out / "results.json").write_text(json.dumps({"results": results, "comparisons": comparisons}, indent=1))
    server.shutdown()
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
