// What the machine is doing, from /proc: CPU time of the whole machine, of the browser's process
// tree and of this driver, so that each figure can say how busy everything else was; and the memory
// and threads of the browser's processes. Linux only.
import fs from 'node:fs';
import os from 'node:os';
import { round } from './stats.mjs';

const CLK_TCK = 100; // USER_HZ on Linux x86-64

function readCpuTotals() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0); // idle + iowait
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0); // user..steal (guest is inside user)
  return { idle, total, busy: total - idle };
}

function procStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3); ppid = field 4; utime = 14; stime = 15
    return { ppid: Number(rest[1]), cpu: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function processTree(rootPid) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(d);
    if (!st) continue;
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(Number(d));
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    for (const c of children.get(p) ?? []) stack.push(c);
  }
  return out;
}

function procType(pid) {
  try {
    // Chromium rewrites its command line (setproctitle), so arguments may be separated by spaces, not NULs.
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const t = cmd.find((a) => a.startsWith('--type='));
    if (!t) return 'browser';
    if (t === '--type=utility') {
      const sub = cmd.find((a) => a.startsWith('--utility-sub-type='));
      return 'utility:' + (sub ? sub.split('=')[1].split('.').pop() : '?');
    }
    return t.slice(7);
  } catch {
    return null;
  }
}

function procMem(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) ?? [0, 0])[1]);
    return { rssKiB: kb('VmRSS'), hwmKiB: kb('VmHWM'), threads: kb('Threads') };
  } catch {
    return null;
  }
}

function threadNames(pid) {
  const names = {};
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const n = fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
        names[n] = (names[n] ?? 0) + 1;
      } catch {}
    }
  } catch {}
  return names;
}

/**
 * Samples RSS of every process under the browser; keeps per-type, per-process and whole-tree peaks.
 * VmHWM is the kernel's own high-water mark of a process's RSS, exact whatever the sampling interval;
 * the sampled VmRSS peaks can miss a spike shorter than the interval.
 */
export class MemorySampler {
  constructor(rootPid, intervalMs = 200) {
    this.rootPid = rootPid;
    this.peak = { rendererRssMiB: 0, rendererHwmMiB: 0, treeRssMiB: 0 };
    this.byType = {};
    /** pid → { type, peakRssMiB, hwmMiB, cpu } (exited processes keep their last sample) */
    this.byPid = new Map();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }
  sample() {
    let tree = 0;
    for (const pid of processTree(this.rootPid)) {
      if (pid === process.pid) continue;
      const m = procMem(pid);
      const st = procStat(pid);
      if (!m) continue;
      const type = procType(pid) ?? '?';
      const p = this.byPid.get(pid) ?? { type, peakRssMiB: 0, hwmMiB: 0, cpu: 0 };
      p.peakRssMiB = Math.max(p.peakRssMiB, m.rssKiB / 1024);
      p.hwmMiB = Math.max(p.hwmMiB, m.hwmKiB / 1024);
      if (st) p.cpu = st.cpu;
      this.byPid.set(pid, p);
      tree += m.rssKiB;
      const bt = (this.byType[type] ??= { peakRssMiB: 0 });
      bt.peakRssMiB = Math.max(bt.peakRssMiB, m.rssKiB / 1024);
      if (type === 'renderer') {
        this.peak.rendererRssMiB = Math.max(this.peak.rendererRssMiB, m.rssKiB / 1024);
        this.peak.rendererHwmMiB = Math.max(this.peak.rendererHwmMiB, m.hwmKiB / 1024);
      }
    }
    this.peak.treeRssMiB = Math.max(this.peak.treeRssMiB, tree / 1024);
  }
  /** CPU jiffies used so far by the browser's processes (exited ones keep their last sample). */
  treeCpu() {
    this.sample();
    let s = 0;
    for (const v of this.byPid.values()) s += v.cpu;
    return s;
  }
  /** CPU jiffies used so far by each renderer process: pid → jiffies (a fresh sample). */
  rendererCpu() {
    this.sample();
    return new Map([...this.byPid].filter(([, v]) => v.type === 'renderer').map(([pid, v]) => [pid, v.cpu]));
  }
  /** Memory peaks of one process in MiB: { hwmMiB, peakRssMiB }, or null if it was never seen. */
  peakOf(pid) {
    const p = this.byPid.get(pid);
    return p ? { hwmMiB: p.hwmMiB, peakRssMiB: p.peakRssMiB } : null;
  }
  renderers() {
    return processTree(this.rootPid).filter((p) => procType(p) === 'renderer');
  }
  /** Every renderer seen, alive or not: pid, peaks (MiB) and CPU seconds; for checking the attribution. */
  allRenderers() {
    return [...this.byPid]
      .filter(([, v]) => v.type === 'renderer')
      .map(([pid, v]) => ({ pid, hwm_mib: round(v.hwmMiB), rss_sampled_mib: round(v.peakRssMiB), cpu_s: round(v.cpu / CLK_TCK, 1) }));
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
}

/**
 * Which renderer did the work between two rendererCpu() snapshots: the one that used the most CPU.
 * Each page (own browser context) has its own renderer, which holds its workers and so ONNX Runtime's
 * WASM heap; the page that just ran an image is by far the busiest. Returns { pid, share } (its part
 * of all renderers' CPU in that span) or null if no renderer used any.
 */
export function busiestRenderer(before, after) {
  let best = null, total = 0;
  for (const [pid, cpu] of after) {
    const d = cpu - (before.get(pid) ?? cpu);
    total += d;
    if (d > 0 && (best == null || d > best.d)) best = { pid, d };
  }
  return best ? { pid: best.pid, share: round(best.d / total, 3) } : null;
}

/**
 * The renderer of one page over its runs (records with `renderer` from busiestRenderer): the pid most
 * runs agree on, how many did, and its memory peaks from the sampler.
 */
export function pageRenderer(records, sampler) {
  const votes = new Map();
  for (const r of records) if (r.renderer) votes.set(r.renderer.pid, (votes.get(r.renderer.pid) ?? 0) + 1);
  const [pid, agree] = [...votes].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
  const peak = pid == null ? null : sampler.peakOf(pid);
  return {
    pid,
    runs_attributed: `${agree} of ${records.length}`,
    peak_hwm_mib: peak ? round(peak.hwmMiB) : null,
    peak_rss_sampled_mib: peak ? round(peak.peakRssMiB) : null,
  };
}

/** Threads in the renderers: web workers show up as "DedicatedWorker" threads. */
export function rendererThreadInfo(sampler) {
  return sampler.renderers().map((p) => {
    const names = threadNames(p);
    const workers = Object.entries(names).filter(([n]) => n.startsWith('DedicatedWorker')).reduce((s, [, c]) => s + c, 0);
    return { pid: p, ...procMem(p), workers, names };
  });
}

/** How busy the machine is over `ms`: percent of all cores, and cores' worth of work. */
export async function machineBusy(ms) {
  const a = readCpuTotals();
  await new Promise((r) => setTimeout(r, ms));
  const b = readCpuTotals();
  const cores = (b.total - a.total) / ((ms / 1000) * CLK_TCK);
  return { busyPct: round(((b.busy - a.busy) / (b.total - a.total)) * 100, 1), cores: round(cores, 2) };
}

/** CPU counters at one moment: the machine's, the browser tree's, this driver's. */
export function cpuMark(sampler) {
  return { cpu: readCpuTotals(), tree: sampler.treeCpu(), self: process.cpuUsage() };
}

/**
 * Load between two marks: whole machine busy %, cores used by the browser's processes, and cores
 * used by everything else (machine − browser − this driver). The load average is no use here: the
 * browser's own threads keep it above 2.
 */
export function loadBetween(a, b) {
  const elapsedJ = b.cpu.total - a.cpu.total;
  const busyJ = b.cpu.busy - a.cpu.busy;
  const treeJ = b.tree - a.tree;
  const selfJ = ((b.self.user - a.self.user + b.self.system - a.self.system) / 1e6) * CLK_TCK;
  const wall = elapsedJ / CLK_TCK / os.cpus().length;
  return {
    wallS: round(wall, 1),
    machineBusyPct: round((busyJ / elapsedJ) * 100, 1),
    browserCores: round(treeJ / CLK_TCK / wall, 2),
    otherCores: round(Math.max(0, busyJ - treeJ - selfJ) / CLK_TCK / wall, 2),
  };
}

/** The machine's 1, 5 and 15 minute load averages. */
export const loadAverage = () => fs.readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).map(Number);
