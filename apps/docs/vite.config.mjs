import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { renderMarkdownFile } from './scripts/render-markdown.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const PAGES = { index: 'Home', 'getting-started': 'Getting started', theory: 'Theory', demo: 'Live demo' };

const nav = () =>
  `<nav class="site-nav"><strong>trientropy</strong> ${Object.entries(PAGES)
    .map(([page, title]) => `<a href="./${page}.html">${title}</a>`)
    .join(' ')} <a href="./api/index.html">API reference</a></nav>`;

/** Fills each page's `<!-- nav -->` and `<!-- markdown: content/x.md -->` markers at build time. */
const pages = {
  name: 'trientropy-pages',
  transformIndexHtml(html) {
    return html.replace('<!-- nav -->', nav()).replace(/<!-- markdown: (\S+) -->/g, (_, file) => renderMarkdownFile(root, file));
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
