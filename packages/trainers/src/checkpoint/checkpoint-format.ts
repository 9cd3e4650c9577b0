import type { RandomState } from '@trientropy/data';
import type { AdamState } from './adam-state.js';
import { crc32Hex } from './crc32.js';
import { base64ToFloat32, float32ToBase64 } from './float32-base64.js';
import type { TrainingCheckpoint } from './training-checkpoint.js';

/**
 * Text format of a checkpoint: a header line `trientropy-checkpoint <version> crc32=<8 hex>` and then the
 * JSON body, with float32 arrays as base64 of their little-endian bytes. The CRC covers the body exactly as
 * written, so truncation or corruption is detected before anything is parsed.
 */
export const CHECKPOINT_MAGIC = 'trientropy-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** Serialises a checkpoint to the text format above. */
export function serializeCheckpoint(checkpoint: TrainingCheckpoint): string {
  const body = JSON.stringify({
    ...checkpoint,
    variables: checkpoint.variables.map((v) => ({ name: v.name, shape: v.shape, values: float32ToBase64(v.values) })),
    optimizers: checkpoint.optimizers.map((o) => ({
      ...o,
      firstMoments: o.firstMoments.map(float32ToBase64),
      secondMoments: o.secondMoments.map(float32ToBase64),
    })),
  });
  return `${CHECKPOINT_MAGIC} ${CHECKPOINT_VERSION} crc32=${crc32Hex(body)}\n${body}`;
}

interface SerializedCheckpoint extends Omit<TrainingCheckpoint, 'variables' | 'optimizers'> {
  variables: { name: string; shape: number[]; values: string }[];
  optimizers: (Omit<AdamState, 'firstMoments' | 'secondMoments'> & { firstMoments: string[]; secondMoments: string[] })[];
}

/** Thrown for a checkpoint file that is corrupt, truncated, or of another format version. */
export class CheckpointFormatError extends Error {
  constructor(source: string, problem: string) {
    super(`checkpoint ${source}: ${problem}`);
    this.name = 'CheckpointFormatError';
  }
}

function isRandomState(value: unknown): value is RandomState {
  const state = value as RandomState | null;
  return typeof state === 'object' && state !== null && Array.isArray(state.words);
}

/** Parses and verifies text written by {@link serializeCheckpoint}; `source` names it in errors. */
export function parseCheckpoint(text: string, source = 'text'): TrainingCheckpoint {
  const newline = text.indexOf('\n');
  const header = newline < 0 ? text : text.slice(0, newline);
  const match = /^(\S+) (\d+) crc32=([0-9a-f]{8})$/.exec(header);
  if (!match || match[1] !== CHECKPOINT_MAGIC) throw new CheckpointFormatError(source, `expected a header line '${CHECKPOINT_MAGIC} <version> crc32=<hex>', got '${header.slice(0, 60)}'`);
  if (Number(match[2]) !== CHECKPOINT_VERSION) throw new CheckpointFormatError(source, `expected format version ${CHECKPOINT_VERSION}, got ${match[2]} (written by another trientropy version)`);
  const body = text.slice(newline + 1);
  const actual = crc32Hex(body);
  if (actual !== match[3]) throw new CheckpointFormatError(source, `checksum mismatch (header crc32=${match[3]}, content crc32=${actual}): the file is truncated or corrupt`);
  let raw: SerializedCheckpoint;
  try {
    raw = JSON.parse(body) as SerializedCheckpoint;
  } catch (error) {
    throw new CheckpointFormatError(source, `body is not JSON (${(error as Error).message})`);
  }
  if (raw.version !== CHECKPOINT_VERSION || !Array.isArray(raw.variables) || !Array.isArray(raw.optimizers) || !isRandomState(raw.random?.current) || !isRandomState(raw.random?.epochStart)) {
    throw new CheckpointFormatError(source, 'body lacks version, variables, optimizers or random states');
  }
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  return {
    ...raw,
    variables: raw.variables.map((v, i) => ({ name: v.name, shape: v.shape, values: base64ToFloat32(v.values, size(v.shape), `checkpoint ${source}: variables[${i}] (${v.name})`) })),
    optimizers: raw.optimizers.map((o, g) => ({
      ...o,
      firstMoments: o.firstMoments.map((m, i) => base64ToFloat32(m, undefined, `checkpoint ${source}: optimizers[${g}].firstMoments[${i}]`)),
      secondMoments: o.secondMoments.map((m, i) => base64ToFloat32(m, undefined, `checkpoint ${source}: optimizers[${g}].secondMoments[${i}]`)),
    })),
  };
}
