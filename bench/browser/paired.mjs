// Paired mode (--target cutout --versus imgly|cutout): both pages in one browser, each image on one then
// the other, so that the machine's drift falls on both; the figure to read is the ratio per pair.
import fs from 'node:fs';
import path from 'node:path';
import { cpuMark, loadBetween, pageRenderer, rendererThreadInfo } from './machine.mjs';
import { openPage, pageSideInfo, runOne } from './page.mjs';
import { geomean, mean, median, round } from './stats.mjs';

/** Time figures over a set of complete pairs: per tool, and of the per-pair ratios A/B. */
function pairFigures(pairs, a, b) {
  const am = pairs.map((p) => p.a.ms), bm = pairs.map((p) => p.b.ms), ratios = pairs.map((p) => p.ratio);
  return {
    pairs: pairs.length,
    [`${a}_median_ms`]: round(median(am), 1),
    [`${a}_mean_ms`]: round(mean(am), 1),
    [`${b}_median_ms`]: round(median(bm), 1),
    [`${b}_mean_ms`]: round(mean(bm), 1),
    median_ratio: round(median(ratios), 4),
    geomean_ratio: round(geomean(ratios), 4),
    min_ratio: ratios.length ? round(Math.min(...ratios), 4) : null,
    max_ratio: ratios.length ? round(Math.max(...ratios), 4) : null,
    [`${a}_faster`]: ratios.filter((r) => r < 1).length,
  };
}

/** Quality over one tool's runs in the complete pairs. */
function qualitySummary(recs) {
  const withQ = recs.filter((r) => r.iou != null);
  return {
    quality_runs: withQ.length,
    mean_iou: withQ.length ? round(mean(withQ.map((r) => r.iou)), 4) : null,
    mean_mae: withQ.length ? round(mean(withQ.map((r) => r.mae)), 4) : null,
  };
}

/**
 * --target cutout --versus imgly|cutout: page A (Cutout) and page B (imgly, or a baseline Cutout page
 * such as an older build) in two browser contexts of the one browser. Each image runs on both pages, one after the other, never at the same time; the order
 * alternates per image (A B, B A, A B, …, continued across rounds) so that slow drift of the machine's
 * speed hits both equally. The figure to read is the ratio A/B per pair.
 */
export async function mainPaired(opt, browser, env, machine, versusCfg) {
  const { sampler } = env;
  const { version, before, load } = machine;
  const tools = [
    { label: 'cutout', tool: 'cutout-browser', cfg: { target: 'cutout', url: opt.url, inputSelector: opt.inputSelector, errorSelector: opt.errorSelector, timeoutS: opt.timeoutS } },
    versusCfg.target === 'imgly'
      ? { label: 'imgly', tool: 'imgly-browser', cfg: versusCfg }
      : { label: 'baseline', tool: 'cutout-browser', cfg: versusCfg },
  ];
  const [A, B] = tools;
  for (const t of tools) {
    Object.assign(t, await openPage(browser, t.cfg));
    console.log(
      `# ${t.label} ${t.cfg.url} in Chromium ${version}; crossOriginIsolated=${t.pageInfo.crossOriginIsolated},` +
        ` hardwareConcurrency=${t.pageInfo.hardwareConcurrency}, visibility=${t.pageInfo.visibilityState}, page load ${t.loadMs} ms`,
    );
  }

  // Warm-up of each page (untimed in the summary; includes model download and session creation).
  let warmFailed = false;
  for (const t of tools) {
    t.warm = [];
    for (let i = 0; i < opt.warmup && !warmFailed; i++) {
      const r = await runOne(t.page, t.cfg, opt.warmupImage, env);
      t.warm.push(r);
      console.log(`warm-up ${t.label} ${r.image}: ${r.error ? 'ERROR ' + r.error : `${r.ms} ms${i === 0 ? ' (first run: model download + session + 1 image)' : ''}`}`);
      if (r.error) warmFailed = true;
    }
  }

  const start = cpuMark(sampler);
  const pairs = [];
  if (!warmFailed) {
    let k = 0;
    for (let rnd = 1; rnd <= opt.rounds; rnd++) {
      for (const image of opt.images) {
        const order = k++ % 2 === 0 ? [A, B] : [B, A];
        const recs = new Map();
        for (const t of order) recs.set(t, await runOne(t.page, t.cfg, image, env));
        const a = recs.get(A), b = recs.get(B);
        const p = { image: path.basename(image), round: rnd, first: order[0].label, a, b, ratio: null };
        if (!a.error && !b.error) p.ratio = a.ms / b.ms;
        pairs.push(p);
        const t = (r, l) => `${l} ${r.error ? 'ERROR ' + r.error : `${r.ms.toFixed(1)} ms`}`;
        console.log(
          `${p.image}${opt.rounds > 1 ? ` (round ${rnd})` : ''}: ${t(a, A.label)}, ${t(b, B.label)}, ` +
            `${p.ratio != null ? `ratio ${p.ratio.toFixed(3)}` : 'no ratio'} (${p.first} first)` +
            ` [other processes: ${a.otherCores}/${b.otherCores} cores]`,
        );
      }
    }
  }
  const end = cpuMark(sampler);

  const rendererThreads = rendererThreadInfo(sampler);
  if (process.env.CUTOUT_BENCH_DEBUG) console.log('# renderer threads', JSON.stringify(rendererThreads));
  for (const t of tools) t.side = await pageSideInfo(t.page, t.cfg.target);
  sampler.stop();
  await browser.close();

  const during = loadBetween(start, end);
  const complete = pairs.filter((p) => p.ratio != null);
  // Pairs in which other processes used at most 0.1 core during both runs.
  const clean = complete.filter((p) => p.a.otherCores <= 0.1 && p.b.otherCores <= 0.1);
  const toolSummary = (t, side) => {
    const recs = complete.map((p) => p[side]);
    // Each page has its own renderer process (own browser context); its peak is this page's memory.
    const renderer = pageRenderer([...t.warm, ...pairs.map((p) => p[side])], sampler);
    renderer.worker_threads = rendererThreads.find((r) => r.pid === renderer.pid)?.workers ?? null;
    const ms = recs.map((r) => r.ms);
    const cleanMs = clean.map((p) => p[side].ms);
    return {
      label: t.label,
      tool: t.tool,
      version: t.cfg.target === 'imgly' ? t.side.version : null,
      url: t.cfg.url,
      model: t.cfg.target === 'imgly' ? t.side.model : new URL(t.cfg.url).searchParams.get('model'),
      device: t.cfg.target === 'imgly' ? t.side.device : undefined,
      modelFromDefault: t.cfg.target === 'imgly' ? t.side.modelFromDefault : undefined,
      crossOriginIsolated: t.pageInfo.crossOriginIsolated,
      hardwareConcurrency: t.pageInfo.hardwareConcurrency,
      ort: t.side.ort ?? undefined,
      engine: t.side.engine ?? undefined,
      warmup_ms: t.warm.map((w) => w.ms ?? null),
      errors: pairs.filter((p) => p[side].error).length,
      median_ms: round(median(ms), 1),
      mean_ms: round(mean(ms), 1),
      min_ms: ms.length ? Math.min(...ms) : null,
      max_ms: ms.length ? Math.max(...ms) : null,
      clean_median_ms: round(median(cleanMs), 1),
      clean_mean_ms: round(mean(cleanMs), 1),
      ...qualitySummary(recs),
      peak_renderer_hwm_mib: renderer.peak_hwm_mib,
      peak_renderer_rss_sampled_mib: renderer.peak_rss_sampled_mib,
      renderer,
      console: t.consoleLines.slice(0, 20),
    };
  };
  const all = pairFigures(complete, 'a', 'b');
  const cleanFig = pairFigures(clean, 'a', 'b');
  const summary = {
    mode: 'paired',
    order: 'ABBA',
    ratio: `${A.label} ms / ${B.label} ms per pair (< 1: ${A.label} faster)`,
    a: toolSummary(A, 'a'),
    b: toolSummary(B, 'b'),
    chromium: version,
    rounds: opt.rounds,
    images_per_round: opt.images.length,
    pairs: complete.length,
    incomplete_pairs: pairs.length - complete.length,
    median_ratio: all.median_ratio,
    geomean_ratio: all.geomean_ratio,
    min_ratio: all.min_ratio,
    max_ratio: all.max_ratio,
    a_faster_pairs: all.a_faster,
    clean_pairs: cleanFig.pairs,
    clean_median_ratio: cleanFig.median_ratio,
    clean_geomean_ratio: cleanFig.geomean_ratio,
    clean_a_faster_pairs: cleanFig.a_faster,
    per_pair: pairs.map((p) => ({
      image: p.image,
      round: p.round,
      first: p.first,
      a_ms: p.a.ms ?? null,
      b_ms: p.b.ms ?? null,
      ratio: round(p.ratio, 4),
      a_other_cores: p.a.otherCores,
      b_other_cores: p.b.otherCores,
    })),
    // Memory per page: a.peak_renderer_hwm_mib, b.peak_renderer_hwm_mib; and the whole browser's peak.
    peak_browser_tree_rss_mib_both_pages: round(sampler.peak.treeRssMiB),
    // every renderer of the run (alive at the end or not), with DedicatedWorker threads of those alive
    renderers: sampler.allRenderers().map((r) => ({ ...r, worker_threads: rendererThreads.find((t) => t.pid === r.pid)?.workers ?? null })),
    machine_before: { ...before, loadavg: load },
    machine_during: during,
  };
  const sa = summary.a, sb = summary.b;
  if (sa.renderer.pid === sb.renderer.pid) {
    // Both pages' runs went to one process: the attribution failed, so no per-page figure is given
    // (summary.renderers lists every renderer for a look by hand).
    for (const x of [sa, sb]) x.peak_renderer_hwm_mib = x.peak_renderer_rss_sampled_mib = null;
    console.log(`# WARNING: the runs of both pages were attributed to renderer ${sa.renderer.pid}; no per-page memory figures`);
  }
  const fig = (f, n) =>
    `${A.label} median ${f.a_median_ms} ms, mean ${f.a_mean_ms} ms; ${B.label} median ${f.b_median_ms} ms, mean ${f.b_mean_ms} ms;` +
    ` ratio ${A.label}/${B.label}: median ${f.median_ratio}, geometric mean ${f.geomean_ratio}; ${A.label} faster in ${f.a_faster} of ${n} pairs`;
  console.log(
    `# paired ${A.label} (model=${sa.model}) vs ${B.label} (model=${sb.model}), ABBA order, ${opt.images.length} images × ${opt.rounds} round${opt.rounds > 1 ? 's' : ''}:` +
      ` ${complete.length} complete pairs (${pairs.length - complete.length} with an error): ${fig(all, complete.length)}`,
  );
  console.log(`# clean pairs (others ≤ 0.1 core during both runs): ${clean.length} of ${complete.length}${clean.length ? `: ${fig(cleanFig, clean.length)}` : ''}`);
  console.log(
    `# quality: ${A.label} IoU ${sa.mean_iou} MAE ${sa.mean_mae}; ${B.label} IoU ${sb.mean_iou} MAE ${sb.mean_mae};` +
      ` warm-up ${A.label} ${sa.warmup_ms.join(', ')} ms, ${B.label} ${sb.warmup_ms.join(', ')} ms;` +
      ` peak RSS of the whole browser (both pages, all processes) ${summary.peak_browser_tree_rss_mib_both_pages} MiB;` +
      ` machine busy ${during.machineBusyPct}% during (browser ${during.browserCores} cores, others ${during.otherCores} cores)`,
  );
  const mem = (x) =>
    `${x.label} ${x.peak_renderer_hwm_mib} MiB (renderer ${x.renderer.pid}, attributed by ${x.renderer.runs_attributed} runs,` +
    ` sampled RSS peak ${x.peak_renderer_rss_sampled_mib} MiB, ${x.renderer.worker_threads} worker threads)`;
  console.log(
`# peak renderer memory (VmHWM of each page's renderer process): ${mem(sa)}; ${mem(sb)}`);
  console.log(JSON.stringify(summary));
  if (opt.out) {
    const out = { summary, pairs, warmup: { [A.label]: A.warm, [B.label]: B.warm } };
    fs.writeFileSync(opt.out, JSON.stringify(out, null, 2) + '\n');
  }
  if (pairs.some((p) => p.a.error || p.b.error) || warmFailed) process.exitCode = 1;
}
