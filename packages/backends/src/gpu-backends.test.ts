// The browser GPU backends as seen from Node (their browser behaviour is tested in Chromium:
// apps/docs/src/browser-backends.e2e.test.ts), and what `auto` does with an adapter's autoSkipReason.
import type { BackendInitOptions } from './backend-adapter.js';
import { BROWSER_AUTO_PREFERENCE, autoPreference, runtimeBackends } from './backend-name.js';
import { cpuAdapter } from './cpu-adapter.js';
import { doctorReport } from './doctor-report.js';
import { selectBackend } from './select-backend.js';
import { isSoftwareGpu } from './software-gpu.js';
import { fakeAdapter } from './test-support/fake-adapter.js';
import { webglAdapter } from './webgl-adapter.js';
import { webgpuAdapter } from './webgpu-adapter.js';

afterEach(async () => {
  await cpuAdapter.init();
});

describe('webgl and webgpu in Node', () => {
  it('are not backends of this runtime: auto and doctor leave them out', async () => {
    expect(runtimeBackends()).toEqual(['cpu', 'wasm', 'native', 'node', 'cuda']);
    expect(autoPreference()).toEqual(['cuda', 'native', 'node', 'wasm', 'cpu']);
    expect(BROWSER_AUTO_PREFERENCE).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect((await doctorReport({ adapters: [] })).map((s) => s.backend)).toEqual(['cpu', 'wasm', 'native', 'node', 'cuda']);
  });

  it.each(['webgl', 'webgpu'])('asked for by name, %s fails saying it needs a browser, without importing its adapter', async (name) => {
    const importer = jest.fn(async () => ({}));
    await expect(selectBackend(name, { importer })).rejects.toThrow(new RegExp(`${name} runs only in a browser .*this is Node`));
    expect(importer).not.toHaveBeenCalledWith(`@trientropy/backends/${name}`);
  });

  it('their adapters check for a browser and refuse to start in Node', async () => {
    expect(webglAdapter.check()).toMatchObject({ available: false, reason: expect.stringContaining('WebGL needs a browser') });
    expect(webgpuAdapter.check()).toMatchObject({ available: false, reason: expect.stringContaining('WebGPU needs a browser') });
    await expect(webglAdapter.init()).rejects.toThrow(/WebGL needs a browser/);
    await expect(webgpuAdapter.init()).rejects.toThrow(/WebGPU needs a browser/);
    await expect(webglAdapter.init({ threads: 2 })).rejects.toThrow(/threads: expected 1/);
  });
});

describe("auto and an adapter's autoSkipReason", () => {
  it('passes a working backend over with its reason, and starts it when it is asked for by name', async () => {
    const emulated = { ...fakeAdapter('native', { kind: 'works' }), autoSkipReason: async () => 'its device is a software emulation' };
    const selection = await selectBackend('auto', { adapters: [emulated] });
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toContainEqual({ backend: 'native', reason: 'its device is a software emulation' });
    expect(selection.report).toContain('skipped native: its device is a software emulation');
    await expect(selectBackend('native', { adapters: [emulated] })).resolves.toMatchObject({ name: 'native' });
  });

  it('hands wasmPaths to wasm only, so one options object serves whatever auto picks', async () => {
    const seen: (BackendInitOptions | undefined)[] = [];
    const native = fakeAdapter('native', { kind: 'works' });
    const recording = { ...native, init: async (options?: BackendInitOptions) => (seen.push(options), native.init()) };
    await selectBackend('auto', { adapters: [recording], init: { wasmPaths: '/assets/' } });
    expect(seen).toEqual([{}]);
  });
});

describe('isSoftwareGpu', () => {
  it.each([
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['google swiftshader', true],
    ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0)', false],
    ['Apple M2', false],
  ])('%s: %s', (name, software) => {
    expect(isSoftwareGpu(name)).toBe(software);
  });
});
