import { loadDataset } from '../datasets/load-dataset.js';
import { generateCircle } from './circle.js';
import { generateManifold } from './manifold.js';
import { generatePca } from './pca.js';

describe('size limit of generated data', () => {
  it('refuses sizes beyond 2^28 values at once, before allocating', async () => {
    const start = Date.now();
    await expect(loadDataset('synthetic:pca:n=1000000000')).rejects.toThrow(/options\.n: expected at most 26843545 rows of 10 values \(268435456 float32 values, the size limit of generated data\), got 1000010000/);
    expect(() => generatePca({ n: 30_000_000 })).toThrow(/size limit of generated data/);
    expect(() => generateCircle({ n: 200_000_000 })).toThrow(/at most 134217728 rows of 2 values/);
    expect(() => generateManifold({ n: 10_000_000, dataDim: 100 })).toThrow(/size limit of generated data/);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
