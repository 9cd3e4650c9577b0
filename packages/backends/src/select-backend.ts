import type { BackendAdapter, BackendInfo, BackendInitOptions } from './backend-adapter.js';
import { type AdapterSource, isAdapter, resolveAdapters } from './adapter-lookup.js';
import { type BackendName, type BackendRequest, autoPreference, parseBackendRequest } from './backend-name.js';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import { errorMessage } from './error-message.js';

/** A backend `auto` passed over, and why. */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions extends AdapterSource {
  /**
   * Passed to the chosen adapter's `init` (e.g. `{ threads: 1 }` for wasm). Under `auto`, `wasmPaths` is
   * handed to wasm only, so that one options object serves a page whatever `auto` picks.
   */
  init?: BackendInitOptions;
}

/** What {@link selectBackend} started. */
export interface BackendSelection {
  /** What the caller asked for (`auto` or a backend name). */
  requested: BackendRequest;
  /** The backend that was started and is now tfjs's active backend. */
  name: BackendName;
  /** What was started: versions, SIMD, threads, device. */
  info: BackendInfo;
  /** For `auto`: the faster backends that were passed over, fastest first, each with its reason. */
  skipped: SkippedBackend[];
  /**
   * Human-readable account for logs and the CLI: the first line says which backend runs and why, e.g.
   * `backend: wasm (auto: fastest that loads)`, then one line per skipped backend with its reason.
   */
  report: string;
}


/** The init options `auto` hands to `backend`: `wasmPaths` concerns wasm alone. */
function autoInitOptions(backend: BackendName, init: BackendInitOptions | undefined): BackendInitOptions | undefined {
  if (init?.wasmPaths === undefined || backend === 'wasm') return init;
  const { wasmPaths: _wasmOnly, ...rest } = init;
  return rest;
}

function describeSelection(requested: BackendRequest, name: BackendName, info: BackendInfo, skipped: readonly SkippedBackend[]): string {
  const why = requested === 'auto' ? 'auto: fastest that loads' : 'requested';
  const lines = [`backend: ${name} (${why}) — ${info.kernels}, ${info.device}, SIMD ${info.simd ? 'on' : 'off'}, threads ${info.threads ?? 'managed by the backend'}`];
  for (const s of skipped) lines.push(`  skipped ${s.backend}: ${s.reason.split('\n')[0]}`);
  return lines.join('\n');
}

/**
 * Starts the backend the user asked for (`--backend auto|cpu|wasm|native|node|cuda|webgl|webgpu`) and makes it
 * tfjs's active backend.
 *
 * - A named backend is started or the call throws a {@link BackendUnavailableError} saying why and what to
 *   install; there is no silent fallback to another backend.
 * - `auto` tries, in Node, cuda > native > node > wasm > cpu ({@link AUTO_PREFERENCE}); in a browser,
 *   webgpu > webgl > wasm > cpu (`BROWSER_AUTO_PREFERENCE`); it starts the first that loads and is not
 *   a software-emulated GPU (see {@link BackendAdapter.autoSkipReason}). Every faster backend it passed over
 *   is listed in `skipped` with its reason. cpu always loads.
 *
 * Adapters are loaded lazily from the installed adapter packages (dynamic import), so this package never
 * hard-depends on them or on their optional native peers; pass `options.adapters` to choose them yourself.
 *
 * @example
 * const { name, report } = await selectBackend('auto');
 * console.log(report); // backend: wasm (auto: fastest that loads) — ...
 */
export async function selectBackend(request: BackendRequest | string, options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const requested = parseBackendRequest(request);
  const table = await resolveAdapters(options);
  if (requested !== 'auto') {
    const entry = table.get(requested)!;
    if (!isAdapter(entry)) throw new BackendUnavailableError(requested, entry.reason, entry.remedy);
    const check = entry.check();
    if (!check.available) throw new BackendUnavailableError(requested, check.reason ?? 'its availability check failed', check.remedy);
    const info = await entry.init(options.init);
    return { requested, name: requested, info, skipped: [], report: describeSelection(requested, requested, info, []) };
  }
  const skipped: SkippedBackend[] = [];
  for (const backend of autoPreference()) {
    const entry = table.get(backend)!;
    if (!isAdapter(entry)) {
      skipped.push({ backend, reason: entry.reason });
      continue;
    }
    const check = entry.check();
    if (!check.available) {
      skipped.push({ backend, reason: check.reason ?? 'its availability check failed' });
      continue;
    }
    try {
      const passOver = await entry.autoSkipReason?.();
      if (passOver !== undefined) {
        skipped.push({ backend, reason: passOver });
        continue;
      }
      const info = await entry.init(autoInitOptions(backend, options.init));
      return { requested, name: backend, info, skipped, report: describeSelection(requested, backend, info, skipped) };
    } catch (error) {
      // A backend that passed the static check but failed to start (a broken install) is reported, not hidden.
      skipped.push({ backend, reason: `failed to start: ${errorMessage(error)}` });
    }
  }
  // Reached only when cpu itself failed (e.g. init options it rejects): say so loudly.
  throw new Error(`no backend could be started: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
