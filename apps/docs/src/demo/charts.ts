// Vega-Lite specs of the demo's live charts. Each chart has one named data set that the page replaces as
// epochs arrive (View.data), so the charts update without being rebuilt.
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 380;

/** ELBO and entropy sum per epoch: the bound and the three-entropy sum meet at a stationary point. */
export const curvesSpec: TopLevelSpec = {
  $schema: SCHEMA,
  title: 'ELBO and entropy sum (nats per point)',
  width: WIDTH,
  height: 200,
  data: { name: 'curves' },
  mark: { type: 'line', point: false },
  encoding: {
    x: { field: 'epoch', type: 'quantitative' },
    y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: 'nats' },
    color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['ELBO', 'entropy sum'], range: ['#1f77b4', '#ff7f0e'] } },
    strokeDash: { field: 'series', type: 'nominal', legend: null, scale: { domain: ['ELBO', 'entropy sum'], range: [[1, 0], [6, 3]] } },
  },
};

/** The raw relative gap (no closed-form step ran) on a log scale, with the 5 % line. */
export const gapSpec: TopLevelSpec = {
  $schema: SCHEMA,
  title: 'raw gap |ELBO − entropy sum| / |ELBO|',
  width: WIDTH,
  height: 200,
  layer: [
    { data: { name: 'gap' }, mark: { type: 'line', color: '#d62728' }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'gap', type: 'quantitative', scale: { type: 'log' }, title: 'relative gap', axis: { format: '.1%' } } } },
    { data: { values: [{ gap: 0.05 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { y: { field: 'gap', type: 'quantitative' } } },
  ],
};

/** Each latent's mean encoder entropy per epoch. */
export const encoderEntropiesSpec: TopLevelSpec = {
  $schema: SCHEMA,
  title: 'encoder entropy per latent, mean H[q(z_h|x)]',
  width: WIDTH,
  height: 200,
  data: { name: 'entropies' },
  mark: 'line',
  encoding: {
    x: { field: 'epoch', type: 'quantitative' },
    y: { field: 'entropy', type: 'quantitative', scale: { zero: false }, title: 'nats' },
    color: { field: 'latent', type: 'nominal' },
  },
};

/** The encoder means of a subsample in latent space. */
export const latentSpec: TopLevelSpec = {
  $schema: SCHEMA,
  title: 'latent space (encoder means)',
  width: 260,
  height: 260,
  data: { name: 'latent' },
  mark: { type: 'circle', size: 12, opacity: 0.6 },
  encoding: { x: { field: 'z1', type: 'quantitative' }, y: { field: 'z2', type: 'quantitative' }, color: { field: 'angle', type: 'quantitative', legend: null, scale: { scheme: 'rainbow' } } },
};

/** Data points and their reconstructions (decoder mean at the encoder mean), coloured alike per point. */
export const reconstructionSpec: TopLevelSpec = {
  $schema: SCHEMA,
  title: 'data (dots) and reconstructions (crosses)',
  width: 260,
  height: 260,
  data: { name: 'points' },
  mark: { type: 'point', filled: true, size: 14, opacity: 0.7 },
  encoding: {
    x: { field: 'x1', type: 'quantitative', scale: { zero: false } },
    y: { field: 'x2', type: 'quantitative', scale: { zero: false } },
    shape: { field: 'kind', type: 'nominal', scale: { domain: ['data', 'reconstruction'], range: ['circle', 'cross'] }, legend: null },
    color: { field: 'angle', type: 'quantitative', legend: null, scale: { scheme: 'rainbow' } },
  },
};
