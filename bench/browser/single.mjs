// One page, every image in turn: `--target imgly` or `--target cutout`.
import fs from 'node:fs';
import { cpuMark, loadBetween, pageRenderer, rendererThreadInfo } from './machine.mjs';
import { openPage, pageSideInfo, runOne } from './page.mjs';
import { mean, median, round } from './stats.mjs';

/** Warm-up, then each image once; prints a line per image and the summary, and writes --out. */
export async function mainSingle(opt, browser, env, machine, server, url) {
  const { sampler } = env;
  const { version, before, load } = machine;
  const cfg = { target: opt.target, url, inputSelector: opt.inputSelector, errorSelector: opt.errorSelector, timeoutS: opt.timeoutS };
  const { page, consoleLines, pageInfo, loadMs } = await openPage(browser, cfg);
  console.log(`# ${opt.target} ${url} in Chromium ${version}; crossOriginIsolated=${pageInfo.crossOriginIsolated}, hardwareConcurrency=${pageInfo.hardwareConcurrency}, page load ${loadMs} ms`);

  // Warm-up (untimed in the summary; includes model download and session creation).
  const warm = [];
  for (let i = 0; i < opt.warmup; i++) {
    const r = await runOne(page, cfg, opt.warmupImage, env);
    warm.push(r);
    console.log(`warm-up ${r.image}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms (first run: model download + session + 1 image)`}`);
    if (r.error) break;
  }

  const start = cpuMark(sampler);
  const runs = [];
  if (!warm.some((w) => w.error)) {
    for (const image of opt.images) {
      const r = await runOne(page, cfg, image, env);
      runs.push(r);
      const q = r.iou != null ? ` IoU ${r.iou.toFixed(4)} MAE ${r.mae.toFixed(4)}` : '';
      const extra = r.pageMs != null ? ` (page ${r.pageMs} ms)` : r.panel && Object.keys(r.panel).length ? ` panel ${JSON.stringify(r.panel)}` : '';
      console.log(`${r.image} ${r.size ?? ''}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms${extra}${q}`} [other processes: ${r.otherCores} cores]`);
    }
  }
  const end = cpuMark(sampler);

  const rendererThreads = rendererThreadInfo(sampler);
  if (process.env.CUTOUT_BENCH_DEBUG) console.log('# renderer threads', JSON.stringify(rendererThreads));
  const pageSide = await pageSideInfo(page, opt.target);
  sampler.stop();
  await browser.close();
  if (server) server.close();

  const ok = runs.filter((r) => !r.error);
  const renderer = pageRenderer([...warm, ...runs], sampler);
  const ms = ok.map((r) => r.ms);
  const during = loadBetween(start, end);
  const withQ = ok.filter((r) => r.iou != null);
  // Images during which other processes used at most 0.1 core: the numbers to trust on a shared machine.
  const clean = ok.filter((r) => r.otherCores <= 0.1).map((r) => r.ms);
  const summary = {
    tool: opt.target === 'imgly' ? 'imgly-browser' : 'cutout-browser',
    version: opt.target === 'imgly' ? pageSide.version : null,
    url,
    model: opt.target === 'imgly' ? pageSide.model : new URL(url).searchParams.get('model'),
    device: opt.target === 'imgly' ? pageSide.device : undefined,
    modelFromDefault: opt.target === 'imgly' ? pageSide.modelFromDefault : undefined,
    chromium: version,
    crossOriginIsolated: pageInfo.crossOriginIsolated,
    hardwareConcurrency: pageInfo.hardwareConcurrency,
    ort: pageSide.ort ?? undefined,
    engine: pageSide.engine ?? undefined,
    rendererWorkerThreads: rendererThreads.map((r) => r.workers),
    warmup_ms: warm.map((w) => w.ms ?? null),
    images: ok.length,
    errors: runs.filter((r) => r.error).length,
    median_ms: round(median(ms), 1),
    mean_ms: round(mean(ms), 1),
    min_ms: ms.length ? Math.min(...ms) : null,
    max_ms: ms.length ? Math.max(...ms) : null,
    per_image_ms: Object.fromEntries(ok.map((r) => [r.image, r.ms])),
    per_image_other_cores: Object.fromEntries(ok.map((r) => [r.image, r.otherCores])),
    clean_images: clean.length,
    clean_median_ms: round(median(clean), 1),
    clean_mean_ms: round(mean(clean), 1),
    mean_iou: withQ.length ? round(mean(withQ.map((r) => r.iou)), 4) : null,
    mean_mae: withQ.length ? round(mean(withQ.map((r) => r.mae)), 4) : null,
    per_image_iou: Object.fromEntries(withQ.map((r) => [r.image, round(r.iou, 4)])),
    peak_renderer_rss_mib: round(sampler.peak.rendererRssMiB),
    peak_renderer_hwm_mib: round(sampler.peak.rendererHwmMiB),
    // the page's own renderer (the largest of all renderers above is normally this one)
    page_renderer: { ...renderer, worker_threads: rendererThreads.find((r) => r.pid === renderer.pid)?.workers ?? null },
    peak_browser_tree_rss_mib: round(sampler.peak.treeRssMiB),
    peak_rss_by_process_type_mib: Object.fromEntries(Object.entries(sampler.byType).map(([k, v]) => [k, round(v.peakRssMiB)])),
    machine_before: { ...before, loadavg: load },
    machine_during: during,
    console: consoleLines.slice(0, 20),
  };
  console.log(
    `# ${summary.tool} model=${summary.model}: median ${summary.median_ms} ms, mean ${summary.mean_ms} ms over ${ok.length} images` +
      ` (warm-up ${summary.warmup_ms.join(', ')} ms); on a quiet machine (others ≤ 0.1 core): median ${summary.clean_median_ms} ms,` +
      ` mean ${summary.clean_mean_ms} ms over ${clean.length} images; IoU ${summary.mean_iou} MAE ${summary.mean_mae};` +
      ` peak renderer ${summary.peak_renderer_hwm_mib} MiB (VmHWM); machine busy ${during.machineBusyPct}% during` +
      ` (browser ${during.browserCores} cores, others ${during.otherCores} cores)`,
  );
  const line = JSON.stringify(summary);
  console.log(line);
  if (opt.out) fs.writeFileSync(opt.out, JSON.stringify({ summary, runs, warmup: warm }, null, 2) + '\n');
  if (runs.some((r) => r.error) || warm.some((w) => w.error)) process.exitCode = 1;
}
