// Runs one of tools/release's scripts with plain node and returns its exit code and output.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

export function runScript(script: string, args: string[] = [], timeoutMs = 300_000): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'tools', 'release', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: result.status ?? 1, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

/** The public (non-private) workspace packages, read synchronously (for `it.each` at collection time). */
export function publicPackageNames(): { name: string; rel: string }[] {
  return ['packages', 'apps']
    .flatMap((dir) => (existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).map((name) => `${dir}/${name}`) : []))
    .filter((rel) => existsSync(join(ROOT, rel, 'package.json')))
    .map((rel) => ({ rel, manifest: JSON.parse(readFileSync(join(ROOT, rel, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ rel, manifest }) => ({ name: manifest.name, rel }));
}
