import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { type TopLevelSpec, compile } from 'vega-lite';
import { writeFileAtomic } from '@trientropy/trainers/node';

/** Renders a Vega-Lite spec to SVG text in Node (no browser, no canvas: vega's SVG string renderer). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG text to PNG bytes with resvg (system fonts for the text). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' });
  return resvg.render().asPng();
}

/** Writes `base.svg` and `base.png` for a spec, each atomically; returns both paths. */
export async function writePlot(spec: TopLevelSpec, base: string): Promise<string[]> {
  const svg = await renderSvg(spec);
  await writeFileAtomic(`${base}.svg`, svg);
  await writeFileAtomic(`${base}.png`, svgToPng(svg));
  return [`${base}.svg`, `${base}.png`];
}
