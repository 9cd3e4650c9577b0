import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_SECTIONS, docsUrl } from './docs-links.js';

const root = join(__dirname, '..', '..', '..');
const homepage = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { homepage: string }).homepage;

/** Heading ids of a docs page, as the site's build gives them (apps/docs/scripts/render-markdown.mjs). */
function headingIds(page: string): Set<string> {
  const html = readFileSync(join(root, 'apps', 'docs', page), 'utf8');
  const source = /<!-- markdown: (\S+) -->/.exec(html)?.[1];
  if (source === undefined) throw new Error(`apps/docs/${page} includes no markdown`);
  const ids = readFileSync(join(root, 'apps', 'docs', source), 'utf8')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.replace(/^#+ /, '').toLowerCase().replace(/<[^>]+>/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  return new Set(ids);
}

describe('links from the CLI to the docs site', () => {
  it('point at the published site and at sections that exist in its sources', () => {
    expect(homepage).toBe('https://trientropy.github.io/trientropy/');
    for (const section of Object.keys(DOCS_SECTIONS) as (keyof typeof DOCS_SECTIONS)[]) {
      const [page, anchor] = DOCS_SECTIONS[section];
      expect(docsUrl(section)).toBe(`${homepage}${page}#${anchor}`);
      expect([...headingIds(page)]).toContain(anchor);
    }
  });

  it('in the README name only existing pages and sections (the sources use docsUrl, checked above)', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const links = [...readme.matchAll(/https:\/\/trientropy\.github\.io\/trientropy\/([a-z-]+\.html)(?:#([a-z0-9-]+))?/g)];
    expect(links.length).toBeGreaterThan(0);
    for (const [, page, anchor] of links) {
      const ids = headingIds(page!);
      if (anchor !== undefined) expect([...ids]).toContain(anchor);
    }
  });
});
