/**
 * Reads ONNX Runtime's node placement from its verbose session log. With logSeverityLevel 0, ORT
 * 1.30 (onnxruntime/core/framework/session_state.cc, VerifyEachNodeIsAssignedToAnEp) writes
 * " Node(s) placed on [CPUExecutionProvider]. Number of nodes: N" followed by one "  OpType (name)"
 * line per node, and at warning level "Some nodes were not assigned to the preferred execution
 * providers which may or may not have an negative impact on performance. e.g. ORT explicitly
 * assigns shape related ops to CPU to improve perf."
 */
export interface CpuPlacement {
  /** Nodes ORT placed on the CPU. */
  readonly nodes: number;
  /** Of those, nodes that compute on tensors (not the small shape computations ORT keeps on the CPU on purpose). */
  readonly compute: number;
  /** Op types of the compute nodes, with their counts, for the error message. */
  readonly computeOps: ReadonlyMap<string, number>;
}

const CPU_HEADER = /Node\(s\) placed on \[CPUExecutionProvider\]\. Number of nodes: (\d+)/;
const OTHER_HEADER = /placed on \[|Node placements/;
const NODE_LINE = /\]\s{2,}([A-Za-z][\w.]*) \(/;

/**
 * Ops ORT places on the CPU on purpose when they only compute shapes (GetCpuPreferredNodes): they
 * cost nothing. Anything else on the CPU is a kernel the GPU provider lacks.
 */
const SHAPE_OPS = new Set([
  'Shape',
  'Size',
  'Gather',
  'Unsqueeze',
  'Squeeze',
  'Concat',
  'Slice',
  'Cast',
  'Reshape',
  'ConstantOfShape',
  'Range',
  'Identity',
]);

export function cpuPlacement(lines: readonly string[]): CpuPlacement {
  let nodes = 0;
  const computeOps = new Map<string, number>();
  let listing = false;
  let listed = 0;
  for (const line of lines) {
    const header = CPU_HEADER.exec(line);
    if (header) {
      nodes += Number(header[1]);
      listing = true;
      continue;
    }
    if (OTHER_HEADER.test(line)) {
      listing = false;
      continue;
    }
    const node = listing ? NODE_LINE.exec(line) : null;
    if (node) {
      const op = node[1]!;
      listed++;
      if (!SHAPE_OPS.has(op)) computeOps.set(op, (computeOps.get(op) ?? 0) + 1);
    } else if (listing) {
      listing = false;
    }
  }
  // nodes the log counted but did not list cannot be shown to be shape computations
  if (listed < nodes) computeOps.set('unlisted', nodes - listed);
  let compute = 0;
  for (const n of computeOps.values()) compute += n;
  return { nodes, compute, computeOps };
}
