import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './backend-name.js';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import type { ModuleImporter } from './adapter-loader.js';
import { importModule } from './import-module.js';
import { loadOptionalPeer } from './optional-peer.js';
import { activateTfjsBackend } from './tfjs-backend-switch.js';
import { errorMessage } from './error-message.js';

/** Name under which tfjs-node and tfjs-node-gpu register their backend. */
export const LIBTENSORFLOW_TFJS_BACKEND = 'tensorflow';

/** What {@link startLibtensorflowBackend} started. */
export interface LibtensorflowStart {
  /** Version of the tfjs-node flavour package, e.g. `4.22.0`. */
  packageVersion: string;
  /** Version of the libtensorflow shared library it loaded, e.g. `2.9.1`; `unknown` if it does not say. */
  tensorflowVersion: string;
  /** Whether TensorFlow placed its kernels on a GPU (only ever true for tfjs-node-gpu with working CUDA). */
  usingGpu: boolean;
}

/** The fields of tfjs-node's NodeJSKernelBackend read here (not part of tfjs-core's types). */
interface NodeKernelBackendFields {
  binding?: { TF_Version?: unknown };
  isUsingGpuDevice?: unknown;
}


/**
 * Loads `@tensorflow/tfjs-node` or `@tensorflow/tfjs-node-gpu` (an optional peer, imported by name so nothing
 * breaks when it is absent), makes its `tensorflow` backend tfjs's active backend and reports what it loaded.
 * Shared by @trientropy/backend-node and @trientropy/backend-cuda.
 *
 * Throws a {@link BackendUnavailableError} for `backend` with `remedy` when the package is missing, when it
 * fails to load (e.g. its native addon or libtensorflow was never downloaded because install scripts did not
 * run, or a CUDA library is missing), or when it registered its backend with a different copy of
 * @tensorflow/tfjs-core than the one in use here (two tfjs-core versions installed).
 */
export async function startLibtensorflowBackend(
  backend: BackendName,
  packageName: string,
  remedy: string,
  importer: ModuleImporter = (specifier) => importModule(specifier, import.meta.url),
): Promise<LibtensorflowStart> {
  const load = await loadOptionalPeer(packageName, importer);
  if (!load.loaded) {
    const reason = load.missing ? `${packageName} is not installed` : `${packageName} is installed but failed to load: ${load.message}`;
    throw new BackendUnavailableError(backend, reason, remedy, { cause: load.error });
  }
  if (tf.findBackendFactory(LIBTENSORFLOW_TFJS_BACKEND) === null) {
    throw new BackendUnavailableError(
      backend,
      `${packageName} loaded, but its '${LIBTENSORFLOW_TFJS_BACKEND}' backend is not registered with the @tensorflow/tfjs-core ${tf.version_core} in use here (it is using another copy of tfjs-core)`,
      `install matching versions so npm dedupes tfjs-core: npm install ${packageName}@${tf.version_core} @tensorflow/tfjs-core@${tf.version_core}; check with npm ls @tensorflow/tfjs-core`,
    );
  }
  try {
    await activateTfjsBackend(LIBTENSORFLOW_TFJS_BACKEND);
  } catch (error) {
    throw new BackendUnavailableError(backend, `${packageName} loaded but its backend failed to start: ${errorMessage(error)}`, remedy, { cause: error });
  }
  const module = load.module as { version?: Record<string, unknown> } | null;
  const kernelBackend = tf.backend() as unknown as NodeKernelBackendFields;
  const packageVersion = module?.version?.['tfjs-node'];
  const tensorflowVersion = kernelBackend.binding?.TF_Version;
  return {
    packageVersion: typeof packageVersion === 'string' ? packageVersion : 'unknown',
    tensorflowVersion: typeof tensorflowVersion === 'string' ? tensorflowVersion : 'unknown',
    usingGpu: kernelBackend.isUsingGpuDevice === true,
  };
}
