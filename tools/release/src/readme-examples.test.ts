import { publicPackageNames, runScript } from './run-script.js';

describe('README examples (tools/release/examples.mjs)', () => {
  const { code, stdout, stderr } = runScript('examples.mjs', [], 60_000);
  const report = (code <= 1 && stdout.trim().startsWith('{') ? JSON.parse(stdout) : {}) as Record<string, string[]>;

  it('ran', () => {
    expect({ code: code <= 1 ? 'ran' : code, stderr }).toEqual({ code: 'ran', stderr: '' });
  });

  it.each(publicPackageNames().map((p) => p.rel))('%s: every code block is an example file, verbatim, and every example file is shown', (rel) => {
    expect(report[rel]).toEqual([]);
  });
});
