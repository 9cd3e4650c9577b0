import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, publicPackageNames, runScript } from './run-script.js';

describe('publishing policy (tools/release/package-policy.mjs)', () => {
  it('holds for every public package: metadata, LICENSE, engines, caret ranges, sideEffects', () => {
    const { code, stdout, stderr } = runScript('package-policy.mjs');
    expect({ code, problems: stdout.split('\n').filter((line) => line.includes('package.json') || line.includes('LICENSE')), stderr }).toEqual({ code: 0, problems: [], stderr: '' });
    expect(stdout).toMatch(/package policy: \d+ packages conform/);
  });

  it('runs these checks after every public package is built (each is a dev dependency of this project)', () => {
    const own = JSON.parse(readFileSync(join(ROOT, 'tools', 'release', 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(own.devDependencies).sort()).toEqual(publicPackageNames().map((p) => p.name).sort());
  });

  it('uses one engines policy everywhere, the root included', () => {
    const engines = [ROOT, ...publicPackageNames().map((p) => join(ROOT, p.rel))].map((dir) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node);
    expect(new Set(engines)).toEqual(new Set(['>=20.19']));
  });
});
