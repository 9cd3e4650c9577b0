import { nativeAdapter } from './native-adapter.js';

export { nativeAdapter } from './native-adapter.js';
export { NativeBackend } from './native-backend.js';
export { NATIVE_KERNELS } from './native-kernels.js';
export { NATIVE_TFJS_BACKEND } from './register-native-backend.js';
export { FUSED_ADAM_KERNEL } from './fused-adam.js';
export { HOST_ROWS_KERNEL } from './host-rows.js';
export { DENSE_GRAD_KERNEL } from './dense-grad.js';
export { SQUARED_ERROR_KERNEL } from './squared-error.js';
export { GAUSSIAN_LATENT_KERNEL, GAUSSIAN_LATENT_GRAD_KERNEL } from './gaussian-latent.js';
export { RANDOM_NORMAL_KERNEL } from './random-normal.js';
export { MLP_GAUSSIAN_ELBO_KERNEL, MLP_GAUSSIAN_ELBO_GRAD_KERNEL } from './mlp-gaussian-elbo.js';
export { ADDON_PATH, BUILD_COMMAND, type AddonBuildReport, readBuildReport } from './addon.js';
export { SYSTEM_REQUIREMENTS } from './requirements.js';

/** The adapter under the name every adapter package exports, for `selectBackend`'s lazy loading. */
export const backendAdapter = nativeAdapter;
