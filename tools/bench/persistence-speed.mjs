// Times saving and loading a 4.1 M-parameter model (VAE-1, D=784, H=10, hidden 1100,1100): the model file
// (serializeVae / deserializeVae) and a training checkpoint with its Adam moments (serialize / parse /
// write to disk). Prints a table in milliseconds (median of --repeats runs, default 3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createVaeModel, deserializeVae, serializeVae } from '@trientropy/models';
import { parseCheckpoint, serializeCheckpoint } from '@trientropy/trainers';
import { writeCheckpointFile } from '@trientropy/trainers/node';

const repeats = Number(process.argv.find((a) => a.startsWith('--repeats='))?.slice(10) ?? 3);
await tf.setBackend('cpu');
const model = createVaeModel('vae-1', { dataDim: 784, latentDim: 10, hiddenSizes: [1100, 1100] });
const variables = Object.values(model.namedVariables());
const parameters = variables.reduce((a, v) => a + v.size, 0);
const values = variables.map((v) => new Float32Array(v.dataSync()));
const checkpoint = {
  version: 1,
  createdAt: new Date().toISOString(),
  modelKind: model.kind,
  variables: variables.map((v, i) => ({ name: v.name, shape: [...v.shape], values: values[i] })),
  optimizers: [{ iterations: 10, accBeta1: 0.9 ** 10, accBeta2: 0.999 ** 10, firstMoments: values.map((v) => v.map((x) => x * 1e-3)), secondMoments: values.map((v) => v.map((x) => x * x)) }],
  random: { current: { words: [1, 2, 3, 4], spareNormal: null }, epochStart: { words: [5, 6, 7, 8], spareNormal: null } },
  progress: { epoch: 1, batchesDone: 10, batchesPerEpoch: 10, step: 10, lossSum: 0 },
  run: { rows: 100, batchSize: 10, epochs: 2, samples: 1, seed: 0 },
  records: [],
  metadata: {},
};
const directory = mkdtempSync(join(tmpdir(), 'trientropy-bench-'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
async function time(task) {
  const ms = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await task();
    ms.push(performance.now() - start);
  }
  return median(ms);
}

let modelText = '';
let checkpointText = '';
const rows = [
  ['model file: serializeVae', await time(() => { modelText = serializeVae(model); })],
  ['model file: deserializeVae', await time(() => deserializeVae(modelText).dispose())],
  ['checkpoint: serializeCheckpoint', await time(() => { checkpointText = serializeCheckpoint(checkpoint); })],
  ['checkpoint: parseCheckpoint', await time(() => parseCheckpoint(checkpointText))],
  ['checkpoint: writeCheckpointFile', await time(() => writeCheckpointFile(join(directory, 'checkpoint.trientropy'), checkpoint))],
];
rmSync(directory, { recursive: true, force: true });
console.log(`parameters: ${parameters}; model file ${(modelText.length / 2 ** 20).toFixed(1)} MiB, checkpoint ${(checkpointText.length / 2 ** 20).toFixed(1)} MiB; median of ${repeats}; node ${process.version}`);
console.log('| operation | ms |\n|---|---:|');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(0)} |`);
model.dispose();
