import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { cosineSchedule, trainVae } from '@trientropy/trainers';

const { data } = generatePca({ n: 2000, seed: 0 });             // 2 000 × 10, the paper's PCA data
const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [20] });
const result = await trainVae(model, data, {
  epochs: 10,
  batchSize: 100,
  learningRate: cosineSchedule(5e-3, 0.05),
  seed: 0,
  callbacks: { onEpochEnd: (e) => console.log(e.epoch, e.elbo, e.entropySum, e.relativeGap) },
});
console.log(result.final.entropies);
model.dispose();
