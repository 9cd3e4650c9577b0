import * as api from './index.js';
import { Vae1, Vae3, VaeBase, ScalarGaussianVae } from './index.js';

// A second copy of the package's modules, as when one dependency imports the ESM build and another requires the CJS one.
function secondCopy(): typeof api {
  let copy: typeof api | undefined;
  jest.isolateModules(() => {
    copy = require('./index') as typeof api;
  });
  if (copy === undefined || copy.Vae1 === Vae1) throw new Error('jest.isolateModules did not load a second copy');
  return copy;
}

describe('model classes across copies of the package', () => {
  it('keep instanceof by stable class id, for the class and its bases only', () => {
    const other = secondCopy();
    const model = new other.Vae1({ dataDim: 4, latentDim: 2, hiddenSizes: [3] });
    expect(model.constructor).not.toBe(Vae1);
    expect([model instanceof Vae1, model instanceof ScalarGaussianVae, model instanceof VaeBase, model instanceof Vae3]).toEqual([true, true, true, false]);
    const local = new Vae3({ dataDim: 4, latentDim: 2, hiddenSizes: [3] });
    expect([local instanceof other.Vae3, local instanceof other.VaeBase, local instanceof other.Vae1]).toEqual([true, true, false]);
    expect(Vae1.name).toBe('Vae1');
    model.dispose();
    local.dispose();
  });
});
