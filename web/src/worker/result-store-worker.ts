import { Zip, ZipDeflate } from 'fflate';
import { serveBridge, type Endpoint, type Handlers } from '../shared/bridge';
import { CutoutError, throwIfCancelled } from '../shared/errors';
import {
  THUMBNAIL_SIDE,
  type KeepArgs,
  type Kept,
  type ResultStoreApi,
  type StoreOpened,
  type ZipEntry,
  type ZipProgress,
} from '../shared/store-api';
import { smallImage } from './image-codec';

/**
 * The result store: finished cutouts are written to the Origin Private File System with a
 * synchronous access handle (workers only), and the page keeps the File that reads them back from
 * disk plus a thumbnail. Each page has its own folder, held by a Web Lock for the worker's life;
 * a new page deletes every folder whose lock nobody holds, i.e. those of closed pages.
 */

const ROOT = 'cutout-results';
const lockName = (folder: string) => `cutout-results/${folder}`;

let folder: FileSystemDirectoryHandle | undefined;
let opened: Promise<StoreOpened> | undefined;

async function open(): Promise<StoreOpened> {
  let results: FileSystemDirectoryHandle;
  try {
    const root = await navigator.storage.getDirectory();
    results = await root.getDirectoryHandle(ROOT, { create: true });
    // The sync access handle is the part of OPFS the writes need; some browsers lack it.
    if (!('createSyncAccessHandle' in FileSystemFileHandle.prototype)) {
      return { where: 'memory', reason: 'this browser cannot write files here', cleared: 0 };
    }
  } catch (error) {
    return { where: 'memory', reason: `no private file storage (${String(error)})`, cleared: 0 };
  }
  const name = crypto.randomUUID();
  const locks = navigator.locks as LockManager | undefined;
  let cleared = 0;
  if (locks) {
    // The lock first, then the folder: another page cleaning up never sees the folder unlocked.
    await new Promise<void>((granted) => {
      void locks.request(lockName(name), () => {
        granted();
        return new Promise<never>(() => {});
      });
    });
    const held = new Set(((await locks.query()).held ?? []).map((lock) => lock.name));
    for (const old of await entryNames(results)) {
      if (held.has(lockName(old))) continue;
      await results.removeEntry(old, { recursive: true }).catch(() => undefined);
      cleared++;
    }
  }
  folder = await results.getDirectoryHandle(name, { create: true });
  return { where: 'disk', cleared };
}

async function entryNames(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const names: string[] = [];
  // the async iterator of directory handles is not in TypeScript's WebWorker lib yet
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
    names.push(name);
  }
  return names;
}

async function keep(signal: AbortSignal, args: KeepArgs): Promise<Kept> {
  const thumbnail = await makeThumbnail(args).catch(() => undefined);
  throwIfCancelled(signal);
  const dir = (await opened) && folder;
  if (!dir) return { png: args.png, where: 'memory', thumbnail };
  try {
    const handle = await dir.getFileHandle(args.key, { create: true });
    await writeStream(handle, args.png.stream());
    // a Blob over the file on disk: no bytes of it stay in memory
    const png = new Blob([await handle.getFile()], { type: 'image/png' });
    return { png, where: 'disk', thumbnail };
  } catch {
    // a full disk or a revoked permission: this result stays in memory, as it would without OPFS
    await dir.removeEntry(args.key).catch(() => undefined);
    return { png: args.png, where: 'memory', thumbnail };
  }
}

async function writeStream(
  handle: FileSystemFileHandle,
  stream: ReadableStream<Uint8Array>,
): Promise<number> {
  const access = await handle.createSyncAccessHandle();
  try {
    access.truncate(0);
    let at = 0;
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      at += access.write(value, { at });
    }
    access.flush();
    return at;
  } finally {
    access.close();
  }
}

async function makeThumbnail(args: KeepArgs): Promise<Blob> {
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(args.width, args.height));
  const bitmap = await createImageBitmap(args.png, {
    resizeWidth: Math.max(1, Math.round(args.width * scale)),
    resizeHeight: Math.max(1, Math.round(args.height * scale)),
    resizeQuality: 'medium',
  });
  try {
    return await smallImage(bitmap, THUMBNAIL_SIDE);
  } finally {
    bitmap.close();
  }
}

async function drop(key: string): Promise<void> {
  await folder?.removeEntry(key).catch(() => undefined);
}

/**
 * Streams the PNGs into a ZIP written to disk (to memory without OPFS), one chunk at a time, so
 * that neither the page nor this worker ever holds more than one result. Entries are deflated at
 * level 0 — stored blocks, no compression, as PNGs are already deflated — because fflate's
 * streaming ZIP writes sizes after the data, which readers (Java's ZipInputStream among them)
 * accept only for deflated entries.
 */
async function zip(
  signal: AbortSignal,
  entries: readonly ZipEntry[],
  progress: (p: ZipProgress) => void,
): Promise<Blob> {
  const dir = (await opened) && folder;
  const chunks: Uint8Array[] = [];
  let access: FileSystemSyncAccessHandle | undefined;
  let handle: FileSystemFileHandle | undefined;
  const name = `cutouts-${Date.now()}.zip`;
  if (dir) {
    try {
      handle = await dir.getFileHandle(name, { create: true });
      access = await handle.createSyncAccessHandle();
    } catch {
      handle = undefined;
    }
  }
  let at = 0;
  let failure: Error | undefined;
  const zipper = new Zip((error, data) => {
    if (error) failure = error;
    else if (access) at += access.write(data, { at });
    else chunks.push(data);
  });
  try {
    for (const [i, entry] of entries.entries()) {
      throwIfCancelled(signal);
      const file = new ZipDeflate(entry.name, { level: 0 });
      zipper.add(file);
      const reader = entry.png.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        file.push(value);
      }
      file.push(new Uint8Array(0), true);
      if (failure) throw failure;
      progress({ written: i + 1, total: entries.length });
    }
    zipper.end();
    if (failure) throw failure;
  } catch (error) {
    access?.close();
    if (handle) await dir?.removeEntry(name).catch(() => undefined);
    throw CutoutError.from(error, 'encode-failed');
  }
  if (access && handle) {
    access.flush();
    access.close();
    await dropOldZips(name);
    return new Blob([await handle.getFile()], { type: 'application/zip' });
  }
  return new Blob(chunks as BlobPart[], { type: 'application/zip' });
}

/** One ZIP on disk at a time: the newest; a download already started reads its own copy. */
async function dropOldZips(keepName: string): Promise<void> {
  if (!folder) return;
  for (const name of await entryNames(folder)) {
    if (name.endsWith('.zip') && name !== keepName) await drop(name);
  }
}

const handlers: Handlers<ResultStoreApi> = {
  open: () => (opened ??= open()),
  keep: (signal, args) => keep(signal, args),
  drop: (_signal, args) => drop(args.key),
  zip: (signal, args, context) => zip(signal, args.entries, context.progress),
};

serveBridge<ResultStoreApi>(self as unknown as Endpoint, handlers);
