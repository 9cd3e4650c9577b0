// The training-curves spec, rendered by Vega to SVG as the CLI writes it: the legend, and the gap panel's scale.
import { GAP_AXIS_TITLE, GAP_PERCENT_FLOOR, type TrainingCurvePoint, trainingCurvesSpec } from './plot-specs.js';
import { renderSvg } from './render-plot.js';

/** An untrained model's gap of 2 400 % at epoch 0 that closes to 0.05 %, as the docs demo sees it. */
function closingGap(epochs: number, heldOut: boolean): TrainingCurvePoint[] {
  return Array.from({ length: epochs + 1 }, (_, epoch) => {
    const elbo = -1 + 0.5 * (1 - Math.exp(-epoch / 3));
    const gapPercent = epoch === 0 ? 2400 : 0.05 + 50 * Math.exp(-epoch);
    const gap = (gapPercent / 100) * 0.5;
    return { epoch, elbo, entropySum: elbo - gap, gap, ...(heldOut ? { heldOutElbo: elbo - 0.01 } : {}) };
  });
}

type Layer = {
  title?: { text: string; subtitle: string };
  encoding?: { color?: { scale?: { domain?: string[] } }; y?: { scale?: { type?: string }; title?: string } };
  data?: { values: { gapPercent: number }[] };
};
const panels = (points: TrainingCurvePoint[]) => (trainingCurvesSpec(points) as unknown as { vconcat: [{ layer: Layer[] }, Layer] }).vconcat;

describe('trainingCurvesSpec', () => {
  it('names the held-out ELBO in the legend only when some epoch has one', async () => {
    const without = await renderSvg(trainingCurvesSpec(closingGap(10, false)));
    const withHeldOut = await renderSvg(trainingCurvesSpec(closingGap(10, true)));
    expect(without).toContain('entropy sum');
    expect(without).not.toContain('held-out ELBO');
    expect(withHeldOut).toContain('held-out ELBO');
    expect(panels(closingGap(3, false))[0].layer[0]!.encoding?.color?.scale?.domain).toEqual(['ELBO', 'entropy sum']);
    // null (not measured at that epoch) counts as absent too.
    expect(panels(closingGap(3, false).map((p) => ({ ...p, heldOutElbo: null })))[0].layer[0]!.encoding?.color?.scale?.domain).toEqual(['ELBO', 'entropy sum']);
  });

  it('draws the gap on a log scale, so a 2 400 % start does not flatten a 0.05 % end', async () => {
    const points = closingGap(20, false);
    const gapPanel = panels(points)[1];
    expect(gapPanel.encoding?.y?.scale?.type).toBe('log');
    const drawn = gapPanel.data!.values.map((v) => v.gapPercent);
    expect(drawn[0]).toBeCloseTo((100 * points[0]!.gap!) / Math.abs(points[20]!.elbo), 6);
    expect(Math.max(...drawn) / Math.min(...drawn)).toBeGreaterThan(1e4);
    const svg = await renderSvg(trainingCurvesSpec(closingGap(20, false)));
    expect(svg).toContain('per cent, log scale');
    expect(svg).not.toContain('drawn at it');
  });

  it('draws gaps below the floor (closed-form steps zero them) at the floor and says so', async () => {
    const points = closingGap(5, false).map((p, i) => (i >= 4 ? { ...p, gap: 0 } : p));
    const gapPanel = panels(points)[1];
    expect(gapPanel.data!.values.slice(4).map((v) => v.gapPercent)).toEqual([GAP_PERCENT_FLOOR, GAP_PERCENT_FLOOR]);
    expect(gapPanel.title?.subtitle).toContain(`2 epoch(s) below ${GAP_PERCENT_FLOOR} % drawn at it`);
    expect(await renderSvg(trainingCurvesSpec(points))).toContain('drawn at it');
  });

  it('keeps the figure to its panels: the gap axis title fits along the 110 px panel, the explanation runs across it', async () => {
    // The CLI's label, with gaps below the floor: the longest explanation the panel carries.
    const points = closingGap(20, true).map((p, i) => (i >= 18 ? { ...p, gap: 0 } : p));
    const spec = trainingCurvesSpec(points, { title: 'vae-1 on synthetic:pca: ELBO and entropy sum', gapLabel: 'ELBO − entropy sum before closed-form steps' });
    const svg = await renderSvg(spec);
    const height = Number(/<svg[^>]* height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1]);
    // 240 + 110 px of panels; titles, the subtitle and two epoch axes take well under 200 px. A rotated axis title
    // longer than the panel grows the figure instead (988 px when the explanation was the axis title).
    expect(height).toBeGreaterThan(240 + 110);
    expect(height).toBeLessThan(240 + 110 + 200);
    expect(panels(points)[1].encoding?.y?.title).toBe(GAP_AXIS_TITLE);
    expect(svg).toContain('|ELBO − entropy sum before closed-form steps| / |final ELBO|');
    expect(svg).toContain(`3 epoch(s) below ${GAP_PERCENT_FLOOR} % drawn at it`);
  });
});
