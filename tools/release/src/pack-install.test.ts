import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, publicPackageNames, runScript } from './run-script.js';

interface Step { name: string; ok: boolean; ms: number; output: string; program?: string }

// The programs the run must include: every runnable README example and every consumer check.
const expectedPrograms = [
  ...publicPackageNames().flatMap(({ rel }) => {
    const dir = join(ROOT, rel, 'examples');
    return existsSync(dir) ? readdirSync(dir).filter((n) => /\.(ts|mjs|cjs|js)$/.test(n) && !/\.test\./.test(n)).map((n) => `${rel}/examples/${n}`) : [];
  }),
  ...readdirSync(join(ROOT, 'tools', 'release', 'consumers')).filter((n) => /\.(mjs|cjs)$/.test(n)).map((n) => `consumers/${n}`),
].sort();

describe('packed, installed from the registry outside the workspace, and run as a user would (tools/release/pack-install.mjs)', () => {
  let steps: Step[] = [];
  let failure = '';

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'trientropy-pack-install-'));
    try {
      const { code, stdout, stderr } = runScript('pack-install.mjs', ['--json', join(dir, 'result.json')], 420_000);
      if (code > 1 || !existsSync(join(dir, 'result.json'))) failure = `pack-install.mjs exited ${code}: ${stderr}\n${stdout}`;
      else steps = (JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { steps: Step[] }).steps;
      console.log(stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 450_000);

  it('packs, installs and compiles the examples with tsc --strict', () => {
    expect(failure).toBe('');
    const setup = steps.filter((s) => s.program === undefined);
    expect(setup.filter((s) => !s.ok).map((s) => `${s.name}\n${s.output}`)).toEqual([]);
    expect(setup.length).toBeGreaterThanOrEqual(4);
  });

  it.each(expectedPrograms)('node %s exits 0', (program) => {
    const step = steps.find((s) => s.program === program);
    expect(step === undefined ? 'not run' : step.ok ? 'ok' : step.output).toBe('ok');
  });
});
