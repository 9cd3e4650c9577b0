// Every code sample of the Getting-started page is a file in examples/ that runs here, as a user would run it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const docs = join(__dirname, '..');
const run = (file: string, args: string[] = []) => execFileSync(process.execPath, [join(docs, 'examples', file), ...args], { cwd: docs, encoding: 'utf8', timeout: 120_000 });

describe('Getting-started samples', () => {
  it('examples/node-cpu.mjs trains on cpu and prints ELBO and entropy sum per epoch', () => {
    const out = run('node-cpu.mjs');
    expect(out).toMatch(/^backend: cpu \(requested\)/);
    expect(out.match(/^epoch \d+: ELBO -?\d+\.\d+, entropy sum -?\d+\.\d+$/gm)).toHaveLength(3);
  });

  it('examples/node-wasm.mjs trains on wasm and prints the three entropies', () => {
    const out = run('node-wasm.mjs');
    expect(out).toMatch(/^backend: wasm$/m);
    expect(out).toMatch(/^ELBO -?\d+\.\d+, H\[q\(z\|x\)\] -?\d+\.\d+, H\[p\(z\)\] 2\.838, E H\[p\(x\|z\)\] -?\d+\.\d+$/m);
  });

  it('examples/node-native-backends.mjs reports node and cuda as unavailable with the reason, and auto picks what loads', () => {
    const out = run('node-native-backends.mjs');
    // tfjs-node cannot install here (its install downloads libtensorflow): the sample must say so, not fall back.
    expect(out).toMatch(/^node: (unavailable — .*tfjs-node.*|backend: node .*)$/m);
    expect(out).toMatch(/^cuda: (unavailable — .*|backend: cuda .*)$/m);
    expect(out).toMatch(/^backend: \w+ \(auto: fastest that loads\)/m);
  });

  it('examples/cli.sh runs: train with no flags, train on circle with wasm, doctor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trientropy-docs-cli-'));
    try {
      const cli = join(docs, '..', 'cli', 'dist', 'index.js');
      // The sample's `npx trientropy` is the workspace's CLI; run each of its lines with the built bin.
      const lines = readFileSync(join(docs, 'examples', 'cli.sh'), 'utf8').split('\n').filter((l) => l.startsWith('npx trientropy '));
      expect(lines).toHaveLength(3);
      const outputs = lines.map((line) => execFileSync(process.execPath, [cli, ...line.slice('npx trientropy '.length).split(' ')], { cwd: dir, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(outputs[0]).toMatch(/final .*ELBO/);
      expect(outputs[1]).toMatch(/final .*ELBO/);
      expect(outputs[2]).toMatch(/wasm/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
