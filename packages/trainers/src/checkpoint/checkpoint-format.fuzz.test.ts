// Fuzz tests of the checkpoint parser (fast-check, fixed seed, bounded runs): random text, damaged files and
// re-signed hostile bodies either parse into a consistent checkpoint or give one CheckpointFormatError —
// never a TypeError/RangeError (stack overflow included) or a hang. (Re-signed random field edits and
// resuming them: checkpoint-validation.test.ts.)
import fc from 'fast-check';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { trainVae } from '../train.js';
import { CheckpointFormatError, parseCheckpoint, serializeCheckpoint } from './checkpoint-format.js';
import { crc32Hex } from './crc32.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const SEED = Number(process.env['FUZZ_SEED'] ?? 14);

const data = generatePca({ n: 20, seed: 3 }).data;
const options = { epochs: 1, batchSize: 10, learningRate: 1e-3, seed: 5, evaluation: { samples: 1 } };

/** `text`'s body edited by `edit`, with a fresh CRC. */
function resigned(text: string, edit: (body: Record<string, any>) => void): string {
  const body = JSON.parse(text.slice(text.indexOf('\n') + 1));
  edit(body);
  const json = JSON.stringify(body);
  return `trientropy-checkpoint 1 crc32=${crc32Hex(json)}\n${json}`;
}

/** A body as text with a fresh CRC (for bodies JSON.stringify cannot write, e.g. nested deeper than its stack). */
function signedBody(json: string): string {
  return `trientropy-checkpoint 1 crc32=${crc32Hex(json)}\n${json}`;
}

function parsesOrClearError(text: unknown): 'parsed' | 'refused' {
  try {
    parseCheckpoint(text as string, 'fuzz.ckpt');
    return 'parsed';
  } catch (error) {
    if (!(error instanceof CheckpointFormatError)) throw new Error(`unclear error ${String(error)}`, { cause: error });
    expect(error.message.startsWith('checkpoint fuzz.ckpt: ')).toBe(true);
    return 'refused';
  }
}

describe('fuzz: parseCheckpoint', () => {
  let valid: string;
  beforeAll(async () => {
    const texts: string[] = [];
    const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [3], seed: 2 });
    await trainVae(model, data, { ...options, checkpoint: { everySteps: 1, write: async (c) => void texts.push(serializeCheckpoint(c)) } });
    model.dispose();
    valid = texts[0]!;
    expect(parsesOrClearError(valid)).toBe('parsed');
  });

  it('random text, random header lines and non-strings', () => {
    const header = fc.tuple(fc.constantFrom('trientropy-checkpoint', 'trientropy-vae', '', 'x'), fc.constantFrom('1', '2', '0', '01', '99999999999999999999', '-1', ''), fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 }), fc.string({ maxLength: 9 }))).map(([m, v, c]) => `${m} ${v} crc32=${c}`);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.tuple(header, fc.string({ maxLength: 50 })).map(([h, b]) => `${h}\n${b}`), fc.anything({ maxDepth: 1 })), (text) => {
        expect(parsesOrClearError(text)).toBe('refused');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('truncated and bit-flipped files are refused by the CRC or the header', () => {
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 0xffff }), fc.boolean(), (at, xor, truncate) => {
        const damaged = truncate ? valid.slice(0, at) : valid.slice(0, at) + String.fromCharCode(valid.charCodeAt(at) ^ xor) + valid.slice(at + 1);
        expect(parsesOrClearError(damaged)).toBe('refused');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('re-signed hostile bodies: deep nesting, huge shapes, unsafe integers, prototype keys', () => {
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const body = valid.slice(valid.indexOf('\n') + 1);
    const withField = (field: string, json: string) => signedBody(body.replace(/^\{/, `{"${field}":${json},`).replace(new RegExp(`,"${field}":[^,]*(?=,"|\\}$)`), ''));
    const hostile: [string, string][] = [
      ['deep metadata', withField('metadata', `{"a":${deep}}`)],
      ['deep modelConfig', withField('modelConfig', `{"a":${deep}}`)],
      ['deep records', withField('records', deep)],
      ['huge shape', resigned(valid, (b) => (b.variables[0].shape = [2 ** 50, 2 ** 50]))],
      ['unsafe seed', resigned(valid, (b) => (b.run.seed = 2 ** 60))],
      ['unsafe rows', resigned(valid, (b) => (b.run.rows = 2 ** 60))],
      ['__proto__ metadata', resigned(valid, (b) => Object.defineProperty(b.metadata, '__proto__', { value: { polluted: 1 }, enumerable: true }))],
      ['long base64', resigned(valid, (b) => (b.variables[0].values = 'A'.repeat(1_000_000)))],
    ];
    for (const [label, text] of hostile) {
      const started = Date.now();
      const outcome = (() => {
        try {
          return parsesOrClearError(text);
        } catch (error) {
          throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
        }
      })();
      expect([label, outcome]).toEqual([label, label === '__proto__ metadata' ? 'parsed' : 'refused']);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
