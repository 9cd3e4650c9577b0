// Build-time page rendering: markdown (marked) with maths rendered by KaTeX to HTML, and code samples
// pulled in from the files that the tests run (`<!-- sample: examples/x.mjs -->`), so no sample can rot.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import katex from 'katex';
import { Marked } from 'marked';

const LANGUAGES = { '.mjs': 'js', '.js': 'js', '.ts': 'ts', '.sh': 'sh' };
const slug = (text) => text.toLowerCase().replace(/<[^>]+>/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
// Headings get ids (`theory.html#the-gap-identity`), which the e2e test checks for every in-site link.
const marked = new Marked({ gfm: true }).use({
  renderer: {
    heading({ tokens, depth, text }) {
      return `<h${depth} id="${slug(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

/** Renders `content/<name>.md` (relative to `root`) to HTML. */
export function renderMarkdownFile(root, name) {
  let source = readFileSync(join(root, name), 'utf8');
  source = source.replace(/<!-- sample: (\S+) -->/g, (_, file) => {
    const code = readFileSync(join(root, file), 'utf8').trimEnd();
    return `<p class="sample-file"><code>apps/docs/${file}</code></p>\n\n\`\`\`${LANGUAGES[extname(file)] ?? ''}\n${code}\n\`\`\``;
  });
  // Maths first, into placeholders, so that marked never sees (and mangles) TeX or KaTeX's HTML.
  const maths = [];
  const hold = (tex, displayMode) => {
    maths.push(katex.renderToString(tex, { displayMode, throwOnError: true, output: 'html' }));
    return `\u0000MATH${maths.length - 1}\u0000`;
  };
  const pieces = source.split(/(```[\s\S]*?```)/); // leave fenced code alone
  source = pieces
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex) => hold(tex, true)).replace(/(?<![\\$])\$([^$\n]+?)\$/g, (_, tex) => hold(tex, false))))
    .join('');
  const html = marked.parse(source);
  return html.replace(/\u0000MATH(\d+)\u0000/g, (_, i) => maths[Number(i)]);
}
