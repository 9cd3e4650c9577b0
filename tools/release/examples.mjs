// README examples: every TypeScript/JavaScript code block of a package README is a file under that package's
// examples/ folder, named by the comment line `<!-- example: examples/FILE -->` right above the block, and the
// block is that file verbatim. The pack-install test runs the files; this module finds and checks them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicPackages } from './package-policy.mjs';

const CODE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'cjs']);
const MARKER = /^<!--\s*example:\s*(\S+)\s*-->$/;

/** The fenced code blocks of a Markdown text: `{ language, body, marker, line }` (marker: the example path or undefined). */
export function codeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (open === null) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const marker = previous >= 0 ? MARKER.exec(lines[previous].trim())?.[1] : undefined;
    blocks.push({ language: open[1], body: `${lines.slice(i + 1, end).join('\n')}\n`, marker, line: i + 1 });
    i = end;
  }
  return blocks;
}

/** Problems of one package's README against its examples/ folder, as sentences. */
export function readmeExampleProblems(dir, rel) {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return [`${rel}/README.md is missing`];
  const problems = [];
  const used = new Set();
  for (const block of codeBlocks(readFileSync(readme, 'utf8'))) {
    if (!CODE_LANGUAGES.has(block.language)) continue;
    if (block.marker === undefined) {
      problems.push(`${rel}/README.md:${block.line}: a ${block.language} code block without an <!-- example: examples/FILE --> line above it`);
      continue;
    }
    used.add(block.marker);
    const file = join(dir, block.marker);
    if (!existsSync(file)) problems.push(`${rel}/README.md:${block.line}: ${block.marker} does not exist`);
    else if (readFileSync(file, 'utf8') !== block.body) problems.push(`${rel}/README.md:${block.line}: the code block differs from ${block.marker}`);
  }
  for (const name of exampleFiles(dir)) {
    if (!used.has(`examples/${name}`)) problems.push(`${rel}/examples/${name} is not shown in the README`);
  }
  return problems;
}

/** The example files of a package folder (names inside examples/). */
export function exampleFiles(dir) {
  const examples = join(dir, 'examples');
  return existsSync(examples) ? readdirSync(examples).filter((name) => /\.(ts|mts|mjs|cjs|js)$/.test(name)).sort() : [];
}

/** Every example of every public package: `{ pkg, rel, name, path, runs }` (`*.test.ts` files are only compiled). */
export function allExamples() {
  return publicPackages().flatMap(({ dir, rel, manifest }) =>
    exampleFiles(dir).map((name) => ({ pkg: manifest.name, rel, name, path: join(dir, 'examples', name), runs: !/\.test\.[a-z]+$/.test(name) })),
  );
}

// `node tools/release/examples.mjs`: the README problems of every public package, as JSON `{ rel: [problems] }`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = Object.fromEntries(publicPackages().map(({ dir, rel }) => [rel, readmeExampleProblems(dir, rel)]));
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = Object.values(report).some((problems) => problems.length > 0) ? 1 : 0;
}
