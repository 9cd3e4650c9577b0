import { base64ByteLength, base64ToFloat32, firstNonFinite, float32ToBase64, jsonNestsDeeperThan } from '@trientropy/models';
import { z } from 'zod';
import type { AdamState } from './adam-state.js';
import { crc32Hex } from './crc32.js';
import type { TrainingCheckpoint } from './training-checkpoint.js';

/**
 * Text format of a checkpoint: a header line `trientropy-checkpoint <version> crc32=<8 hex>` and then the
 * JSON body, with float32 arrays as base64 of their little-endian bytes. The CRC covers the body exactly as
 * written, so truncation or corruption is detected before anything is parsed; then the body is checked
 * against a schema and for consistency (see {@link parseCheckpoint}).
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

/** Thrown for a checkpoint file that is corrupt, truncated, of another format version, or inconsistent. */
export class CheckpointFormatError extends Error {
  constructor(source: string, problem: string) {
    super(`checkpoint ${source}: ${problem}`);
    this.name = 'CheckpointFormatError';
  }
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const randomState = z.strictObject({ words: z.array(z.number().int().min(0).max(2 ** 32 - 1)).length(4), spareNormal: finite.nullable() });
/** Bounds that no model within `MODEL_SIZE_LIMITS` of @trientropy/models exceeds. */
const MAX_VARIABLES = 1024;
const MAX_GROUPS = 256;
/**
 * Deepest nesting of a body: the format itself needs 5 levels (body → metadata → settings → csv → columns).
 * A deeper body (a re-signed hostile file) parses, but the next `JSON.stringify` of its metadata, when the
 * resumed run writes a checkpoint, would overflow the stack; it is refused before parsing.
 */
const MAX_NESTING = 32;

const bodySchema = z.strictObject({
  version: z.literal(CHECKPOINT_VERSION),
  createdAt: z.string().max(100),
  modelKind: z.string().max(100),
  modelConfig: z.record(z.string(), z.unknown()).optional(),
  variables: z.array(z.strictObject({ name: z.string().max(500), shape: z.array(positive).max(4), values: z.string() })).max(MAX_VARIABLES),
  optimizers: z
    .array(
      z.strictObject({
        iterations: count,
        accBeta1: z.number().gt(0).max(1),
        accBeta2: z.number().gt(0).max(1),
        firstMoments: z.array(z.string()).max(MAX_VARIABLES),
        secondMoments: z.array(z.string()).max(MAX_VARIABLES),
      }),
    )
    .min(1)
    .max(MAX_GROUPS),
  random: z.strictObject({ current: randomState, epochStart: randomState }),
  progress: z.strictObject({ epoch: positive, batchesDone: count, batchesPerEpoch: positive, step: count, lossSum: finite }),
  run: z.strictObject({ rows: positive, batchSize: positive, epochs: positive, samples: positive, seed: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) }),
  records: z.array(z.looseObject({ epoch: positive, elbo: z.number(), entropySum: z.number() })),
  metadata: z.record(z.string(), z.unknown()),
});

type SerializedCheckpoint = z.infer<typeof bodySchema>;

/** Contradictions inside a schema-valid body: progress against the run, records against the progress, Adam against the step. */
function inconsistencies(body: SerializedCheckpoint): string[] {
  const { progress, run, records } = body;
  const problems: string[] = [];
  const batchesPerEpoch = Math.ceil(run.rows / run.batchSize);
  if (progress.batchesPerEpoch !== batchesPerEpoch) problems.push(`progress.batchesPerEpoch is ${progress.batchesPerEpoch}, but ${run.rows} rows in batches of ${run.batchSize} make ${batchesPerEpoch}`);
  if (progress.batchesDone > progress.batchesPerEpoch) problems.push(`progress.batchesDone ${progress.batchesDone} exceeds batchesPerEpoch ${progress.batchesPerEpoch}`);
  if (progress.epoch > run.epochs) problems.push(`progress.epoch ${progress.epoch} is beyond the run's ${run.epochs} epochs`);
  const maxStep = (progress.epoch - 1) * progress.batchesPerEpoch + progress.batchesDone;
  if (progress.step > maxStep) problems.push(`progress.step ${progress.step} is more than epoch ${progress.epoch} with ${progress.batchesDone} batches done allows (${maxStep})`);
  if (records.length > progress.epoch) problems.push(`${records.length} epoch records for a run at epoch ${progress.epoch}`);
  records.forEach((r, i) => {
    if (r.epoch > progress.epoch || (i > 0 && r.epoch <= records[i - 1]!.epoch)) problems.push(`records[${i}].epoch ${r.epoch} is out of order or beyond the progress`);
  });
  body.optimizers.forEach((o, g) => {
    if (o.iterations > progress.step) problems.push(`optimizers[${g}].iterations ${o.iterations} exceeds progress.step ${progress.step}`);
    if (o.firstMoments.length !== o.secondMoments.length) problems.push(`optimizers[${g}] has ${o.firstMoments.length} first and ${o.secondMoments.length} second moments`);
  });
  const moments = body.optimizers.reduce((n, o) => n + o.firstMoments.length, 0);
  if (moments !== 0 && moments !== body.variables.length) problems.push(`the optimizers hold moments for ${moments} variables, the checkpoint has ${body.variables.length}`);
  return problems;
}

/** Decodes float32 base64 and refuses non-finite values (a checkpoint never holds them: see trainVae). */
function finiteValues(text: string, expected: number | undefined, what: string, nonNegative = false): Float32Array {
  const values = base64ToFloat32(text, expected ?? Math.max(0, Math.floor(base64ByteLength(text) / 4)), what);
  const bad = firstNonFinite(values);
  if (bad >= 0) throw new Error(`${what}: value ${values[bad]} at index ${bad}; a checkpoint holds finite values only`);
  if (nonNegative && values.some((v) => v < 0)) throw new Error(`${what}: negative second moments`);
  return values;
}

/**
 * Parses and verifies text written by {@link serializeCheckpoint}; `source` names it in errors. Checks, in
 * order: the header and format version, the CRC-32, the JSON, the schema of every field, the consistency of
 * progress, run, records and optimizer state, then decodes every tensor and refuses non-finite values. Throws
 * a {@link CheckpointFormatError} naming the field for anything else. Never evaluates anything from the text.
 */
export function parseCheckpoint(text: string, source = 'text'): TrainingCheckpoint {
  if (typeof text !== 'string') throw new CheckpointFormatError(source, `expected the checkpoint's text (a string), got ${text === null ? 'null' : typeof text}`);
  const newline = text.indexOf('\n');
  const header = newline < 0 ? text : text.slice(0, newline);
  const match = /^(\S+) (\d+) crc32=([0-9a-f]{8})$/.exec(header);
  if (!match || match[1] !== CHECKPOINT_MAGIC) throw new CheckpointFormatError(source, `expected a header line '${CHECKPOINT_MAGIC} <version> crc32=<hex>', got '${header.slice(0, 60)}'`);
  if (Number(match[2]) !== CHECKPOINT_VERSION) throw new CheckpointFormatError(source, `expected format version ${CHECKPOINT_VERSION}, got ${match[2]} (written by another trientropy version)`);
  const body = text.slice(newline + 1);
  const actual = crc32Hex(body);
  if (actual !== match[3]) throw new CheckpointFormatError(source, `checksum mismatch (header crc32=${match[3]}, content crc32=${actual}): the file is truncated or corrupt`);
  if (jsonNestsDeeperThan(body, MAX_NESTING)) throw new CheckpointFormatError(source, `the body nests deeper than ${MAX_NESTING} levels (a checkpoint's JSON needs 5)`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new CheckpointFormatError(source, `body is not JSON (${(error as Error).message})`);
  }
  const checked = bodySchema.safeParse(json);
  if (!checked.success) {
    const issues = checked.error.issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
    throw new CheckpointFormatError(source, `the body does not follow format version ${CHECKPOINT_VERSION}: ${issues.join('; ')}`);
  }
  // The parsed JSON is used from here on: zod's copy of a record would turn an own "__proto__" key into a prototype.
  const raw = json as SerializedCheckpoint;
  const problems = inconsistencies(raw);
  if (problems.length > 0) throw new CheckpointFormatError(source, `inconsistent state: ${problems.join('; ')}`);
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  try {
    return {
      ...raw,
      version: CHECKPOINT_VERSION,
      variables: raw.variables.map((v, i) => ({ name: v.name, shape: v.shape, values: finiteValues(v.values, size(v.shape), `variables[${i}] (${v.name})`) })),
      optimizers: raw.optimizers.map(
        (o, g): AdamState => ({
          ...o,
          firstMoments: o.firstMoments.map((m, i) => finiteValues(m, undefined, `optimizers[${g}].firstMoments[${i}]`)),
          secondMoments: o.secondMoments.map((m, i) => finiteValues(m, undefined, `optimizers[${g}].secondMoments[${i}]`, true)),
        }),
      ),
      records: raw.records as unknown as TrainingCheckpoint['records'],
    };
  } catch (error) {
    throw new CheckpointFormatError(source, (error as Error).message);
  }
}
