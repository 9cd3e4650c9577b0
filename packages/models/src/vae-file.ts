import * as tf from '@tensorflow/tfjs-core';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { z } from 'zod';
import { type AnyVae, createVaeModel } from './create-vae-model.js';
import { base64ByteLength, base64ToFloat32, firstNonFinite, float32ToBase64 } from './float32-bytes.js';
import { jsonNestsDeeperThan } from './json-depth.js';
import { MODEL_SIZE_LIMITS } from './size-limits.js';
import { isVaeKind } from './vae-kind.js';

/** The `format` field of every saved model. */
export const VAE_FILE_FORMAT = 'trientropy-vae';
/**
 * The version of the file format this build writes. Version 2 added `standardization`; this build also reads
 * version 1 (files written before it), whose data units are unknown (see {@link DeserializedVaeFile.version}).
 */
export const VAE_FILE_VERSION = 2;
/** Every version this build reads. */
export const READABLE_VAE_FILE_VERSIONS: readonly number[] = [1, 2];

/** One variable of a saved model. */
export interface VaeFileWeight {
  /** The model-local name, a key of `model.namedVariables()`, e.g. 'encoder/layer0/weight'. */
  name: string;
  shape: number[];
  dtype: 'float32';
  /** The values in row-major order as little-endian IEEE-754 float32, base64-encoded (exact round trip). */
  data: string;
}

/**
 * The affine map from the data's own units into the model's (version 2): the model was trained on
 * `(x_d − mean[d]) / std[d]` per column (a column with std 0 only centred), so its log-densities are in those
 * units, and `−Σ_{d: std_d > 0} log std_d` nats per point (the log-Jacobian) moves them into the data's own;
 * decoded values go back as `mean[d] + std[d] · v` (std 0 counting as 1).
 */
export interface VaeFileStandardization {
  /** D finite column means of the training rows. */
  mean: number[];
  /** D finite standard deviations ≥ 0 (one shared value repeated, or one per column). */
  std: number[];
}

/**
 * A saved model, version 2. JSON with exactly these fields:
 * - `format`: 'trientropy-vae'; `version`: 2 (1 for files of older builds, which have no `standardization`);
 * - `kind`: the variant ('vae-0' … 'bernoulli'), `config`: its full config (every default filled in), so
 *   `createVaeModel(kind, config)` rebuilds the architecture; values are numbers, strings, booleans or
 *   lists of numbers;
 * - `weights`: every variable (see {@link VaeFileWeight}), each name once, every value finite;
 * - `standardization` (optional, version 2 only): the units the model was trained in ({@link VaeFileStandardization});
 *   absent in a version-2 file: the data's own units;
 * - `checksum`: `{ algorithm: 'sha256', value }`, the SHA-256 (hex) of the UTF-8 canonical JSON (keys sorted
 *   at every level, no whitespace) of `{ format, version, kind, config, weights, standardization }` (an absent
 *   `standardization` is left out, so version 1 files keep their checksums).
 * Loading never evaluates anything from the file: it is parsed as JSON, checked against this schema, its
 * checksum and the size limits ({@link MODEL_SIZE_LIMITS}), and only then turned into tensors.
 */
export interface VaeFile {
  format: typeof VAE_FILE_FORMAT;
  version: number;
  kind: string;
  config: Record<string, unknown>;
  weights: VaeFileWeight[];
  standardization?: VaeFileStandardization;
  checksum: { algorithm: 'sha256'; value: string };
}

/** Why a model file could not be loaded. */
export type VaeFileProblem = 'not-json' | 'not-a-model-file' | 'unsupported-version' | 'checksum-mismatch' | 'invalid-content';

/** Thrown by {@link deserializeVae}; `problem` says what is wrong, the message says how to fix it. */
export class VaeFileError extends Error {
  constructor(
    readonly problem: VaeFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'VaeFileError';
  }
}

/** Deepest nesting of a valid file is 4 (file → weights → weight → shape); anything much deeper is hostile. */
const MAX_NESTING = 16;
/** More variables than any variant has with {@link MODEL_SIZE_LIMITS}.hiddenLayers layers per network. */
const MAX_WEIGHTS = 1024;

/** One value per data column (zod's numbers are finite). */
const columnValues = (value: z.ZodNumber) => z.array(value).min(1).max(MODEL_SIZE_LIMITS.dataDim);
const configValue = z.union([z.number(), z.string().max(200), z.boolean(), z.array(z.number()).max(MODEL_SIZE_LIMITS.hiddenLayers)]);
const fileSchema = z.strictObject({
  format: z.literal(VAE_FILE_FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  kind: z.string().max(100),
  config: z.record(z.string().max(100), configValue),
  weights: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(500),
        shape: z.array(z.number().int().min(1).max(MODEL_SIZE_LIMITS.dataDim)).max(4),
        dtype: z.literal('float32'),
        data: z.string(),
      }),
    )
    .max(MAX_WEIGHTS),
  standardization: z.strictObject({ mean: columnValues(z.number()), std: columnValues(z.number().min(0)) }).optional(),
  checksum: z.strictObject({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits') }),
});

/** The first problems zod found, as `path: message` (the path names the field of the file). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`)
    .join('; ');
}

/** JSON with object keys sorted at every level and no whitespace: the bytes the checksum covers. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The checksum a file's content must carry (see {@link VaeFile}): SHA-256 hex of its canonical JSON. */
export function vaeFileChecksum(file: Omit<VaeFile, 'checksum'>): string {
  const { format, version, kind, config, weights, standardization } = file;
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson({ format, version, kind, config, weights, standardization }))));
}

/** What {@link vaeToFile} and {@link serializeVae} save besides the model. */
export interface SaveVaeOptions {
  /**
   * The standardisation the model was trained with (e.g. `fitStandardizer` of `@trientropy/data`): D means and D
   * standard deviations ≥ 0, all finite. Saved so that a reader evaluates and samples in the data's own units.
   */
  standardization?: { mean: ArrayLike<number>; std: ArrayLike<number> };
}

/** The standardisation as plain lists, checked against the model: D finite values each, stds ≥ 0. */
function checkedStandardization(model: AnyVae, given: NonNullable<SaveVaeOptions['standardization']>): VaeFileStandardization {
  const lists = { mean: Array.from(given.mean), std: Array.from(given.std) };
  for (const [field, list] of Object.entries(lists)) {
    const where = `options.standardization.${field}`;
    if (list.length !== model.dataDim) throw new Error(`${where}: expected ${model.dataDim} values (the model's dataDim), got ${list.length}`);
    const bad = list.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v) || (field === 'std' && v < 0));
    if (bad >= 0) throw new Error(`${where}: expected finite numbers${field === 'std' ? ' ≥ 0' : ''}, got ${String(list[bad])} at index ${bad}`);
  }
  return lists;
}

/** The saved form of a model as an object (see {@link VaeFile}); reads every variable back once. */
export function vaeToFile(model: AnyVae, options: SaveVaeOptions = {}): VaeFile {
  if (model.isDisposed) throw new Error(`cannot save the ${model.kind} model: it was disposed`);
  const standardization = options.standardization === undefined ? undefined : checkedStandardization(model, options.standardization);
  const weights = Object.entries(model.namedVariables()).map(([name, variable]): VaeFileWeight => {
    const values = variable.dataSync() as Float32Array;
    const bad = firstNonFinite(values);
    if (bad >= 0) throw new Error(`cannot save the ${model.kind} model: weight ${name} holds ${values[bad]} at index ${bad}; a model file holds finite weights only`);
    return { name, shape: [...variable.shape], dtype: 'float32', data: float32ToBase64(values) };
  });
  const body = { format: VAE_FILE_FORMAT, version: VAE_FILE_VERSION, kind: model.kind, config: JSON.parse(JSON.stringify(model.config)) as Record<string, unknown>, weights, ...(standardization === undefined ? {} : { standardization }) } as const;
  return { ...body, checksum: { algorithm: 'sha256', value: vaeFileChecksum(body) } };
}

/**
 * Saves a model (variant, full config, every weight and, if given, the standardisation it was trained with) as
 * JSON text in the versioned format {@link VaeFile}. Works in Node and browsers; writing the text to disk is the
 * caller's business (atomically, e.g. `writeFileAtomic` of `@trientropy/trainers/node`). Throws for a model with
 * non-finite weights or a standardisation that does not fit it.
 *
 * @example
 * ```ts
 * writeFileSync('model.json', serializeVae(model, { standardization: fitStandardizer(train) }));
 * const { model: copy, standardization } = deserializeVaeFile(readFileSync('model.json', 'utf8'));
 * ```
 */
export function serializeVae(model: AnyVae, options: SaveVaeOptions = {}): string {
  return `${JSON.stringify(vaeToFile(model, options))}\n`;
}

function invalid(message: string): VaeFileError {
  return new VaeFileError('invalid-content', message);
}

/** The parsed, schema-checked and checksum-verified content of a model file (no tensors yet). */
function readVaeFile(text: unknown): VaeFile {
  if (typeof text !== 'string') throw new VaeFileError('not-json', `not a model file: expected the file's text (a string), got ${text === null ? 'null' : typeof text}`);
  if (jsonNestsDeeperThan(text, MAX_NESTING)) throw new VaeFileError('not-a-model-file', `not a model file: its JSON nests deeper than ${MAX_NESTING} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VaeFileError('not-json', `not a model file: the text is not JSON (${(error as Error).message})`);
  }
  const file = parsed as Partial<VaeFile> | null;
  if (file === null || typeof file !== 'object' || Array.isArray(file) || file.format !== VAE_FILE_FORMAT) {
    throw new VaeFileError('not-a-model-file', `not a model file: expected format "${VAE_FILE_FORMAT}", got ${file !== null && typeof file === 'object' && !Array.isArray(file) ? JSON.stringify(file.format) : Array.isArray(file) ? 'an array' : typeof file}`);
  }
  if (!READABLE_VAE_FILE_VERSIONS.includes(file.version as number)) {
    throw new VaeFileError('unsupported-version', `model file version ${JSON.stringify(file.version)} is not supported: this version of @trientropy/models reads versions ${READABLE_VAE_FILE_VERSIONS.join(' and ')}`);
  }
  if (typeof file.checksum !== 'object' || file.checksum === null || file.checksum.algorithm !== 'sha256' || typeof file.checksum.value !== 'string') {
    throw invalid('the model file has no sha256 checksum');
  }
  const checked = fileSchema.safeParse(parsed);
  if (!checked.success) throw invalid(`the model file does not follow format version ${String(file.version)}: ${describeIssues(checked.error)}`);
  if (file.version === 1 && file.standardization !== undefined) throw invalid('standardization: expected no such field in a version 1 model file (it was added in version 2), got one');
  // The parsed object itself is used from here on (zod's copy would turn an own "__proto__" key into a prototype).
  const actual = vaeFileChecksum(file as VaeFile);
  if (actual !== file.checksum.value) {
    throw new VaeFileError(
      'checksum-mismatch',
      `the model file is corrupt or was edited: its sha256 checksum is ${file.checksum.value}, its content (format, version, kind, config, weights${file.standardization === undefined ? '' : ', standardization'}) hashes to ${actual}`,
    );
  }
  return file as VaeFile;
}

/** A model file read back: the model, the file's version and the standardisation it was trained with. */
export interface DeserializedVaeFile {
  model: AnyVae;
  /**
   * The file's format version. Version 2 records the units: no `standardization` means the data's own.
   * Version 1 files predate that field, so whether their model was trained on standardised data is unknown
   * (the trientropy CLI looks in the run's metrics.json for them).
   */
  version: 1 | 2;
  standardization: VaeFileStandardization | undefined;
}

/**
 * Rebuilds a model and its standardisation from {@link serializeVae}'s text. Throws a {@link VaeFileError} for
 * anything else: text that is not JSON or nests too deeply, not a model file, an unknown format version, content
 * outside the schema of {@link VaeFile}, a wrong checksum (a corrupt or edited file, the standardisation
 * included), a config beyond the size limits, duplicate, missing or unexpected weights, wrong shapes,
 * non-finite values, or a standardisation of another length than the model's dataDim. Every check on the file
 * runs before the model is built; no tensor is left behind on failure.
 */
export function deserializeVaeFile(text: string): DeserializedVaeFile {
  const { kind, config, weights, version, standardization } = readVaeFile(text);
  if (!isVaeKind(kind)) throw invalid(`unknown model kind ${JSON.stringify(kind)}`);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const w of weights) (seen.has(w.name) ? duplicates : seen).add(w.name);
  if (duplicates.size > 0) throw invalid(`the model file lists weights more than once: [${[...duplicates].join(', ')}]`);
  let total = 0;
  for (const w of weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    total += size;
    if (total > MODEL_SIZE_LIMITS.parameters) throw invalid(`the weights hold more than ${MODEL_SIZE_LIMITS.parameters} values (the size limit of @trientropy/models)`);
    const bytes = base64ByteLength(w.data);
    if (bytes !== 4 * size) throw invalid(`weights ${w.name}: expected ${size} float32 values for shape [${w.shape.join(', ')}], got ${Number.isNaN(bytes) ? 'text that is not base64' : `${bytes / 4}`}`);
  }
  const saved = new Map<string, Float32Array>();
  for (const w of weights) {
    let values: Float32Array;
    try {
      values = base64ToFloat32(w.data, w.shape.reduce((a, b) => a * b, 1), `weights ${w.name}`);
    } catch (error) {
      throw invalid((error as Error).message);
    }
    const bad = firstNonFinite(values);
    if (bad >= 0) throw invalid(`weights ${w.name}: value ${values[bad]} at index ${bad}; a model file holds finite weights only`);
    saved.set(w.name, values);
  }
  let model: AnyVae;
  try {
    model = createVaeModel(kind, config as { dataDim: number; latentDim: number });
  } catch (error) {
    throw invalid(`the saved config does not build a ${kind} model: ${(error as Error).message}`);
  }
  try {
    for (const field of ['mean', 'std'] as const) {
      const length = standardization?.[field].length;
      if (length !== undefined && length !== model.dataDim) throw invalid(`standardization.${field}: expected ${model.dataDim} values (the model's dataDim), got ${length}`);
    }
    const variables = new Map(Object.entries(model.namedVariables()));
    const missing = [...variables.keys()].filter((name) => !saved.has(name));
    const extra = [...saved.keys()].filter((name) => !variables.has(name));
    if (missing.length > 0 || extra.length > 0) {
      throw invalid(`the weights do not fit a ${kind} model of this config: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`);
    }
    const shapes = new Map(weights.map((w) => [w.name, w.shape]));
    for (const [name, variable] of variables) {
      const shape = shapes.get(name)!;
      if (shape.join(',') !== variable.shape.join(',')) throw invalid(`weights ${name}: expected float32 of shape [${variable.shape.join(', ')}], got float32 of shape [${shape.join(',')}]`);
    }
    for (const [name, variable] of variables) tf.tidy(() => variable.assign(tf.tensor(saved.get(name)!, variable.shape, 'float32')));
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, version: version as 1 | 2, standardization };
}

/**
 * Rebuilds the model of {@link serializeVae}'s text, with the checks of {@link deserializeVaeFile}. The model
 * alone: a model trained on standardised data then works in those units; {@link deserializeVaeFile} also
 * returns the standardisation.
 */
export function deserializeVae(text: string): AnyVae {
  return deserializeVaeFile(text).model;
}
