import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { renderMarkdownFile } from './scripts/render-markdown.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const PAGES = { index: 'Home', 'getting-started': 'Getting started', theory: 'Theory', demo: 'Live demo' };

const nav = () =>
  `<nav class="site-nav"><strong>trientropy</strong> ${Object.entries(PAGES)
    .map(([page, title]) => `<a href="./${page}.html">${title}</a>`)
    .join(' ')} <a href="./api/index.html">API reference</a></nav>`;

/** What every page's `<head>` holds: its title and the site's shared script (styles, KaTeX's CSS). */
const head = (page) =>
  `<meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>trientropy — ${PAGES[page]}</title>
    <script type="module" src="./src/site.ts"></script>`;

/**
 * Fills each page's `<!-- head -->`, `<!-- nav -->` and `<!-- markdown: content/x.md -->` markers at build time,
 * before Vite bundles the scripts the head names.
 */
const pages = {
  name: 'trientropy-pages',
  transformIndexHtml: {
    order: 'pre',
    handler(html, { filename }) {
      const page = basename(filename, '.html');
      if (!(page in PAGES)) throw new Error(`${filename}: not one of the site's pages (${Object.keys(PAGES).join(', ')})`);
      return html
        .replace('<!-- head -->', head(page))
        .replace('<!-- nav -->', nav())
        .replace(/<!-- markdown: (\S+) -->/g, (_, file) => renderMarkdownFile(root, file));
    },
  },
};

export default defineConfig({
  root,
  base: './',
  plugins: [pages],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: Object.fromEntries(Object.keys(PAGES).map((page) => [page, `${root}${page}.html`])) },
  },
});
