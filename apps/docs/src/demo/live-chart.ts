// A Vega-Lite chart that is drawn once and then updated in place: the spec is rebuilt from all the data at every
// update (the spec builders are plain functions of plain data, like the CLI's), its inline data sets get names,
// and the drawn view only receives their new values, so the chart neither flickers nor recompiles.
import embed from 'vega-embed';
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';

/** Replaces every inline `data: { values }` of `spec` by `data: { name }`, in document order; returns the values by name. */
export function nameInlineData(spec: TopLevelSpec): { spec: TopLevelSpec; datasets: Map<string, unknown[]> } {
  const datasets = new Map<string, unknown[]>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key === 'data' && value !== null && typeof value === 'object' && Array.isArray((value as { values?: unknown }).values)) {
          const name = `data-${datasets.size}`;
          datasets.set(name, (value as { values: unknown[] }).values);
          return [key, { name }];
        }
        return [key, walk(value)];
      }),
    );
  };
  return { spec: walk(spec) as TopLevelSpec, datasets };
}

export class LiveChart {
  private view: View | undefined;

  constructor(private readonly element: HTMLElement) {}

  /** Draws `spec`'s data: the first call embeds the chart, later ones replace the values of its data sets. */
  async show(fullSpec: TopLevelSpec): Promise<void> {
    const { spec, datasets } = nameInlineData(fullSpec);
    this.view ??= (await embed(this.element, spec, { actions: false, renderer: 'svg' })).view;
    for (const [name, values] of datasets) this.view.data(name, values);
    // resize(): lay the chart out again for the new axis labels (a '−29.5' is wider than the '0' of an empty axis).
    await this.view.resize().runAsync();
  }

  clear(): void {
    this.view?.finalize();
    this.view = undefined;
    this.element.replaceChildren();
  }
}
