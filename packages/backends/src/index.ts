export {
  ADAPTER_PACKAGES,
  AUTO_PREFERENCE,
  BROWSER_AUTO_PREFERENCE,
  BROWSER_BACKENDS,
  NODE_BACKENDS,
  autoPreference,
  runtimeBackends,
  BACKEND_NAMES,
  type BackendName,
  type BackendRequest,
  isBackendName,
  parseBackendRequest,
} from './backend-name.js';
export type { BackendAdapter, BackendCheck, BackendInfo, BackendInitOptions, BackendProbe } from './backend-adapter.js';
export { BackendUnavailableError } from './backend-unavailable-error.js';
export { cpuAdapter } from './cpu-adapter.js';
export { checkInitOptions } from './init-options-checks.js';
export { activateTfjsBackend, activeTfjsBackend, withActiveBackendRestored } from './tfjs-backend-switch.js';
export { type AdapterLoadFailure, type LoadedAdapters, type ModuleImporter, loadAdapter, loadInstalledAdapters } from './adapter-loader.js';
export type { AdapterSource } from './adapter-lookup.js';
export { registerBackendAdapter, registeredBackendAdapter } from './adapter-registry.js';
export { isNodeRuntime } from './runtime.js';
export { isSoftwareGpu } from './software-gpu.js';
export { importModule } from './import-module.js';
export { type BackendSelection, type SelectBackendOptions, type SkippedBackend, selectBackend } from './select-backend.js';
export { type BackendStatus, autoChoice, doctorReport, formatDoctorReport } from './doctor-report.js';
export { type OptionalPeerLoad, loadOptionalPeer, resolveOptionalPeer } from './optional-peer.js';
export { LIBTENSORFLOW_TFJS_BACKEND, type LibtensorflowStart, startLibtensorflowBackend } from './libtensorflow-backend.js';
export { errorMessage } from './error-message.js';
export { probeByStarting } from './probe-by-starting.js';
