import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicPackageNames, runScript } from './run-script.js';

interface PackageResult { name: string; problems: string[]; size: number; files: number }

describe('attw, publint and tarball contents (tools/release/check-packages.mjs)', () => {
  let results: PackageResult[] = [];
  let failure = '';

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'trientropy-release-check-'));
    try {
      const { code, stdout, stderr } = runScript('check-packages.mjs', ['--json', join(dir, 'results.json')]);
      if (code > 1) failure = `check-packages.mjs exited ${code}: ${stderr}\n${stdout}`;
      else results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as PackageResult[];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('ran', () => expect(failure).toBe(''));

  it.each(publicPackageNames().map((p) => p.name))('%s is clean', (name) => {
    const result = results.find((r) => r.name === name);
    expect(result?.problems).toEqual([]);
  });
});
