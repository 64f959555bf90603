import { describe, expect, it } from 'vitest';
import { cpuPlacement } from '../src/worker/ep-placement';

const V =
  '2025-01-01 00:00:00.000 [V:onnxruntime:, session_state.cc:1234 VerifyEachNodeIsAssignedToAnEp]';

describe('cpuPlacement (ORT’s verbose node placement log)', () => {
  it('counts compute nodes on the CPU and names their op types', () => {
    const cpu = cpuPlacement([
      `${V} Node placements`,
      `${V}  Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 300`,
      `${V}   Conv (conv_1)`,
      `${V}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 4`,
      `${V}   DynamicQuantizeLinear (q_1)`,
      `${V}   ConvInteger (ci_1)`,
      `${V}   ConvInteger (ci_2)`,
      `${V}   Shape (shape_1)`,
      'an unrelated line',
    ]);
    expect(cpu.nodes).toBe(4);
    expect(cpu.compute).toBe(3);
    expect([...cpu.computeOps]).toEqual([
      ['DynamicQuantizeLinear', 1],
      ['ConvInteger', 2],
    ]);
  });

  it('lets shape computations ORT keeps on the CPU on purpose pass', () => {
    const cpu = cpuPlacement([
      `${V}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2`,
      `${V}   Shape (s)`,
      `${V}   Gather (g)`,
    ]);
    expect(cpu).toMatchObject({ nodes: 2, compute: 0 });
  });

  it('finds nothing when every node is on the GPU', () => {
    const cpu = cpuPlacement([
      `${V}  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 9`,
    ]);
    expect(cpu).toMatchObject({ nodes: 0, compute: 0 });
  });

  it('counts CPU nodes the log did not list as compute', () => {
    const cpu = cpuPlacement([
      `${V}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 5`,
    ]);
    expect(cpu.compute).toBe(5);
    expect(cpu.computeOps.get('unlisted')).toBe(5);
  });
});
