import { CutoutError } from './errors';

export type Precision = 'fp16' | 'uint8' | 'fp32';

/** Where a model may run: the Java engine, or a browser backend. */
export type ModelBackend = 'native' | 'wasm' | 'webgpu';

/** What pixel values are divided by before the mean: 255, or the image's largest R, G or B value. */
export type InputScale = '255' | 'image-max';

/** How the raw output becomes probabilities: as it is, or stretched by its own min and max. */
export type OutputScaling = 'none' | 'min-max';

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
  /** The side of the square input (and output) this model takes: N of [1, 3, N, N]. */
  readonly inputSize: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  readonly inputScale: InputScale;
  readonly outputScaling: OutputScaling;
  /** Where it may run; the page offers only entries with `wasm` or `webgpu`. */
  readonly backends: readonly ModelBackend[];
  readonly licence: string;
}

export interface ModelCatalog {
  readonly models: readonly ModelEntry[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SAFE_FILE = /^[A-Za-z0-9._-]+$/;
const PRECISIONS: readonly Precision[] = ['fp16', 'uint8', 'fp32'];
const BACKENDS: readonly ModelBackend[] = ['native', 'wasm', 'webgpu'];
const INPUT_SCALES: readonly InputScale[] = ['255', 'image-max'];
const OUTPUT_SCALINGS: readonly OutputScaling[] = ['none', 'min-max'];

/** True when the lead has pinned a real digest and size (the catalog ships placeholders until then). */
export function isPinned(entry: ModelEntry): boolean {
  return SHA256_HEX.test(entry.sha256) && entry.bytes > 0;
}

export function findModel(catalog: ModelCatalog, id: string): ModelEntry | undefined {
  return catalog.models.find((m) => m.id === id);
}

/** Whether the entry may run on this browser backend. */
export function runsOn(model: ModelEntry, backend: 'wasm' | 'webgpu'): boolean {
  return model.backends.includes(backend);
}

/**
 * Validates the shared catalog JSON (core/src/main/resources/dev/cutout/core/catalog.json).
 * Unpinned digests are allowed here; using such a model fails later with 'model-not-pinned'.
 */
export function parseCatalog(json: unknown): ModelCatalog {
  const root = asRecord(json, 'catalog');
  const rawModels = root['models'];
  if (!Array.isArray(rawModels) || rawModels.length === 0) {
    throw invalid('models must be a non-empty array');
  }
  const models = rawModels.filter(runsInBrowsers).map((raw, i) => parseEntry(raw, `models[${i}]`));
  if (models.length === 0) throw invalid('no model runs in a browser');
  const ids = new Set(models.map((m) => m.id));
  if (ids.size !== models.length) throw invalid('model ids must be unique');
  return { models };
}

function parseEntry(raw: unknown, where: string): ModelEntry {
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
  // Each model brings its own square size; the mask comes back at that size.
  const inputSize = input.shape[2]!;
  const expectedInput = [1, 3, inputSize, inputSize];
  if (input.shape.join() !== expectedInput.join()) {
    throw invalid(`${where}.input.shape must be [1, 3, N, N]`);
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
    inputSize,
    mean: asTriple(o['mean'], `${where}.mean`),
    std,
    inputScale: oneOf(o['inputScale'] ?? '255', INPUT_SCALES, `${where}.inputScale`),
    outputScaling: oneOf(o['outputScaling'] ?? 'none', OUTPUT_SCALINGS, `${where}.outputScaling`),
    backends: parseBackends(o['backends'], `${where}.backends`),
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

/** Absent means every backend, as in Java's ModelSpec. */
function parseBackends(raw: unknown, where: string): readonly ModelBackend[] {
  if (raw === undefined) return BACKENDS;
  if (!Array.isArray(raw) || raw.length === 0) throw invalid(`${where} must be a non-empty array`);
  return raw.map((b, i) => oneOf(b, BACKENDS, `${where}[${i}]`));
}

function oneOf<T extends string>(raw: unknown, allowed: readonly T[], where: string): T {
  if (typeof raw !== 'string' || !allowed.includes(raw as T)) {
    throw invalid(`${where} must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
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

function invalid(message: string): CutoutError {
  return new CutoutError('catalog-invalid', `model catalog: ${message}`);
}
