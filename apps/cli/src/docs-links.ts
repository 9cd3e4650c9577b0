import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The CLI's package.json: its version and the docs site (`homepage`, set for every package by the release policy). */
function manifest(): { version: string; homepage: string } {
  return JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string; homepage: string };
}

/** The CLI's version. */
export function cliVersion(): string {
  return manifest().version;
}

/**
 * The pages and sections of the docs site that the CLI's help and errors point to: page, then the heading's id
 * (the site gives every heading an id from its text; a test checks each exists in apps/docs' sources).
 */
export const DOCS_SECTIONS = {
  theorem: ['theory.html', 'the-three-entropy-theorem'],
  entropies: ['theory.html', 'the-entropies-and-the-kl'],
  variants: ['theory.html', 'what-each-variant-changes'],
  gapIdentity: ['theory.html', 'the-gap-identity'],
  certificate: ['theory.html', 'the-stationarity-certificate'],
  collapse: ['theory.html', 'posterior-collapse'],
  commandLine: ['getting-started.html', 'the-command-line'],
} as const satisfies Record<string, readonly [string, string]>;

/** The address of a docs section, e.g. `https://…/theory.html#the-gap-identity`. */
export function docsUrl(section: keyof typeof DOCS_SECTIONS): string {
  const [page, anchor] = DOCS_SECTIONS[section];
  return `${manifest().homepage.replace(/\/?$/, '/')}${page}#${anchor}`;
}
