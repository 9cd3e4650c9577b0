import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from './load-dataset.js';
import { DEBIAN_FASHION_MNIST_DIR } from './mnist-files.js';

// The real Fashion-MNIST files come from Debian's dataset-fashion-mnist package, which CI may not
// install; without them this test is skipped and says so.
const installed = existsSync(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
if (!installed) {
  console.log(`skipping the Fashion-MNIST test: ${DEBIAN_FASHION_MNIST_DIR} not found (apt-get install -y dataset-fashion-mnist)`);
}

(installed ? describe : describe.skip)("fashion-mnist from Debian's dataset-fashion-mnist", () => {
  it('has 60 000 + 10 000 images of 784 pixels in [0, 1] and 6 000 / 1 000 labels per class', async () => {
    const loaded = await loadDataset('fashion-mnist');
    expect([loaded.data.rows, loaded.data.cols, loaded.test!.rows, loaded.test!.cols]).toEqual([60_000, 784, 10_000, 784]);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of loaded.data.values) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect([min, max]).toEqual([0, 1]);
    // Fashion-MNIST's mean training pixel is 0.2860 (72.94 / 255), a widely quoted normalisation constant.
    expect(sum / loaded.data.values.length).toBeCloseTo(0.286, 3);
    const trainCounts = new Array<number>(10).fill(0);
    for (const label of loaded.labels!) trainCounts[label]!++;
    const testCounts = new Array<number>(10).fill(0);
    for (const label of loaded.testLabels!) testCounts[label]!++;
    expect(trainCounts).toEqual(new Array<number>(10).fill(6000));
    expect(testCounts).toEqual(new Array<number>(10).fill(1000));
    expect(loaded.description).toBe(`fashion-mnist: 60000 × 784 training + 10000 test images in [0,1] from ${DEBIAN_FASHION_MNIST_DIR}`);
  });
});
