// A program that loads @trientropy packages both ways: distributions as ESM here, models and trainers as CJS
// (through require), so two copies of distributions' classes and KL registry coexist. Closed-form KLs,
// instanceof and the trainers' per-variant code must work across them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { Normal, klDivergence, InvalidArgumentError } from '@trientropy/distributions';

const require = createRequire(import.meta.url);
const cjsDistributions = require('@trientropy/distributions');
const cjsModels = require('@trientropy/models');
const cjsTrainers = require('@trientropy/trainers');
const { generatePca } = await import('@trientropy/data');

assert.notEqual(cjsDistributions.Normal, Normal, 'expected two copies (ESM and CJS) of @trientropy/distributions');
assert.equal(Normal.name, 'Normal');
assert.equal(cjsDistributions.Normal.name, 'Normal');

// ESM distributions into the CJS copy's klDivergence, and the other way round: the closed form.
const [p, q] = [new Normal(tf.tensor1d([0.5]), tf.tensor1d([2])), new cjsDistributions.Normal(0, 1)];
const expected = (4 + 0.25 - 1) / 2 - Math.log(2); // KL(N(0.5, 2²) ‖ N(0, 1))
for (const kl of [cjsDistributions.klDivergence(p, q), klDivergence(q, p)]) assert.ok(kl instanceof tf.Tensor);
assert.ok(Math.abs(cjsDistributions.klDivergence(p, q).dataSync()[0] - expected) < 1e-5);
assert.equal(cjsDistributions.hasClosedFormKl(p, q) && cjsDistributions.hasClosedFormKl(q, p), true);
assert.ok(p instanceof cjsDistributions.Normal && q instanceof Normal);

// Errors thrown by the CJS copy are instances of the ESM copy's classes.
assert.throws(() => new cjsDistributions.Normal(0, -1), (error) => error instanceof InvalidArgumentError);

// A model of the CJS models package, evaluated by CJS trainers, next to an ESM-made model.
const { Vae1 } = await import('@trientropy/models');
const esmModel = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [8] });
assert.ok(esmModel instanceof cjsModels.Vae1 && esmModel instanceof cjsModels.ScalarGaussianVae);
const { data } = generatePca({ n: 200, seed: 0 });
const estimate = await cjsTrainers.entropySumEstimate(esmModel, data);
assert.ok(Number.isFinite(estimate.value), 'entropy-sum estimate of an ESM-made model through CJS trainers');
esmModel.dispose();
console.log(`mixed ESM/CJS: closed-form KL ${cjsDistributions.klDivergence(p, q).dataSync()[0].toFixed(6)} (expected ${expected.toFixed(6)}), entropy sum ${estimate.value.toFixed(3)}`);
