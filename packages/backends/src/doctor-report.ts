import type { BackendInfo, BackendProbe } from './backend-adapter.js';
import { type AdapterSource, isAdapter, resolveAdapters } from './adapter-lookup.js';
import { ADAPTER_PACKAGES, type BackendName, autoPreference, runtimeBackends } from './backend-name.js';
import { errorMessage } from './error-message.js';

/** One row of the `doctor` report. */
export interface BackendStatus {
  backend: BackendName;
  /** npm package of the adapter. */
  adapterPackage: string;
  /** What the backend needs (from the adapter; empty when the adapter package could not be loaded). */
  requirements: string;
  /** Whether the backend was started successfully. */
  loads: boolean;
  /** Why it does not load (set exactly when `loads` is false). */
  reason?: string;
  /** What to do about it. */
  remedy?: string;
  /** What was started, when it loads. */
  info?: BackendInfo;
}


/**
 * Probes every backend of this runtime (cpu, wasm, native, node, cuda in Node; cpu, wasm, webgl, webgpu in a
 * browser) by really starting it, and reports whether it loads and why
 * not. Adapter packages that are not installed (or not passed in `source.adapters`) are reported as not
 * loading, with the package to install. The previously active tfjs backend is restored after each probe.
 * Probes run one after another because each one switches tfjs's global backend. Never throws for a backend
 * that fails: that is what the report is for.
 */
export async function doctorReport(source: AdapterSource = {}): Promise<BackendStatus[]> {
  const table = await resolveAdapters(source);
  const statuses: BackendStatus[] = [];
  for (const backend of runtimeBackends()) {
    const entry = table.get(backend)!;
    const adapterPackage = ADAPTER_PACKAGES[backend];
    if (!isAdapter(entry)) {
      statuses.push({ backend, adapterPackage, requirements: '', loads: false, reason: entry.reason, remedy: entry.remedy });
      continue;
    }
    const check = entry.check();
    let probe: BackendProbe;
    try {
      probe = check.available ? await entry.probe() : check;
    } catch (error) {
      // probe() is meant to report failures itself; one that throws is still reported, not propagated.
      probe = { available: false, reason: `probing it threw: ${errorMessage(error)}` };
    }
    const status: BackendStatus = { backend, adapterPackage, requirements: entry.requirements, loads: probe.available };
    if (probe.reason !== undefined) status.reason = probe.reason;
    else if (!probe.available) status.reason = 'its availability check failed without a reason';
    if (probe.remedy !== undefined) status.remedy = probe.remedy;
    if (probe.info !== undefined) status.info = probe.info;
    statuses.push(status);
  }
  return statuses;
}

/** The backend `selectBackend('auto')` would start, given a {@link doctorReport}. */
export function autoChoice(statuses: readonly BackendStatus[]): BackendName {
  for (const backend of autoPreference()) {
    if (statuses.some((s) => s.backend === backend && s.loads)) return backend;
  }
  return 'cpu';
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/**
 * Formats a {@link doctorReport} as the text `trientropy doctor` prints: a table of every backend, then, for
 * each one that does not load, the reason, the fix and what it needs, then any notes (e.g. why wasm runs on
 * one thread), then the backend `--backend auto` would pick.
 */
export function formatDoctorReport(statuses: readonly BackendStatus[]): string {
  const header = ['backend', 'loads', 'kernels', 'simd', 'threads', 'device'];
  const rows = statuses.map((s) =>
    s.info === undefined
      ? [s.backend, s.loads ? 'yes' : 'NO', '-', '-', '-', '-']
      : [s.backend, s.loads ? 'yes' : 'NO', s.info.kernels, s.info.simd ? 'yes' : 'no', s.info.threads === undefined ? 'own pool' : String(s.info.threads), s.info.device],
  );
  const lines = [table([header, ...rows]), ''];
  for (const s of statuses) {
    if (!s.loads) {
      lines.push(`${s.backend}: does not load: ${s.reason ?? 'unknown reason'}`);
      if (s.remedy !== undefined) lines.push(`  fix: ${s.remedy.split('\n').join('\n       ')}`);
      if (s.requirements !== '') lines.push(`  needs: ${s.requirements}`);
    }
    for (const note of s.info?.notes ?? []) lines.push(`${s.backend}: note: ${note}`);
  }
  lines.push(`--backend auto would use: ${autoChoice(statuses)}`);
  return lines.join('\n');
}
