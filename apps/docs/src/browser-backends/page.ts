// The page of the browser-backend test (browser-backends.e2e.test.ts): @trientropy/backends' browser entry, its
// webgl and webgpu subpaths and @trientropy/backend-wasm, bundled by esbuild as an app would import them. It
// exposes selection and a fixed-seed training run to the test through `window.backendsUnderTest`.
import { type BackendRequest, BackendUnavailableError, selectBackend } from '@trientropy/backends';
import { trainFixedSeedVae } from '@trientropy/backends/testing';
import '@trientropy/backends/webgl';
import '@trientropy/backends/webgpu';
import '@trientropy/backend-wasm';

/** The test serves tfjs-backend-wasm's binaries next to this page; tfjs takes their location once, at wasm's first start. */
const init = { wasmPaths: './' };
let wasmStarted = false;

export interface SelectionResult {
  ok: boolean;
  name?: string;
  device?: string;
  notes?: string[];
  skipped?: { backend: string; reason: string }[];
  report?: string;
  error?: string;
  unavailable?: boolean;
}

export interface TrainingResult {
  selection: SelectionResult;
  losses: number[];
  parameters: number[][];
  tensorsLeftBehind: number;
  seconds: number;
}

async function select(request: BackendRequest): Promise<SelectionResult> {
  try {
    const s = await selectBackend(request, (request === 'wasm' || request === 'auto') && !wasmStarted ? { init } : {});
    wasmStarted ||= s.name === 'wasm';
    return { ok: true, name: s.name, device: s.info.device, notes: s.info.notes, skipped: s.skipped, report: s.report };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), unavailable: error instanceof BackendUnavailableError };
  }
}

async function train(request: BackendRequest, steps: number): Promise<TrainingResult> {
  const selection = await select(request);
  if (!selection.ok) throw new Error(`${request}: ${selection.error}`);
  const started = performance.now();
  const run = await trainFixedSeedVae({ steps });
  return {
    selection,
    losses: Array.from(run.losses),
    parameters: run.parameters.map((p) => Array.from(p)),
    tensorsLeftBehind: run.tensorsLeftBehind,
    seconds: (performance.now() - started) / 1000,
  };
}

(window as unknown as { backendsUnderTest: unknown }).backendsUnderTest = { select, train };
document.body.dataset['ready'] = 'true';
