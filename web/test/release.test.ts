import { afterEach, describe, expect, it, vi } from 'vitest';
import { release } from '../src/worker/pixels/release';

const native = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'transfer');

/**
 * Node 20 has no ArrayBuffer.prototype.transfer (Chromium has, since 114): the tests put in one
 * that detaches the way the real one does, through structuredClone's transfer list, and count calls.
 */
function withTransfer() {
  const transfer = vi.fn(function (this: ArrayBuffer, length?: number) {
    if (native) return (native.value as (n?: number) => ArrayBuffer).call(this, length);
    structuredClone(this, { transfer: [this] });
    return new ArrayBuffer(length ?? 0);
  });
  Object.defineProperty(ArrayBuffer.prototype, 'transfer', {
    value: transfer,
    configurable: true,
    writable: true,
  });
  return transfer;
}

afterEach(() => {
  if (native) Object.defineProperty(ArrayBuffer.prototype, 'transfer', native);
  else delete (ArrayBuffer.prototype as { transfer?: unknown }).transfer;
});

describe('release (a buffer freed now, not at the next collection)', () => {
  it('detaches the buffer behind each array with transfer(0), so its memory is gone', () => {
    const transfer = withTransfer();
    const pixels = new Uint8ClampedArray(4096).fill(7);
    const mask = new Float32Array(1024).fill(0.5);
    release(pixels, mask);
    expect(transfer).toHaveBeenCalledTimes(2);
    expect(transfer).toHaveBeenCalledWith(0);
    expect(pixels.length).toBe(0);
    expect(pixels.buffer.byteLength).toBe(0);
    expect(mask.length).toBe(0);
  });

  it('takes views onto one buffer, a buffer already released and nothing at all', () => {
    const transfer = withTransfer();
    const whole = new Float32Array(64);
    const part = whole.subarray(8, 16);
    release(whole, part, undefined);
    release(whole);
    expect(transfer).toHaveBeenCalledTimes(1);
    expect(part.length).toBe(0);
  });

  it('leaves other arrays alone', () => {
    withTransfer();
    const kept = new Uint8Array([1, 2, 3]);
    release(new Uint8Array(3));
    expect([...kept]).toEqual([1, 2, 3]);
  });

  it('does nothing where the runtime has no transfer: the collector frees the array later', () => {
    delete (ArrayBuffer.prototype as { transfer?: unknown }).transfer;
    const pixels = new Uint8Array([4, 5, 6]);
    release(pixels);
    expect([...pixels]).toEqual([4, 5, 6]);
  });
});
