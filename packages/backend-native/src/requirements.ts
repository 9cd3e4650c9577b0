/** What the native backend needs on the user's machine (shown by `doctor`). */
export const SYSTEM_REQUIREMENTS =
  'a C compiler and a BLAS at install time (Debian/Ubuntu: apt-get install build-essential libopenblas-dev; macOS: xcode-select --install, which brings clang and Accelerate); Node-API headers come with Node or the node-api-headers package';

/** Whether this platform has a build recipe (Linux with OpenBLAS, macOS with Accelerate). */
export function platformSupport(platform: NodeJS.Platform = process.platform): { supported: true } | { supported: false; reason: string; remedy: string } {
  if (platform === 'linux' || platform === 'darwin') return { supported: true };
  return {
    supported: false,
    reason: `the native addon has no build recipe for ${platform} (Linux with OpenBLAS and macOS with Accelerate only)`,
    remedy: 'use --backend wasm, which runs everywhere',
  };
}
