import { runCli } from '../cli-program.js';
import { memoryIo } from '../test-support.js';
import { formatVerifyTable } from './verify-table.js';
import { RAW_GAP_TOLERANCE, certificateRequired, type VerifyRow } from './verify-experiments.js';

// The default-size `trientropy verify` takes minutes (its measured table is in the README); this runs the same
// code at --quick size and checks the table, the JSON rows and that each verdict follows from its numbers.
describe('trientropy verify --quick', () => {
  it('prints one table row per experiment and judges each by its raw gap and reference', async () => {
    const { io, stdout, stderr } = memoryIo();
    const code = await runCli(['verify', '--quick', '--only', 'linear,streaming', '--backend', 'cpu', '--json'], io);
    expect(stderr()).not.toMatch(/^trientropy: (?!verify:)/m);
    const result = JSON.parse(stdout()) as { size: string; rows: (Omit<VerifyRow, 'reference'> & { reference: { name: string; value: number | null } })[] };
    expect(result.size).toBe('quick');
    expect(result.rows.map((r) => r.paper)).toEqual(['Fig. 1a', 'Sec. 4.3']);
    const [linear, streaming] = result.rows;
    expect(linear!.reference.name).toBe('pPCA max. log-lik.');
    expect(linear!.rawGap).toBeCloseTo(Math.abs(linear!.elbo - linear!.entropySum) / Math.abs(linear!.elbo), 10);
    // The linear VAE's certificate uses exact gradients; the verdict includes it where the row requires it.
    const certificate = linear!.certificate!;
    expect(certificate).toMatchObject({ gradientMethod: 'exact', required: certificateRequired('linear', 'quick'), worstGroup: expect.any(String) });
    expect(certificate.converged).toBe(certificate.reasons.length === 0);
    expect(linear!.passed).toBe(linear!.rawGap <= RAW_GAP_TOLERANCE && Math.abs(linear!.elbo - linear!.reference.value!) <= 0.05 && (!certificate.required || certificate.converged));
    expect(linear!.criterion).toBe(`raw gap/|ELBO| ≤ ${100 * RAW_GAP_TOLERANCE} %, |ELBO − pPCA| ≤ 0.05${certificate.required ? ', certified stationary' : ''}`);
    expect(linear!.details).toMatchObject({ elbo: 'exact (sampling-free)' });
    expect(streaming!.certificate).toBeNull();
    expect(streaming!.reference.value).toBeNull();
    expect(streaming!.passed).toBe(JSON.stringify(streaming!.details.chosen) === '[6,2,4]');
    expect(code).toBe(result.rows.every((r) => r.passed) ? 0 : 1);
    const table = formatVerifyTable(result.rows.map((r) => ({ ...r, reference: { name: r.reference.name, value: r.reference.value ?? Number.NaN } }))).split('\n');
    expect(table[0]).toMatch(/raw gap\/\|ELBO\| +certificate +reference/);
    expect(table[2]).toContain(` ${certificate.converged ? 'yes' : 'no'} (${certificate.worstGroup} ${certificate.maxRelativeGain.toExponential(1)})${certificate.required ? '' : ' info'} `);
    expect(table[3]).toMatch(/ - +true H = 6, 2, 4 /);
  }, 120_000);

  it('rejects unknown experiment names', async () => {
    const { io, stderr } = memoryIo();
    expect(await runCli(['verify', '--only', 'linear,mnist'], io)).toBe(2);
    expect(stderr()).toBe("trientropy: --only: expected names among linear, vae1, vae3, streaming, got 'mnist' (see --help)\n");
  });
});
