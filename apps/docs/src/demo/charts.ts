// The demo's live charts. Where the CLI draws the same picture (`trientropy plot`), its Vega-Lite spec is used
// as is (@trientropy/cli/plot-specs); the page only adds the two views the CLI has no spec for.
import { encoderEntropiesSpec, latentSpaceSpec, trainingCurvesSpec } from '@trientropy/cli/plot-specs';
import type { TopLevelSpec } from 'vega-lite';
import type { EpochMessage } from './protocol.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDE = 380;
const SQUARE = 260;
/** The acceptance line of the raw gap, drawn on its chart. */
export const GAP_LINE = 0.05;

/** Which eighth of the circle a data point lies in: colours a point, its latent mean and its reconstruction alike. */
export function sectorOf([x, y]: [number, number]): string {
  const eighth = Math.floor(((Math.atan2(y, x) + 2 * Math.PI) % (2 * Math.PI)) / (Math.PI / 4));
  return `${45 * eighth}°–${45 * (eighth + 1)}°`;
}

const epochAxis = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } } as const;

/**
 * The raw gap per epoch relative to that epoch's |ELBO|, on a log scale, with the 5 % line. The curves chart above
 * (the CLI's spec) divides by the final epoch's |ELBO| instead, and the CLI's epoch table by (D + H)/2: each label
 * names its denominator.
 */
function rawGapSpec(epochs: readonly EpochMessage[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: "raw gap |ELBO − entropy sum| / the same epoch's |ELBO|",
    width: WIDE,
    height: 200,
    layer: [
      {
        data: { values: epochs.map((e) => ({ epoch: e.epoch, gap: Math.max(e.rawGap, 1e-5) })) },
        mark: { type: 'line', color: '#d62728', point: true },
        encoding: { x: epochAxis, y: { field: 'gap', type: 'quantitative', scale: { type: 'log' }, title: 'raw gap / |ELBO| (log scale)', axis: { format: '.2~%' } } },
      },
      { data: { values: [{ gap: GAP_LINE }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { y: { field: 'gap', type: 'quantitative' } } },
    ],
  };
}

/** Data points and their reconstructions (decoder mean at the encoder mean), coloured by the point's sector. */
function reconstructionSpec(last: EpochMessage): TopLevelSpec {
  const point = (kind: string) => (p: [number, number], i: number) => ({ x1: p[0], x2: p[1], kind, sector: sectorOf(last.data[i]!) });
  return {
    $schema: SCHEMA,
    title: 'data (dots) and reconstructions (crosses)',
    width: SQUARE,
    height: SQUARE,
    data: { values: [...last.data.map(point('data')), ...last.reconstruction.map(point('reconstruction'))] },
    mark: { type: 'point', filled: true, size: 14, opacity: 0.7 },
    encoding: {
      x: { field: 'x1', type: 'quantitative', scale: { zero: false } },
      y: { field: 'x2', type: 'quantitative', scale: { zero: false } },
      shape: { field: 'kind', type: 'nominal', scale: { domain: ['data', 'reconstruction'], range: ['circle', 'cross'] }, legend: null },
      color: { field: 'sector', type: 'nominal', legend: null },
    },
  };
}

/** Each chart of the page: its element id and its spec as a function of every epoch so far. */
export const CHARTS: readonly { id: string; spec: (epochs: readonly EpochMessage[]) => TopLevelSpec }[] = [
  {
    id: 'chart-curves',
    spec: (epochs) =>
      trainingCurvesSpec(
        epochs.map((e) => ({ epoch: e.epoch, elbo: e.elbo, entropySum: e.entropySum, gap: e.rawGapNats })),
        { title: 'ELBO and entropy sum (nats per point)', gapLabel: 'raw gap', width: WIDE },
      ),
  },
  { id: 'chart-gap', spec: rawGapSpec },
  {
    id: 'chart-entropies',
    spec: (epochs) => {
      const last = epochs[epochs.length - 1]!;
      return encoderEntropiesSpec(
        epochs.map((e) => ({ epoch: e.epoch, entropies: e.encoderEntropies })),
        { priorEntropy: last.priorEntropyPerLatent, threshold: last.collapseThreshold, width: WIDE, title: 'encoder entropy per latent, mean H[q(z_h|x)]' },
      );
    },
  },
  {
    id: 'chart-latent',
    spec: (epochs) => {
      const last = epochs[epochs.length - 1]!;
      return latentSpaceSpec(last.latent.map(([z1, z2], i) => ({ z1, z2, label: sectorOf(last.data[i]!) })), { width: SQUARE, title: 'latent space (encoder means)' });
    },
  },
  { id: 'chart-reconstruction', spec: (epochs) => reconstructionSpec(epochs[epochs.length - 1]!) },
];
