// The library in Node on the pure-JavaScript cpu backend (always available): train a VAE-1 on the paper's
// PCA data and watch the ELBO meet the entropy sum.
import { selectBackend } from '@trientropy/backends';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { trainVae } from '@trientropy/trainers';

const { report } = await selectBackend('cpu');
console.log(report.split('\n')[0]);
const { data } = generatePca({ n: 1000, seed: 0 }); // 1000 × 10
const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [16], seed: 0 });
const result = await trainVae(model, data, { epochs: 3, batchSize: 100, learningRate: 5e-3, seed: 0 });
for (const e of result.epochs) console.log(`epoch ${e.epoch}: ELBO ${e.elbo.toFixed(3)}, entropy sum ${e.entropySum.toFixed(3)}`);
model.dispose();
