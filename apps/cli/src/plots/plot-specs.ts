// Vega-Lite specs of the trientropy plots, as plain functions of plain data. No Node or tfjs imports: the CLI
// renders them to SVG/PNG in Node, and the docs site can hand the same specs to vega-embed in a browser
// (`import { trainingCurvesSpec } from '@trientropy/cli/plot-specs'`).
import type { TopLevelSpec } from 'vega-lite';

/** One epoch of the training curves. */
export interface TrainingCurvePoint {
  epoch: number;
  elbo: number;
  entropySum: number;
  /** ELBO − entropy sum in nats for the lower panel (the gap the caller chose, see `gapLabel`); defaults to elbo − entropySum. */
  gap?: number;
  /** Held-out ELBO, if measured. */
  heldOutElbo?: number | null;
}

/** Options of {@link trainingCurvesSpec}. */
export interface TrainingCurvesOptions {
  title?: string;
  /** What the lower panel's gap is, e.g. "gap before closed-form steps". */
  gapLabel?: string;
  /** A horizontal reference line in the upper panel (e.g. the pPCA maximum log-likelihood), with its name. */
  reference?: { value: number; label: string };
  width?: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The gap panel's log scale starts here (per cent): a gap that closed-form steps made exactly 0, or one below
 * float32 resolution, cannot be drawn on a log scale and is drawn at this floor, which the panel's subtitle then says.
 */
export const GAP_PERCENT_FLOOR = 1e-4;

/** The gap panel's vertical axis title: short enough to fit along the panel; the panel's title says what the gap is. */
export const GAP_AXIS_TITLE = 'gap (%)';

/**
 * ELBO and entropy sum per epoch with the relative gap in per cent below: the layout of the paper's Figure 1
 * (upper panel: the bound and the three-entropy sum per data point; lower panel: |gap| / |final ELBO| · 100 %,
 * normalised by the last epoch's ELBO as in the paper, so that an ELBO crossing 0 does not blow it up).
 * The gap panel has a log scale: an untrained model's gap can be thousands of per cent and a converged one's a
 * fraction of one, and a linear axis would flatten the end into the zero line. Gaps below
 * {@link GAP_PERCENT_FLOOR} are drawn at the floor, and the panel's subtitle says so. The legend names the held-out
 * ELBO only when some epoch has one.
 */
export function trainingCurvesSpec(points: readonly TrainingCurvePoint[], options: TrainingCurvesOptions = {}): TopLevelSpec {
  const width = options.width ?? 560;
  const curves = points.flatMap((p) => [
    { epoch: p.epoch, series: 'ELBO', value: p.elbo },
    { epoch: p.epoch, series: 'entropy sum', value: p.entropySum },
    ...(p.heldOutElbo === undefined || p.heldOutElbo === null ? [] : [{ epoch: p.epoch, series: 'held-out ELBO', value: p.heldOutElbo }]),
  ]);
  const series = ['ELBO', 'entropy sum', ...(curves.some((c) => c.series === 'held-out ELBO') ? ['held-out ELBO'] : [])];
  const finalElbo = Math.abs(points[points.length - 1]?.elbo ?? 1) || 1;
  const gaps = points.map((p) => ({ epoch: p.epoch, gapPercent: (100 * Math.abs(p.gap ?? p.elbo - p.entropySum)) / finalElbo }));
  const clipped = gaps.filter((g) => g.gapPercent < GAP_PERCENT_FLOOR).length;
  const drawnGaps = gaps.map((g) => ({ epoch: g.epoch, gapPercent: Math.max(g.gapPercent, GAP_PERCENT_FLOOR) }));
  // The explanation is the panel's title, which runs along the panel's width. As the axis title, rotated, it
  // outgrew the panel's 110 px height, and Vega grew the whole figure to fit it: the PNG was mostly blank.
  const gapPanelTitle = {
    text: `|${options.gapLabel ?? 'ELBO − entropy sum'}| / |final ELBO|`,
    subtitle: `per cent, log scale${clipped > 0 ? `; ${clipped} epoch(s) below ${GAP_PERCENT_FLOOR} % drawn at it` : ''}`,
    anchor: 'start',
    fontSize: 12,
  };
  const upperLayers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      mark: { type: 'line', point: points.length <= 60 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: 'nats per data point', scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#1f77b4', '#ff7f0e', '#2ca02c'].slice(0, series.length) } },
        strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: [[1, 0], [6, 3], [2, 2]].slice(0, series.length) } },
      },
    },
  ];
  if (options.reference) {
    upperLayers.push({
      data: { values: [{ value: options.reference.value, label: options.reference.label }] },
      mark: { type: 'rule', color: '#555', strokeDash: [2, 4] },
      encoding: { y: { field: 'value', type: 'quantitative' } },
    });
    upperLayers.push({
      data: { values: [{ value: options.reference.value, label: options.reference.label }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#555' },
      encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
    });
  }
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    vconcat: [
      { width, height: 240, data: { values: curves }, layer: upperLayers },
      {
        width,
        height: 110,
        title: gapPanelTitle,
        data: { values: drawnGaps },
        mark: { type: 'line', color: '#d62728' },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'gapPercent', type: 'quantitative', title: GAP_AXIS_TITLE, scale: { type: 'log' }, axis: { format: '~g' } },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Per-latent encoder entropies at one epoch. */
export interface LatentEntropyPoint {
  epoch: number;
  /** mean_n H[q(z_h|x_n)] for each latent h. */
  entropies: readonly number[];
}

/**
 * Each latent's mean encoder entropy per epoch, with the prior's per-latent entropy (½ log 2πe ≈ 1.42 nats for a
 * standard normal prior) and the collapse threshold: a latent at or above the threshold carries no information
 * (posterior collapse, paper Sec. 5).
 */
export function encoderEntropiesSpec(points: readonly LatentEntropyPoint[], options: { priorEntropy: number; threshold: number; width?: number; title?: string }): TopLevelSpec {
  const values = points.flatMap((p) => p.entropies.map((entropy, h) => ({ epoch: p.epoch, latent: `z${h + 1}`, entropy })));
  const rules = [
    { value: options.priorEntropy, label: `prior entropy ${options.priorEntropy.toFixed(2)}` },
    { value: options.threshold, label: `collapse threshold ${options.threshold}` },
  ];
  return {
    $schema: SCHEMA,
    title: options.title ?? 'encoder entropy per latent',
    width: options.width ?? 560,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: points.length <= 60 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'entropy', type: 'quantitative', title: 'mean H[q(z_h|x)] (nats)', scale: { zero: false } },
          color: { field: 'latent', type: 'nominal', title: 'latent' },
        },
      },
      { data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { field: 'value', type: 'quantitative' }, color: { value: '#555' } } },
      { data: { values: rules }, mark: { type: 'text', align: 'left', dx: 4, dy: -6 }, encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' }, color: { value: '#555' } } },
    ],
  } as TopLevelSpec;
}

/** One point's encoder mean in a 2-D latent space. */
export interface LatentPoint {
  z1: number;
  z2: number;
  /** A class label, if the data has them (colours the points). */
  label?: string | number;
}

/** The encoder means of data points in a 2-D latent space (H = 2), coloured by class where labels exist. */
export function latentSpaceSpec(points: readonly LatentPoint[], options: { width?: number; title?: string } = {}): TopLevelSpec {
  const labelled = points.some((p) => p.label !== undefined);
  const side = options.width ?? 420;
  return {
    $schema: SCHEMA,
    title: options.title ?? 'latent space: encoder means',
    width: side,
    height: side,
    data: { values: points.map((p) => ({ ...p, label: p.label === undefined ? undefined : String(p.label) })) },
    mark: { type: 'circle', size: 9, opacity: 0.6 },
    encoding: {
      x: { field: 'z1', type: 'quantitative', title: 'z1' },
      y: { field: 'z2', type: 'quantitative', title: 'z2' },
      ...(labelled ? { color: { field: 'label', type: 'nominal', title: 'class' } } : {}),
    },
  } as TopLevelSpec;
}
