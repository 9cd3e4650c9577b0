// The demo page: controls, the training worker, and the live charts.
import embed from 'vega-embed';
import type { View } from 'vega';
import { curvesSpec, encoderEntropiesSpec, gapSpec, latentSpec, reconstructionSpec } from './charts.js';
import { DEMO_VARIANTS, type DemoSettings, type EpochMessage, type WorkerMessage } from './protocol.js';

interface DemoState {
  status: 'idle' | 'training' | 'paused' | 'done' | 'error';
  backend?: string;
  epochs: EpochMessage[];
  error?: string;
  steps?: number;
}

const state: DemoState = { status: 'idle', epochs: [] };
// Read by the end-to-end test (apps/docs/src/site.e2e.test.ts) and handy in the console.
(window as unknown as { demoState: DemoState }).demoState = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

function setStatus(status: DemoState['status'], text: string): void {
  state.status = status;
  document.body.dataset['status'] = status;
  $('status').textContent = text;
}

function settingsFromControls(): DemoSettings {
  return {
    variant: $<HTMLSelectElement>('variant').value as DemoSettings['variant'],
    latents: Number($<HTMLInputElement>('latents').value),
    learningRate: Number($<HTMLInputElement>('learning-rate').value),
    backend: $<HTMLSelectElement>('backend').value as DemoSettings['backend'],
    epochs: Number($<HTMLInputElement>('epochs').value),
    seed: 1,
    points: 2000,
    batchSize: 100,
  };
}

function initControls(): void {
  const variant = $<HTMLSelectElement>('variant');
  for (const name of DEMO_VARIANTS) variant.add(new Option(name, name));
  for (const [param, id] of [['variant', 'variant'], ['latents', 'latents'], ['lr', 'learning-rate'], ['backend', 'backend'], ['epochs', 'epochs']] as const) {
    const value = params.get(param);
    if (value !== null) $<HTMLInputElement>(id).value = value;
  }
}

/** Each chart's element id, spec and the name of the data set the page replaces. */
const CHARTS = [
  { id: 'chart-curves', spec: curvesSpec, data: 'curves' },
  { id: 'chart-gap', spec: gapSpec, data: 'gap' },
  { id: 'chart-entropies', spec: encoderEntropiesSpec, data: 'entropies' },
  { id: 'chart-latent', spec: latentSpec, data: 'latent' },
  { id: 'chart-reconstruction', spec: reconstructionSpec, data: 'points' },
] as const;
type ChartData = Record<(typeof CHARTS)[number]['data'], unknown[]>;

const views = new Map<string, View>();
async function initCharts(): Promise<void> {
  for (const chart of CHARTS) views.set(chart.data, (await embed(`#${chart.id}`, chart.spec, { actions: false, renderer: 'svg' })).view);
}

async function showData(data: ChartData): Promise<void> {
  for (const chart of CHARTS) await views.get(chart.data)!.data(chart.data, data[chart.data]).runAsync();
}

function angleOf([x, y]: [number, number]): number {
  return Math.atan2(y - 0.5, x - 0.5);
}

async function draw(): Promise<void> {
  const epochs = state.epochs;
  const last = epochs[epochs.length - 1];
  if (last === undefined) return;
  await showData({
    curves: epochs.flatMap((e) => [{ epoch: e.epoch, series: 'ELBO', value: e.elbo }, { epoch: e.epoch, series: 'entropy sum', value: e.entropySum }]),
    gap: epochs.map((e) => ({ epoch: e.epoch, gap: Math.max(e.rawGap, 1e-6) })),
    entropies: epochs.flatMap((e) => e.encoderEntropies.map((entropy, h) => ({ epoch: e.epoch, latent: `z${h + 1}`, entropy }))),
    latent: last.latent.map(([z1, z2], i) => ({ z1, z2, angle: angleOf(last.data[i]!) })),
    points: [...last.data.map((p) => ({ x1: p[0], x2: p[1], kind: 'data', angle: angleOf(p) })), ...last.reconstruction.map((p, i) => ({ x1: p[0], x2: p[1], kind: 'reconstruction', angle: angleOf(last.data[i]!) }))],
  });
  const c = last.certificate;
  $('metrics').textContent =
    `epoch ${last.epoch} (step ${last.step}): ELBO ${last.elbo.toFixed(4)}, entropy sum ${last.entropySum.toFixed(4)}, raw gap ${(100 * last.rawGap).toFixed(2)} % (closed-form steps: ${last.closedFormSteps.length === 0 ? 'none' : last.closedFormSteps.join(', ')})`;
  $('certificate').textContent =
    c === undefined
      ? ''
      : `stationarity certificate: ${c.converged ? 'converged' : 'not yet'} — largest gain of one more gradient step: ${(100 * c.maxRelativeGain).toFixed(3)} % (${c.worstGroup})${c.reasons.length > 0 ? `; ${c.reasons.join('; ')}` : ''}`;
}

let worker: Worker | undefined;
let drawing = Promise.resolve();

function start(): void {
  worker?.terminate();
  state.epochs = [];
  state.steps = undefined;
  const settings = settingsFromControls();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    if (message.type === 'backend') {
      state.backend = message.name;
      $('backend-report').textContent = message.report;
    } else if (message.type === 'epoch') {
      state.epochs.push(message);
      drawing = drawing.then(draw);
    } else if (message.type === 'done') {
      state.steps = message.steps;
      drawing = drawing.then(() => setStatus('done', `done: ${message.steps} steps`));
    } else {
      state.error = message.message;
      setStatus('error', `error: ${message.message}`);
    }
  };
  worker.onerror = (event) => setStatus('error', `error: ${event.message}`);
  setStatus('training', `training ${settings.variant} with ${settings.latents} latent(s) for ${settings.epochs} epochs…`);
  worker.postMessage({ type: 'start', settings });
}

function pause(): void {
  if (worker === undefined) return;
  if (state.status === 'training') {
    worker.postMessage({ type: 'pause' });
    setStatus('paused', 'paused');
  } else if (state.status === 'paused') {
    worker.postMessage({ type: 'resume' });
    setStatus('training', 'training…');
  }
}

function reset(): void {
  worker?.terminate();
  worker = undefined;
  state.epochs = [];
  void showData({ curves: [], gap: [], entropies: [], latent: [], points: [] });
  $('metrics').textContent = '';
  $('certificate').textContent = '';
  setStatus('idle', 'reset');
}

initControls();
$('start').addEventListener('click', start);
$('pause').addEventListener('click', pause);
$('reset').addEventListener('click', reset);
await initCharts();
setStatus('idle', 'ready');
if (params.get('autostart') === '1') start();
