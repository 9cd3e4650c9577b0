// `npm run docs`: the Vite build of the pages and the demo, then TypeDoc's API reference into dist/api.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({ root, configFile: `${root}/vite.config.mjs`, logLevel: 'warn' });
const typedoc = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin', 'typedoc');
const result = spawnSync(process.execPath, [typedoc, '--options', 'typedoc.json', '--logLevel', 'Warn'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
console.log('site built in apps/docs/dist (API reference in dist/api)');
