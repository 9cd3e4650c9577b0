// `npm run docs:serve`: serves the built site (apps/docs/dist) on 127.0.0.1 (port from PORT, default 4173).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import serverModule from './static-server.cjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
if (!existsSync(dist)) {
  console.error(`no built site at ${dist}: run \`npm run docs\` first`);
  process.exit(1);
}
const { url } = await serverModule.serveDirectory(dist, Number(process.env.PORT ?? 4173));
console.log(`trientropy docs: ${url} (live demo: ${url}demo.html); Ctrl-C stops`);
