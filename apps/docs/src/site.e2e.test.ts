// End-to-end: the built site (npm run docs) served on 127.0.0.1, opened in Debian's Chromium through
// playwright-core (never a downloaded browser). The demo trains with its defaults on wasm in its worker: the
// raw gap (no closed-form step ran) must be large at epoch 0 and below 5 % at the end, the ELBO must rise past
// that of the best single Gaussian (the posterior-collapse solution), no console error may occur and no request
// may leave 127.0.0.1; every page and API link must resolve.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { generateCircle } from '@trientropy/data';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM, describeInChromium } from './test-support/chromium.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serveDirectory } = require('../scripts/static-server.cjs') as { serveDirectory(root: string, port?: number): Promise<{ server: Server; url: string }> };

const dist = join(__dirname, '..', 'dist');
/** The demo's defaults (demo.html): 100 epochs of the circle data, seed 1. */
const EPOCHS = 100;
const DEMO_DATA = { n: 2000, noiseStd: 0.05, seed: 1 };
const PAGES = ['index.html', 'getting-started.html', 'theory.html', 'demo.html', 'api/index.html'];

interface DemoEpoch {
  epoch: number;
  step: number;
  elbo: number;
  entropySum: number;
  rawGap: number;
  closedFormSteps: string[];
  certificate?: { converged: boolean; maxRelativeGain: number; worstGroup: string };
}

/** Log-likelihood per point of the maximum-likelihood Gaussian of the data, −½ log det(2πe Σ): the ELBO of posterior collapse. */
function gaussianFitLogLikelihood({ n, noiseStd, seed }: typeof DEMO_DATA): number {
  const { values, rows } = generateCircle({ n, noiseStd, seed });
  const mean = [0, 1].map((j) => values.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / rows);
  const cov = [[0, 0], [0, 0]];
  for (let r = 0; r < rows; r++) for (const j of [0, 1]) for (const k of [0, 1]) cov[j]![k]! += ((values[2 * r + j]! - mean[j]!) * (values[2 * r + k]! - mean[k]!)) / rows;
  const det = cov[0]![0]! * cov[1]![1]! - cov[0]![1]! * cov[1]![0]!;
  return -0.5 * Math.log((2 * Math.PI * Math.E) ** 2 * det);
}

describeInChromium('the docs site in Chromium', () => {
  let server: Server;
  let base: string;
  let context: BrowserContext;
  let userDir: string;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(dist, 'demo.html')) || !existsSync(join(dist, 'api', 'index.html'))) throw new Error(`no built site at ${dist}: run \`npm run docs\``);
    ({ server, url: base } = await serveDirectory(dist));
    userDir = mkdtempSync(join(tmpdir(), 'trientropy-chromium-'));
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
    });
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.page()?.url() ?? '?'}: ${message.text()}`);
    });
    context.on('weberror', (error) => consoleErrors.push(`page error: ${error.error().message}`));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it(`trains the demo VAE with its defaults (${EPOCHS} epochs) on wasm in a worker: the raw gap falls from large to below 5 %, the ELBO rises past one Gaussian's`, async () => {
    const page = await context.newPage();
    await page.goto(`${base}demo.html?autostart=1&backend=wasm`);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset['status'] ?? ''), undefined, { timeout: 540_000 });
    const state = await page.evaluate(() => (window as unknown as { demoState: { status: string; backend?: string; error?: string; epochs: DemoEpoch[]; steps?: number } }).demoState);
    expect(state.error).toBeUndefined();
    expect(state.status).toBe('done');
    expect(state.backend).toBe('wasm');
    expect(state.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS + 1 }, (_, i) => i));
    const untrained = state.epochs[0]!;
    const last = state.epochs[EPOCHS]!;
    const gaussian = gaussianFitLogLikelihood(DEMO_DATA);
    const below = state.epochs.find((e) => e.rawGap < 0.05);
    console.log(
      `demo: ${state.steps} steps; ELBO ${untrained.elbo.toFixed(4)} (epoch 0) -> ${last.elbo.toFixed(4)} (one Gaussian: ${gaussian.toFixed(4)}); ` +
        `raw gap ${(100 * untrained.rawGap).toFixed(2)} % -> ${(100 * last.rawGap).toFixed(2)} %; first below 5 %: epoch ${below?.epoch}; ` +
        `certificate at the end: ${last.certificate?.converged ? 'stationary' : 'not stationary'} (largest gain ${last.certificate?.maxRelativeGain.toExponential(2)}, ${last.certificate?.worstGroup}); ` +
        `stationary at epochs [${state.epochs.filter((e) => e.certificate?.converged).map((e) => e.epoch).join(', ')}]`,
    );
    // Epoch 0 is the untrained model: far from the theorem, so the < 5 % check below can fail.
    expect(untrained.step).toBe(0);
    expect(untrained.rawGap).toBeGreaterThan(0.5);
    expect(untrained.certificate?.converged).toBe(false);
    expect(last.rawGap).toBeLessThan(0.05);
    // It learned the ring, not posterior collapse (whose ELBO is the best single Gaussian's and whose gap is 0 too).
    expect(last.elbo).toBeGreaterThan(untrained.elbo + 5);
    expect(last.elbo).toBeGreaterThan(gaussian + 0.5);
    // The gap is raw: no closed-form step ran in any epoch, so nothing zeroed it by construction.
    expect(state.epochs.flatMap((e) => e.closedFormSteps)).toEqual([]);
    expect(state.epochs.every((e) => e.certificate !== undefined)).toBe(true);
    // The page states what the certificate found at the end, and never claims more.
    const status = await page.locator('#status').textContent();
    expect(status).toContain(last.certificate?.converged ? 'the end is certified stationary' : 'the end is not certified stationary');
    // The charts drew: one SVG per chart, with marks.
    expect(await page.locator('.charts svg').count()).toBe(5);
    const shots = join(__dirname, '..', 'screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'demo.png'), fullPage: true });
    await page.close();
    // 2000 steps with a certificate per epoch: 43–49 s at a load of 4–6 on 2 cores, 72 s at 10–12. Where the time
    // goes (30 epochs, load 8–10): the same worker code in Node 9.8 s; the worker in Chromium with no page charts
    // 13–14 s (wasm SIMD, 1 thread, as in Node: no cpu fallback); with the page's Vega charts 19–21 s. Redrawing
    // the charts half as often gained nothing measurable at that load. No throttling: the background-timer and
    // renderer-backgrounding switches changed nothing. COOP/COEP headers (for wasm threads) crashed the page.
  }, 600_000);

  it('opens every page in Chromium', async () => {
    const page = await context.newPage();
    for (const path of PAGES) {
      const response = await page.goto(new URL(path, base).href);
      expect([path, response?.status()]).toEqual([path, 200]);
    }
    await page.close();
  }, 120_000);

  it('every in-site link of every page, the API reference included, resolves (HTTP 200, anchors present)', async () => {
    const pages = new Map<string, string>(); // URL without hash -> HTML
    const queue = PAGES.map((p) => new URL(p, base).href);
    const links: { from: string; to: string }[] = [];
    const broken: string[] = [];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (pages.has(url)) continue;
      const response = await fetch(url);
      if (response.status !== 200) {
        broken.push(`${url}: HTTP ${response.status}`);
        pages.set(url, '');
        continue;
      }
      const html = response.headers.get('content-type')?.startsWith('text/html') ? await response.text() : '';
      pages.set(url, html);
      for (const match of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
        const target = new URL(match[1]!.replace(/&amp;/g, '&'), url);
        if (target.origin !== new URL(base).origin) continue;
        links.push({ from: url, to: target.href });
        const withoutHash = target.href.split('#')[0]!;
        if (!pages.has(withoutHash)) queue.push(withoutHash);
      }
    }
    // Each page's element ids once, then each distinct link target once (the API reference repeats its links).
    const ids = new Map([...pages].map(([url, html]) => [url, new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]!))]));
    const firstSource = new Map<string, string>();
    for (const { from, to } of links) if (!firstSource.has(to)) firstSource.set(to, from);
    for (const [to, from] of firstSource) {
      const [path, encodedHash] = to.split('#') as [string, string | undefined];
      const hash = encodedHash === undefined ? undefined : decodeURIComponent(encodedHash);
      if (hash && !ids.get(path)?.has(hash)) broken.push(`${from} -> ${to}: no element #${hash}`);
    }
    const apiPages = [...pages.keys()].filter((u) => u.includes('/api/')).length;
    console.log(`links: ${links.length} in-site links (${firstSource.size} distinct targets) over ${pages.size} URLs, ${apiPages} of them in the API reference`);
    expect(broken).toEqual([]);
    expect(apiPages).toBeGreaterThan(20);
  }, 120_000);

  it('made no request off 127.0.0.1 and logged no console error', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
