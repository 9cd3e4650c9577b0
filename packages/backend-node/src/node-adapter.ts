import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import {
  type BackendAdapter,
  type BackendCheck,
  type BackendInfo,
  type BackendInitOptions,
  type BackendProbe,
  type ModuleImporter,
  checkInitOptions,
  importModule,
  resolveOptionalPeer,
  startLibtensorflowBackend,
  probeByStarting,
} from '@trientropy/backends';
import { LIBTENSORFLOW_VERSION, TFJS_NODE_PACKAGE, TFJS_NODE_PLATFORMS, TFJS_NODE_REMEDY, TFJS_NODE_REQUIREMENTS } from './tfjs-node-requirements.js';

/** Where this adapter looks for its optional peer, and how it imports it; tests substitute both. */
export interface NodeAdapterEnvironment {
  /** Resolves a package name to a file, or throws MODULE_NOT_FOUND. Default: resolution from this package. */
  resolve: (specifier: string) => string;
  /** Imports a package by name. Default: dynamic `import()`. */
  importer: ModuleImporter;
  /** `process.platform-process.arch`. */
  platform: string;
}

function defaultEnvironment(): NodeAdapterEnvironment {
  const localRequire = createRequire(import.meta.url);
  return { resolve: (s) => localRequire.resolve(s), importer: (s) => importModule(s, import.meta.url), platform: `${process.platform}-${process.arch}` };
}


/**
 * Creates the adapter for the `node` backend (libtensorflow's CPU kernels through the optional peer
 * `@tensorflow/tfjs-node`). `nodeAdapter` is this with the real environment; tests pass a fake one.
 */
export function createNodeAdapter(environment: NodeAdapterEnvironment = defaultEnvironment()): BackendAdapter {
  const adapter: BackendAdapter = {
    name: 'node',
    requirements: TFJS_NODE_REQUIREMENTS,
    check(): BackendCheck {
      if (!TFJS_NODE_PLATFORMS.includes(environment.platform)) {
        return { available: false, reason: `${TFJS_NODE_PACKAGE} has no prebuilt libtensorflow for ${environment.platform}`, remedy: `use the wasm backend on this platform, or run on one of ${TFJS_NODE_PLATFORMS.join(', ')}` };
      }
      // Resolving does not execute the package, so this stays cheap and never loads native code.
      if (resolveOptionalPeer(TFJS_NODE_PACKAGE, environment.resolve) === undefined) {
        return { available: false, reason: `${TFJS_NODE_PACKAGE} is not installed (it is an optional peer dependency)`, remedy: TFJS_NODE_REMEDY };
      }
      return { available: true };
    },
    isAvailable(): boolean {
      return adapter.check().available;
    },
    probe(): Promise<BackendProbe> {
      return probeByStarting(adapter, TFJS_NODE_REMEDY);
    },
    async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
      checkInitOptions('node', options, []);
      const started = await startLibtensorflowBackend('node', TFJS_NODE_PACKAGE, TFJS_NODE_REMEDY, environment.importer);
      return {
        backend: 'node',
        tfjsBackend: 'tensorflow',
        tfjsCoreVersion: tf.version_core,
        kernels: `${TFJS_NODE_PACKAGE}@${started.packageVersion} (libtensorflow ${started.tensorflowVersion})`,
        // libtensorflow's prebuilt CPU kernels are compiled with AVX (Eigen), so they are vectorised.
        simd: true,
        threads: undefined,
        device: 'CPU (libtensorflow, native)',
        notes: started.tensorflowVersion === LIBTENSORFLOW_VERSION || started.tensorflowVersion === 'unknown' ? [] : [`libtensorflow ${started.tensorflowVersion} loaded; tfjs-node 4.22 is built against ${LIBTENSORFLOW_VERSION}`],
      };
    },
  };
  return adapter;
}

/**
 * The `node` backend: TensorFlow's native CPU kernels (libtensorflow 2.9.1) through `@tensorflow/tfjs-node`,
 * an optional peer dependency that must be installed separately (its install script downloads libtensorflow).
 * `check()` only resolves the package; `init()` loads it and throws a BackendUnavailableError naming what to
 * install when it is missing or broken. Takes no options (libtensorflow manages its own thread pool).
 */
export const nodeAdapter: BackendAdapter = createNodeAdapter();
