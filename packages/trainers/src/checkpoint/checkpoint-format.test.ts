import { CheckpointFormatError, parseCheckpoint, serializeCheckpoint } from './checkpoint-format.js';
import { crc32Hex } from './crc32.js';
import type { TrainingCheckpoint } from './training-checkpoint.js';

function sampleCheckpoint(): TrainingCheckpoint {
  return {
    version: 1,
    createdAt: '2026-11-25T00:00:00.000Z',
    modelKind: 'vae-1',
    variables: [
      { name: 'w', shape: [2, 3], values: new Float32Array([1, -2.5, 3e-38, 1e30, Number.MIN_VALUE, -0]) },
      { name: 'b', shape: [], values: new Float32Array([Math.PI]) },
    ],
    optimizers: [{ iterations: 7, accBeta1: 0.478296, accBeta2: 0.993021, firstMoments: [new Float32Array(6).fill(0.1), new Float32Array([0.2])], secondMoments: [new Float32Array(6).fill(0.3), new Float32Array([0.4])] }],
    random: { current: { words: [1, 2, 3, 4], spareNormal: null }, epochStart: { words: [5, 6, 7, 8], spareNormal: 0.25 } },
    progress: { epoch: 2, batchesDone: 3, batchesPerEpoch: 5, step: 8, lossSum: -12.5 },
    run: { rows: 100, batchSize: 20, epochs: 4, samples: 1, seed: 0 },
    records: [],
    metadata: { note: 'ünïcode ✓' },
  };
}

describe('checkpoint format', () => {
  it('round-trips every value exactly, float32 bits included', () => {
    const original = sampleCheckpoint();
    const parsed = parseCheckpoint(serializeCheckpoint(original));
    expect(parsed).toEqual(original);
    expect(Object.is(parsed.variables[0]!.values[5], -0)).toBe(true);
  });

  it('computes the standard CRC-32', () => {
    // The check value of CRC-32/ISO-HDLC.
    expect(crc32Hex('123456789')).toBe('cbf43926');
  });

  it('rejects a flipped byte, a truncated file, another version and a foreign file', () => {
    const text = serializeCheckpoint(sampleCheckpoint());
    const flipped = text.replace('"epoch":2', '"epoch":3');
    expect(() => parseCheckpoint(flipped, 'a.ckpt')).toThrow(CheckpointFormatError);
    expect(() => parseCheckpoint(flipped, 'a.ckpt')).toThrow(/checkpoint a.ckpt: checksum mismatch .*truncated or corrupt/);
    expect(() => parseCheckpoint(text.slice(0, text.length - 10), 'b.ckpt')).toThrow(/checkpoint b.ckpt: checksum mismatch/);
    expect(() => parseCheckpoint(text.replace(/^trientropy-checkpoint 1 /, 'trientropy-checkpoint 2 '), 'c.ckpt')).toThrow(
      'checkpoint c.ckpt: expected format version 1, got 2 (written by another trientropy version)',
    );
    expect(() => parseCheckpoint('{"weights": []}', 'd.json')).toThrow(/checkpoint d.json: expected a header line 'trientropy-checkpoint <version> crc32=<hex>'/);
  });
});
