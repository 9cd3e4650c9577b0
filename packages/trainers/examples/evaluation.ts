import { generatePca, trainTestSplit } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { entropySumEstimate, iwaeBound, monteCarloElbo, posteriorCollapseMonitor, stationarityReport, trainVae } from '@trientropy/trainers';

const { train, test } = trainTestSplit(generatePca({ n: 1000, seed: 0 }).data, { testFraction: 0.5, seed: 0 });
const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [20] });

const collapse = posteriorCollapseMonitor(model, train, { ema: 0.05 });          // a TrainCallbacks object
await trainVae(model, train, { epochs: 5, batchSize: 100, learningRate: 5e-3, seed: 0, callbacks: collapse });
console.log(collapse.latest?.active, collapse.latest?.collapsed);                // latent indices
const s = await entropySumEstimate(model, test);            // sampling-free for VAE-0/1/2 and linear
const f = await monteCarloElbo(model, test, { seed: 1, samples: 10 });
const l = await iwaeBound(model, test, { seed: 1, k: 100 }); // log p(x) estimate from below
console.log(s.value, s.trust.trustworthy, f.value, f.standardError, l.value);
console.log((await stationarityReport(model, test, { seed: 2 })).nearStationary);
model.dispose();
