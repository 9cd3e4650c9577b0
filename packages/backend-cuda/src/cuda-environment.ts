import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CUDA_LIBRARIES } from './cuda-requirements.js';

/** Output of a command, or why it could not run. */
export interface CommandResult {
  stdout: string;
  /** Set when the command could not be run (e.g. ENOENT) or exited non-zero. */
  error?: string;
}

/** Runs a command; tests substitute a fake. */
export type CommandRunner = (command: string, args: readonly string[]) => CommandResult;

/** One GPU as nvidia-smi lists it. */
export interface GpuDescription {
  name: string;
  driverVersion: string;
}

/** What {@link inspectCudaEnvironment} found. */
export interface CudaEnvironment {
  /** GPUs the NVIDIA driver reports; empty when none or when nvidia-smi failed. */
  gpus: GpuDescription[];
  /** Why no GPU could be listed (nvidia-smi missing or failing), if so. */
  driverProblem?: string;
  /** Each library of {@link CUDA_LIBRARIES} and where it was found (`undefined`: not found). */
  libraries: { soname: string; path: string | undefined }[];
}

/** Runs a command synchronously with a 10 s limit, never throwing. */
export const runCommand: CommandRunner = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10000 });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return { stdout: '', error: code === 'ENOENT' ? `${command} not found` : `${command} failed: ${result.error.message}` };
  }
  if (result.status !== 0) {
    const firstLine = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n')[0] ?? '';
    return { stdout: result.stdout ?? '', error: `${command} exited with ${result.status}: ${firstLine}` };
  }
  return { stdout: result.stdout ?? '' };
};

/** Parses `nvidia-smi --query-gpu=name,driver_version --format=csv,noheader`: one `name, version` per line. */
export function parseNvidiaSmiGpus(csv: string): GpuDescription[] {
  return csv
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const comma = line.lastIndexOf(',');
      return comma < 0 ? { name: line, driverVersion: 'unknown' } : { name: line.slice(0, comma).trim(), driverVersion: line.slice(comma + 1).trim() };
    });
}

/**
 * Path of `soname` in the output of `ldconfig -p` (lines like `\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8`),
 * or `undefined`.
 */
export function findInLdconfigCache(ldconfigOutput: string, soname: string): string | undefined {
  for (const line of ldconfigOutput.split('\n')) {
    const match = /^\s*(\S+)\s+\([^)]*\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (match !== null && match[1] === soname) return match[2];
  }
  return undefined;
}

/** Compares dotted numeric versions (`460.27.03` vs `450.80.02`): negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const difference = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Looks at what the GPU build of libtensorflow needs on this machine, the way a person would: `nvidia-smi`
 * for the driver and GPUs, `ldconfig -p` and `LD_LIBRARY_PATH` for the CUDA and cuDNN libraries (Linux; on
 * other platforms the library search is skipped and every library reads as not found).
 */
export function inspectCudaEnvironment(
  run: CommandRunner = runCommand,
  libraryPath: string | undefined = process.env['LD_LIBRARY_PATH'],
  fileExists: (path: string) => boolean = existsSync,
): CudaEnvironment {
  const smi = run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
  const gpus = smi.error === undefined ? parseNvidiaSmiGpus(smi.stdout) : [];
  const environment: CudaEnvironment = { gpus, libraries: [] };
  if (smi.error !== undefined) environment.driverProblem = `${smi.error} (no NVIDIA driver installed, or not on PATH)`;
  else if (gpus.length === 0) environment.driverProblem = 'nvidia-smi lists no GPU';
  const ldconfig = run('ldconfig', ['-p']);
  const searchDirs = (libraryPath ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const soname of CUDA_LIBRARIES) {
    const fromPath = searchDirs.map((dir) => join(dir, soname)).find((candidate) => fileExists(candidate));
    environment.libraries.push({ soname, path: fromPath ?? findInLdconfigCache(ldconfig.stdout, soname) });
  }
  return environment;
}

/** Short human-readable findings, e.g. `GPU 0: NVIDIA H100 (driver 550.54.15); missing: libcudnn.so.8`. */
export function describeCudaEnvironment(environment: CudaEnvironment): string {
  const parts: string[] = [];
  if (environment.gpus.length > 0) {
    parts.push(environment.gpus.map((gpu, i) => `GPU ${i}: ${gpu.name} (driver ${gpu.driverVersion})`).join(', '));
  } else {
    parts.push(`no GPU: ${environment.driverProblem ?? 'unknown reason'}`);
  }
  const missing = environment.libraries.filter((library) => library.path === undefined).map((library) => library.soname);
  parts.push(missing.length === 0 ? 'all CUDA/cuDNN libraries found' : `missing: ${missing.join(', ')}`);
  return parts.join('; ');
}
