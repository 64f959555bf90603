/** Minimal WebGPU shapes; the full @webgpu/types would be one more dependency for two calls. */
interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
}
interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<GpuAdapterLike | null>;
}

export interface WebGpuProbe {
  readonly webgpu: boolean;
  readonly shaderF16: boolean;
}

export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { webgpu: false, shaderF16: false };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { webgpu: false, shaderF16: false };
    return { webgpu: true, shaderF16: adapter.features.has('shader-f16') };
  } catch {
    // requestAdapter rejects on some blocklisted drivers: that simply means no WebGPU.
    return { webgpu: false, shaderF16: false };
  }
}
