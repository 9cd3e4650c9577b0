// Every library package's main entry must bundle for a browser: esbuild with platform=browser cannot resolve
// Node built-ins (fs, path, zlib, module, ...), so any that is reachable from an entry fails its bundle here.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..', '..');

// Adapters whose whole purpose is a Node native library; they have no browser entry by design.
const NODE_ONLY = new Set(['@trientropy/backend-node', '@trientropy/backend-cuda', '@trientropy/backend-native']);

interface Bundle {
  ok: boolean;
  errors: string[];
  /** Minified size of the bundle, its dependencies (tfjs-core) included. */
  bytes: number;
}

function buildErrors(error: unknown): string[] {
  const errors = ((error as { errors?: { text: string }[] }).errors ?? []).map((e) => e.text);
  return errors.length > 0 ? errors : [String(error)];
}

/**
 * Bundles one entry per specifier in a single esbuild run (tfjs-core is parsed once), each the way an app
 * would import it. When the joint run fails, each specifier is bundled alone so that the failure names it.
 */
async function bundleForBrowser(specifiers: readonly string[]): Promise<Map<string, Bundle>> {
  const dir = mkdtempSync(join(tmpdir(), 'browser-bundles-'));
  const entryPoints = specifiers.map((specifier, i) => {
    const file = join(dir, `entry${i}.mjs`);
    writeFileSync(file, `import * as m from ${JSON.stringify(specifier)}; globalThis.__exports = Object.keys(m).length;\n`);
    return file;
  });
  const results = new Map<string, Bundle>();
  try {
    const result = await build({ entryPoints, outdir: join(dir, 'out'), nodePaths: [join(root, 'node_modules')], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, logLevel: 'silent' });
    specifiers.forEach((specifier, i) => {
      const output = result.outputFiles.find((f) => f.path.endsWith(`entry${i}.js`))!;
      results.set(specifier, { ok: true, errors: [], bytes: output.contents.byteLength });
    });
  } catch (error) {
    if (specifiers.length === 1) results.set(specifiers[0]!, { ok: false, errors: buildErrors(error), bytes: 0 });
    else for (const specifier of specifiers) results.set(specifier, (await bundleForBrowser([specifier])).get(specifier)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const libraries = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir, 'package.json'))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { name: string; exports?: Record<string, unknown> });

describe('browser bundles of the library packages', () => {
  it('finds the libraries', () => {
    expect(libraries.map((p) => p.name)).toEqual(expect.arrayContaining(['@trientropy/distributions', '@trientropy/models', '@trientropy/trainers', '@trientropy/data', '@trientropy/backends', '@trientropy/backend-wasm']));
  });

  // The browser-only subpaths (the GPU adapters) and the apps' browser-safe ones: the CLI's Vega-Lite specs feed
  // the docs site's live charts.
  const browserLibraries = [...libraries.filter((p) => !NODE_ONLY.has(p.name)).map((p) => p.name), '@trientropy/backends/webgl', '@trientropy/backends/webgpu', '@trientropy/cli/plot-specs'];
  let bundles: Map<string, Bundle>;
  let nodeSubpath: Bundle;
  beforeAll(async () => {
    bundles = await bundleForBrowser(browserLibraries);
    nodeSubpath = (await bundleForBrowser(['@trientropy/data/node'])).get('@trientropy/data/node')!;
  });

  it.each(browserLibraries)('%s: the main entry bundles for the browser with no Node built-in', (name) => {
    const bundle = bundles.get(name)!;
    expect(bundle.errors).toEqual([]);
    expect(bundle.ok).toBe(true);
    console.log(`${name}: ${(bundle.bytes / 1024).toFixed(0)} KiB minified, dependencies included`);
  });

  it('the check itself detects a Node built-in (the /node subpaths must fail it)', () => {
    expect(nodeSubpath.ok).toBe(false);
    expect(nodeSubpath.errors.join('\n')).toMatch(/Could not resolve "(node:)?(fs|path|zlib|util)/);
  });

  it("keeps an adapter's self-registration when a page imports it only for its side effect", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'browser-bundles-'));
    try {
      const entry = join(dir, 'side-effect.mjs');
      writeFileSync(entry, "import '@trientropy/backend-wasm';\nimport '@trientropy/backends/webgl';\n");
      const result = await build({ entryPoints: [entry], nodePaths: [join(root, 'node_modules')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
      // With `sideEffects: false` a bundler drops the whole import, and selectBackend('auto') never sees wasm.
      expect(result.outputFiles[0]!.text).toContain('@trientropy/backends/registered-adapters');
      expect(result.outputFiles[0]!.text).toMatch(/WebGL needs a browser/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every /node subpath is declared in the exports map with ESM, CJS and types', () => {
    for (const pkg of libraries) {
      const entry = pkg.exports?.['./node'] as { import?: { types?: string; default?: string }; require?: { types?: string; default?: string } } | undefined;
      if (entry === undefined) continue;
      expect([pkg.name, entry.import?.types, entry.import?.default, entry.require?.types, entry.require?.default]).toEqual([pkg.name, './dist/node.d.ts', './dist/node.js', './dist/node.d.cts', './dist/node.cjs']);
    }
    expect(libraries.filter((p) => p.exports?.['./node'] !== undefined).map((p) => p.name)).toEqual(expect.arrayContaining(['@trientropy/data', '@trientropy/trainers']));
  });
});
