// Stable ids of this package's model classes (see @trientropy/distributions' defineClassId): the ESM and CJS
// builds give their classes the same ids, so `instanceof` (used by @trientropy/trainers to pick a
// variant's closed forms) works across the two copies.
import { defineClassId } from '@trientropy/distributions';
import { BernoulliVae } from './bernoulli-vae.js';
import { LinearVae } from './linear-vae.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import { Vae0 } from './vae0.js';
import { Vae1 } from './vae1.js';
import { Vae2 } from './vae2.js';
import { Vae3 } from './vae3.js';
import { VaeBase } from './vae-base.js';

const CLASSES: [Function, string][] = [
  [BernoulliVae, 'BernoulliVae'],
  [LinearVae, 'LinearVae'],
  [ScalarGaussianVae, 'ScalarGaussianVae'],
  [Vae0, 'Vae0'],
  [Vae1, 'Vae1'],
  [Vae2, 'Vae2'],
  [Vae3, 'Vae3'],
  [VaeBase, 'VaeBase'],
];

for (const [cls, name] of CLASSES) defineClassId(cls, `@trientropy/models:${name}`);
