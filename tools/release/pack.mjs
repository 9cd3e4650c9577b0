// Packs every public workspace package with `npm pack` (what `npm publish` would upload), into one folder.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, publicPackages } from './package-policy.mjs';

/**
 * `npm pack` of every public package into `destination`; returns `{ name, version, rel, tarball, files }`
 * per package (`files`: the paths inside the tarball). The packages must be built (their `dist/`).
 */
export function packAll(destination) {
  const packages = publicPackages();
  const workspaces = packages.flatMap(({ rel }) => ['--workspace', rel]);
  const stdout = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, ...workspaces], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reports = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return reports.map((report) => {
    const pkg = packages.find(({ manifest }) => manifest.name === report.name);
    return {
      name: report.name,
      version: report.version,
      rel: pkg.rel,
      tarball: join(destination, report.filename),
      size: report.size,
      unpackedSize: report.unpackedSize,
      files: report.files.map((file) => file.path),
    };
  });
}
