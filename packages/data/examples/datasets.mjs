import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCircle, minMaxScale, trainTestSplit, DATASET_SPECS } from '@trientropy/data';
import { loadDataset, csvBatches } from '@trientropy/data/node';

const ring = await loadDataset('synthetic:pca-ring', { seed: 1 });
console.log(ring.description); // synthetic:pca-ring: 10000 × 10 training + 10000 held-out points, seed 1

const circle = generateCircle({ n: 1000, noiseStd: 0.05, seed: 3 }); // 1000 × 2, radius ~ N(1, 0.05²)
const { train, test } = trainTestSplit(minMaxScale(circle).data, { testFraction: 0.5, seed: 3 });
console.log(train.rows, test.rows, train.cols); // 500 500 2

const csv = join(tmpdir(), 'points.csv');
writeFileSync(csv, 'label,x,y\n0,0.5,1\n1,2,-3\n1,4,5\n');
for await (const batch of csvBatches(csv, { batchSize: 2, dropColumns: ['label'] })) {
  console.log(batch.rows, Array.from(batch.values)); // 2 [ 0.5, 1, 2, -3 ]  then  1 [ 4, 5 ]
}
console.log(DATASET_SPECS.length, DATASET_SPECS[0]); // every accepted --data spec with a description
