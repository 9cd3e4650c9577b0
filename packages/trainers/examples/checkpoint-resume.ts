import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { trainVae, type TrainOptions } from '@trientropy/trainers';
import { checkpointFileSink, readCheckpointFile } from '@trientropy/trainers/node';

const { data } = generatePca({ n: 1000, seed: 0 });
const options: TrainOptions = { epochs: 3, batchSize: 100, learningRate: 5e-3, seed: 0 };
const runDir = mkdtempSync(join(tmpdir(), 'run-'));

// Writes runs/.../checkpoint.trientropy atomically every 10 steps (the last good one survives a crash).
const first = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [20] });
await trainVae(first, data, { ...options, epochs: 2, checkpoint: { everySteps: 10, write: checkpointFileSink(runDir) } });

// Later, after a crash or a kill: a fresh model continues from the file, bit for bit on the cpu backend.
const resumed = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [20] });
const result = await trainVae(resumed, data, { ...options, resumeFrom: await readCheckpointFile(join(runDir, 'checkpoint.trientropy')) });
console.log(result.epochs.length, result.final.elbo, result.final.entropySum);
first.dispose();
resumed.dispose();
