import { publicPackageNames, runScript } from './run-script.js';

interface Release { name: string; type: 'major' | 'minor' | 'patch' | 'none'; oldVersion: string; newVersion: string }

describe('the release changesets would make now (tools/release/release-plan.mjs)', () => {
  const { code, stdout, stderr } = runScript('release-plan.mjs', [], 60_000);
  const plan = (code === 0 ? JSON.parse(stdout) : { releases: [] }) as { changesets: number; releases: Release[] };

  it('is computed', () => expect({ code, stderr }).toEqual({ code: 0, stderr: '' }));

  it('bumps no 0.x package to 1.0.0 (no accidental majors, e.g. from peer dependency ranges)', () => {
    const accidental = plan.releases.filter((r) => r.oldVersion.startsWith('0.') && !r.newVersion.startsWith('0.'));
    expect(accidental).toEqual([]);
  });

  it('releases only known public packages', () => {
    const known = new Set(publicPackageNames().map((p) => p.name));
    expect(plan.releases.filter((r) => !known.has(r.name)).map((r) => r.name)).toEqual([]);
  });
});
