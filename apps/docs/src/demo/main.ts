// The demo page: controls, the training worker, and the live charts.
import { CHARTS, GAP_LINE } from './charts.js';
import { LiveChart } from './live-chart.js';
import { DEMO_VARIANTS, type DemoSettings, type EpochMessage, FINAL_LEARNING_RATE_FRACTION, type WorkerMessage } from './protocol.js';

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

/** Control id → URL parameter that may preset it (`demo.html?epochs=20&autostart=1`). */
const CONTROLS = { variant: 'variant', latents: 'latents', 'learning-rate': 'lr', epochs: 'epochs', seed: 'seed', backend: 'backend' } as const;

function settingsFromControls(): DemoSettings {
  const value = (id: keyof typeof CONTROLS) => $<HTMLInputElement>(id).value;
  return {
    variant: value('variant') as DemoSettings['variant'],
    latents: Number(value('latents')),
    learningRate: Number(value('learning-rate')),
    backend: value('backend') as DemoSettings['backend'],
    epochs: Number(value('epochs')),
    seed: Number(value('seed')),
    points: 2000,
    batchSize: 100,
  };
}

function initControls(): void {
  const variant = $<HTMLSelectElement>('variant');
  for (const name of DEMO_VARIANTS) variant.add(new Option(name, name));
  for (const [id, param] of Object.entries(CONTROLS)) {
    const preset = params.get(param);
    if (preset !== null) $<HTMLInputElement>(id).value = preset;
  }
  $('lr-note').textContent = `cosine decay to ${100 * FINAL_LEARNING_RATE_FRACTION} % of it`;
}

const charts = CHARTS.map((chart) => ({ ...chart, live: new LiveChart($(chart.id)) }));

function describe(last: EpochMessage): void {
  const c = last.certificate;
  $('metrics').textContent =
    `epoch ${last.epoch} (step ${last.step}, ${last.seconds.toFixed(1)} s)${last.epoch === 0 ? ', untrained' : ''}: ELBO ${last.elbo.toFixed(4)}, entropy sum ${last.entropySum.toFixed(4)}, ` +
    `raw gap ${(100 * last.rawGap).toFixed(2)} % of |ELBO| (closed-form steps: ${last.closedFormSteps.length === 0 ? 'none' : last.closedFormSteps.join(', ')})`;
  $('certificate').textContent =
    `stationarity certificate: ${c.converged ? 'stationary' : c.undecided ? 'undecided (Monte-Carlo noise)' : 'not stationary'} — largest gain of one more gradient step: ${(100 * c.maxRelativeGain).toFixed(3)} % of |ELBO| (${c.worstGroup})` +
    (c.reasons.length > 0 ? `; ${c.reasons.join('; ')}` : '');
  $('certificate').dataset['converged'] = String(c.converged);
}

/**
 * Draws the latest state; epochs that arrive while a drawing runs are drawn together by the next one, which waits
 * twice as long as the last drawing took (at least `MIN_DRAW_INTERVAL_MS`): the charts then take at most a
 * third of a core, and the training worker the rest.
 */
const MIN_DRAW_INTERVAL_MS = 400;
let drawing: Promise<void> | undefined;
let redraw = false;
/** Bumped by start and reset, so that a drawing still running for an older run stops. */
let generation = 0;
function scheduleDraw(): Promise<void> {
  if (drawing !== undefined) {
    redraw = true;
    return drawing;
  }
  const mine = generation;
  drawing = (async () => {
    do {
      redraw = false;
      const epochs = [...state.epochs];
      if (epochs.length === 0) break;
      const started = performance.now();
      describe(epochs[epochs.length - 1]!);
      for (const chart of charts) {
        if (generation !== mine) return;
        await chart.live.show(chart.spec(epochs));
      }
      const pause = Math.max(MIN_DRAW_INTERVAL_MS, 2 * (performance.now() - started));
      if (redraw) await new Promise((resolve) => setTimeout(resolve, pause));
    } while (redraw && generation === mine);
  })().finally(() => (drawing = undefined));
  return drawing;
}

let worker: Worker | undefined;

function clearCharts(): void {
  generation++;
  for (const chart of charts) chart.live.clear();
  $('metrics').textContent = '';
  $('certificate').textContent = '';
}

function start(): void {
  worker?.terminate();
  state.epochs = [];
  state.steps = undefined;
  state.error = undefined;
  clearCharts();
  const settings = settingsFromControls();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    if (message.type === 'backend') {
      state.backend = message.name;
      $('backend-report').textContent = message.report;
    } else if (message.type === 'epoch') {
      state.epochs.push(message);
      void scheduleDraw();
    } else if (message.type === 'done') {
      state.steps = message.steps;
      const last = state.epochs.at(-1)!;
      const certified = last.certificate.converged
        ? 'certified stationary'
        : last.certificate.undecided
          ? 'not certified stationary: the Monte-Carlo noise of the certificate cannot tell (see why above the controls)'
          : 'not certified stationary: more gradient steps still raise the ELBO (see why above the controls)';
      void scheduleDraw().then(() => setStatus('done', `done: ${message.steps} steps; the raw gap ${last.rawGap < GAP_LINE ? 'is' : 'is not'} below ${100 * GAP_LINE} % of |ELBO|; the end is ${certified}`));
    } else {
      state.error = message.message;
      setStatus('error', `error: ${message.message}`);
    }
  };
  worker.onerror = (event) => setStatus('error', `error: ${event.message}`);
  setStatus('training', `training ${settings.variant} with ${settings.latents} latent(s) for ${settings.epochs} epochs (seed ${settings.seed})…`);
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
  clearCharts();
  setStatus('idle', 'reset');
}

initControls();
$('start').addEventListener('click', start);
$('pause').addEventListener('click', pause);
$('reset').addEventListener('click', reset);
setStatus('idle', 'ready');
if (params.get('autostart') === '1') start();
