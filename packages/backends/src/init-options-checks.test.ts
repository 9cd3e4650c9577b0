import { checkInitOptions } from './init-options-checks.js';

describe('checkInitOptions: wasmPaths', () => {
  it('is refused by a backend that loads no .wasm binaries, naming the option', () => {
    expect(() => checkInitOptions('cpu', { wasmPaths: '/assets/' }, [])).toThrow(/wasmPaths: expected unset \(only the wasm backend loads \.wasm binaries, not cpu\), got "\/assets\/"/);
  });

  it('is accepted where the adapter lists it', () => {
    expect(() => checkInitOptions('wasm', { wasmPaths: '/assets/' }, ['wasmPaths'])).not.toThrow();
  });
});
