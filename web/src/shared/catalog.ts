import { CutoutError } from './errors';

export type Precision = 'fp16' | 'uint8' | 'fp32';

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface ModelEntry {
  readonly id: string;
  readonly label: string;
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly precision: Precision;
  readonly input: TensorSpec;
  readonly output: TensorSpec;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  readonly licence: string;
}

export interface ModelCatalog {
  readonly inputSize: number;
  readonly models: readonly ModelEntry[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SAFE_FILE = /^[A-Za-z0-9._-]+$/;
const PRECISIONS: readonly Precision[] = ['fp16', 'uint8', 'fp32'];

/** True when the lead has pinned a real digest and size (the catalog ships placeholders until then). */
export function isPinned(entry: ModelEntry): boolean {
  return SHA256_HEX.test(entry.sha256) && entry.bytes > 0;
}

export function findModel(catalog: ModelCatalog, id: string): ModelEntry | undefined {
  return catalog.models.find((m) => m.id === id);
}

/**
 * Validates the shared catalog JSON (core/src/main/resources/dev/cutout/core/catalog.json).
 * Unpinned digests are allowed here; using such a model fails later with 'model-not-pinned'.
 */
export function parseCatalog(json: unknown): ModelCatalog {
  const root = asRecord(json, 'catalog');
  const inputSize = asPositiveInt(root['inputSize'], 'inputSize');
  const rawModels = root['models'];
  if (!Array.isArray(rawModels) || rawModels.length === 0) {
    throw invalid('models must be a non-empty array');
  }
  const models = rawModels
    .filter(runsInBrowsers)
    .map((raw, i) => parseEntry(raw, `models[${i}]`, inputSize));
  if (models.length === 0) throw invalid('no model runs in a browser');
  const ids = new Set(models.map((m) => m.id));
  if (ids.size !== models.length) throw invalid('model ids must be unique');
  return { inputSize, models };
}

function parseEntry(raw: unknown, where: string, inputSize: number): ModelEntry {
  const o = asRecord(raw, where);
  const file = asString(o['file'], `${where}.file`);
  if (!SAFE_FILE.test(file)) throw invalid(`${where}.file must be a plain file name`);
  const sha256 = asString(o['sha256'], `${where}.sha256`).toLowerCase();
  const bytes = o['bytes'];
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) {
    throw invalid(`${where}.bytes must be a non-negative integer`);
  }
  const precision = asString(o['precision'], `${where}.precision`);
  if (!PRECISIONS.includes(precision as Precision)) {
    throw invalid(`${where}.precision must be one of ${PRECISIONS.join(', ')}`);
  }
  const input = parseTensor(o['input'], `${where}.input`);
  const output = parseTensor(o['output'], `${where}.output`);
  const expectedInput = [1, 3, inputSize, inputSize];
  if (input.shape.join() !== expectedInput.join()) {
    throw invalid(`${where}.input.shape must be [${expectedInput.join(', ')}]`);
  }
  const expectedOutput = [1, 1, inputSize, inputSize];
  if (output.shape.join() !== expectedOutput.join()) {
    throw invalid(`${where}.output.shape must be [${expectedOutput.join(', ')}]`);
  }
  const std = asTriple(o['std'], `${where}.std`);
  if (std.some((s) => s <= 0)) throw invalid(`${where}.std must be positive`);
  return {
    id: asString(o['id'], `${where}.id`),
    label: asString(o['label'], `${where}.label`),
    file,
    sha256,
    bytes,
    precision: precision as Precision,
    input,
    output,
    mean: asTriple(o['mean'], `${where}.mean`),
    std,
    licence: asString(o['licence'], `${where}.licence`),
  };
}

/**
 * Entries name the backends that may run them; one without `wasm` or `webgpu` (a model whose
 * contract only the native pipeline implements so far) is not the page's to offer.
 */
function runsInBrowsers(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || !('backends' in raw)) return true;
  const backends = (raw as { backends: unknown }).backends;
  return !Array.isArray(backends) || backends.some((b) => b === 'wasm' || b === 'webgpu');
}

function parseTensor(raw: unknown, where: string): TensorSpec {
  const o = asRecord(raw, where);
  const shape = o['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw invalid(`${where}.shape must be positive integers`);
  }
  return { name: asString(o['name'], `${where}.name`), shape: shape as number[] };
}

function asTriple(raw: unknown, where: string): readonly [number, number, number] {
  if (
    !Array.isArray(raw) ||
    raw.length !== 3 ||
    !raw.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw invalid(`${where} must be three numbers`);
  }
  return [raw[0], raw[1], raw[2]] as const;
}

function asRecord(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid(`${where} must be an object`);
  }
  return raw as Record<string, unknown>;
}

function asString(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw invalid(`${where} must be a string`);
  return raw;
}

function asPositiveInt(raw: unknown, where: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw <= 0) {
    throw invalid(`${where} must be a positive integer`);
  }
  return raw;
}

function invalid(message: string): CutoutError {
  return new CutoutError('catalog-invalid', `model catalog: ${message}`);
}
