import * as tf from '@tensorflow/tfjs-core';
import { decodeBase64, encodeBase64 } from './base64.js';
import { type AnyVae, createVaeModel } from './create-vae-model.js';
import { sha256Hex } from './sha256.js';
import { isVaeKind } from './vae-kind.js';

/** The `format` field of every saved model. */
export const VAE_FILE_FORMAT = 'trientropy-vae';
/** The version of the file format this build writes and reads. */
export const VAE_FILE_VERSION = 1;

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
 * A saved model, version 1. JSON with these fields:
 * - `format`: 'trientropy-vae'; `version`: 1;
 * - `kind`: the variant ('vae-0' … 'bernoulli'), `config`: its full config (every default filled in), so
 *   `createVaeModel(kind, config)` rebuilds the architecture;
 * - `weights`: every variable (see {@link VaeFileWeight});
 * - `checksum`: `{ algorithm: 'sha256', value }`, the SHA-256 (hex) of the UTF-8 canonical JSON (keys sorted
 *   at every level, no whitespace) of `{ format, version, kind, config, weights }`.
 */
export interface VaeFile {
  format: typeof VAE_FILE_FORMAT;
  version: number;
  kind: string;
  config: Record<string, unknown>;
  weights: VaeFileWeight[];
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
  const { format, version, kind, config, weights } = file;
  return sha256Hex(new TextEncoder().encode(canonicalJson({ format, version, kind, config, weights })));
}

function float32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return encodeBase64(bytes);
}

function base64ToFloat32(text: string, name: string, expected: number): Float32Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(text);
  } catch (error) {
    throw new VaeFileError('invalid-content', `weights ${name}: ${(error as Error).message}`);
  }
  if (bytes.length !== 4 * expected) throw new VaeFileError('invalid-content', `weights ${name}: expected ${expected} float32 values, got ${bytes.length / 4}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: expected }, (_, i) => view.getFloat32(4 * i, true));
}

/** The saved form of a model as an object (see {@link VaeFile}); reads every variable back once. */
export function vaeToFile(model: AnyVae): VaeFile {
  const weights = Object.entries(model.namedVariables()).map(([name, variable]): VaeFileWeight => ({
    name,
    shape: [...variable.shape],
    dtype: 'float32',
    data: float32ToBase64(variable.dataSync() as Float32Array),
  }));
  const body = { format: VAE_FILE_FORMAT, version: VAE_FILE_VERSION, kind: model.kind, config: JSON.parse(JSON.stringify(model.config)) as Record<string, unknown>, weights } as const;
  return { ...body, checksum: { algorithm: 'sha256', value: vaeFileChecksum(body) } };
}

/**
 * Saves a model (variant, full config and every weight) as JSON text in the versioned format {@link VaeFile}.
 * Works in Node and browsers (no Buffer, no node:crypto); writing the text to disk is the caller's business.
 *
 * @example
 * ```ts
 * writeFileSync('model.json', serializeVae(model));
 * const copy = deserializeVae(readFileSync('model.json', 'utf8'));
 * ```
 */
export function serializeVae(model: AnyVae): string {
  return `${JSON.stringify(vaeToFile(model))}\n`;
}

/**
 * Rebuilds a model from {@link serializeVae}'s text. Throws a {@link VaeFileError} for text that is not
 * JSON, not a model file, of another format version, with a wrong checksum (a corrupt or edited file), or
 * whose weights do not fit the architecture of its config.
 */
export function deserializeVae(text: string): AnyVae {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VaeFileError('not-json', `not a model file: the text is not JSON (${(error as Error).message})`);
  }
  const file = parsed as Partial<VaeFile> | null;
  if (file === null || typeof file !== 'object' || file.format !== VAE_FILE_FORMAT) {
    throw new VaeFileError('not-a-model-file', `not a model file: expected format "${VAE_FILE_FORMAT}", got ${file !== null && typeof file === 'object' ? JSON.stringify(file.format) : typeof file}`);
  }
  if (file.version !== VAE_FILE_VERSION) {
    throw new VaeFileError('unsupported-version', `model file version ${JSON.stringify(file.version)} is not supported: this version of @trientropy/models reads version ${VAE_FILE_VERSION}`);
  }
  if (file.checksum?.algorithm !== 'sha256' || typeof file.checksum.value !== 'string') {
    throw new VaeFileError('invalid-content', 'the model file has no sha256 checksum');
  }
  const { kind, config, weights } = file;
  const actual = vaeFileChecksum({ format: VAE_FILE_FORMAT, version: VAE_FILE_VERSION, kind: kind as string, config: config as Record<string, unknown>, weights: weights as VaeFileWeight[] });
  if (actual !== file.checksum.value) {
    throw new VaeFileError('checksum-mismatch', `the model file is corrupt or was edited: its sha256 checksum is ${file.checksum.value}, its content hashes to ${actual}`);
  }
  if (!isVaeKind(kind)) throw new VaeFileError('invalid-content', `unknown model kind ${JSON.stringify(kind)}`);
  if (config === null || typeof config !== 'object' || !Array.isArray(weights)) throw new VaeFileError('invalid-content', 'the model file needs an object "config" and an array "weights"');
  let model: AnyVae;
  try {
    model = createVaeModel(kind, config as { dataDim: number; latentDim: number });
  } catch (error) {
    throw new VaeFileError('invalid-content', `the saved config does not build a ${kind} model: ${(error as Error).message}`);
  }
  try {
    const variables = model.namedVariables();
    const saved = new Map(weights.map((w) => [w.name, w]));
    const missing = Object.keys(variables).filter((name) => !saved.has(name));
    const extra = [...saved.keys()].filter((name) => !(name in variables));
    if (missing.length > 0 || extra.length > 0 || saved.size !== weights.length) {
      throw new VaeFileError('invalid-content', `the weights do not fit a ${kind} model of this config: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`);
    }
    for (const [name, variable] of Object.entries(variables)) {
      const weight = saved.get(name)!;
      if (weight.dtype !== 'float32' || !Array.isArray(weight.shape) || weight.shape.join(',') !== variable.shape.join(',')) {
        throw new VaeFileError('invalid-content', `weights ${name}: expected float32 of shape [${variable.shape.join(', ')}], got ${String(weight.dtype)} of shape ${JSON.stringify(weight.shape)}`);
      }
      const values = base64ToFloat32(weight.data, name, variable.size);
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
