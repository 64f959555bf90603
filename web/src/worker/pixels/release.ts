/**
 * Frees the memory behind typed arrays now rather than at some later garbage collection: the
 * worker's full-size buffers (4 MP: 16 MiB each) otherwise wait for the collector while the next
 * step allocates its own, and the renderer's peak is their sum. `ArrayBuffer.prototype.transfer(0)`
 * detaches the buffer and drops its backing store; the arrays read as empty afterwards, so this is
 * only for buffers nothing reads again. Where `transfer` is missing, the collector frees them as
 * before. Views onto one buffer, or a buffer already released, are fine.
 */
export function release(...arrays: readonly (ArrayBufferView | undefined)[]): void {
  for (const array of arrays) {
    const buffer = array?.buffer;
    // a released buffer has no bytes left (and transfer would throw on it)
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffer.transfer?.(0);
  }
}
