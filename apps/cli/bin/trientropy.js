#!/usr/bin/env node
// The `trientropy` command's launcher. It is committed (not built) so that npm can link the bin as soon as
// `npm ci` runs in a fresh clone; it starts the built CLI in ../dist, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write(
    `trientropy: the CLI is not built yet (${entry} is missing); run 'npm start' or 'npx nx run @trientropy/cli:build' in the repository first\n`,
  );
  process.exitCode = 1;
} else {
  await import(pathToFileURL(entry).href);
}
