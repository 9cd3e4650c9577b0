import { compareVersions, describeCudaEnvironment, findInLdconfigCache, inspectCudaEnvironment, parseNvidiaSmiGpus } from './cuda-environment.js';
import { CUDA_LIBRARIES } from './cuda-requirements.js';

const LDCONFIG = [
  '1234 libs found in cache `/etc/ld.so.cache\'',
  '\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8',
  '\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12/lib64/libcudart.so.12',
  '\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6',
].join('\n');

describe('parseNvidiaSmiGpus', () => {
  it('reads one GPU per line, names with commas included', () => {
    expect(parseNvidiaSmiGpus('NVIDIA H100 80GB HBM3, 550.54.15\nTesla T4, 470.82.01\n')).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', driverVersion: '550.54.15' },
      { name: 'Tesla T4', driverVersion: '470.82.01' },
    ]);
    expect(parseNvidiaSmiGpus('Odd, Name, 535.1\n')).toEqual([{ name: 'Odd, Name', driverVersion: '535.1' }]);
    expect(parseNvidiaSmiGpus('\n')).toEqual([]);
  });
});

describe('findInLdconfigCache', () => {
  it('finds an exact soname and nothing else', () => {
    expect(findInLdconfigCache(LDCONFIG, 'libcudnn.so.8')).toBe('/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
    expect(findInLdconfigCache(LDCONFIG, 'libcudart.so.11.0')).toBeUndefined(); // CUDA 12's runtime does not count
    expect(findInLdconfigCache(LDCONFIG, 'libc.so.6')).toBe('/lib/x86_64-linux-gnu/libc.so.6');
  });
});

describe('compareVersions', () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('460.27.03', '450.80.02')).toBeGreaterThan(0);
    expect(compareVersions('450.80.02', '450.80.02')).toBe(0);
    expect(compareVersions('418.39', '450.80.02')).toBeLessThan(0);
    expect(compareVersions('1000.1', '999.99.99')).toBeGreaterThan(0);
  });
});

describe('inspectCudaEnvironment', () => {
  it('reports a missing driver and the libraries found on LD_LIBRARY_PATH or in the ldconfig cache', () => {
    const calls: string[] = [];
    const environment = inspectCudaEnvironment(
      (command) => {
        calls.push(command);
        return command === 'nvidia-smi' ? { stdout: '', error: 'nvidia-smi not found' } : { stdout: LDCONFIG };
      },
      '/opt/cuda/lib64:/nowhere',
      (path) => path === '/opt/cuda/lib64/libcudart.so.11.0',
    );
    expect(calls).toEqual(['nvidia-smi', 'ldconfig']);
    expect(environment.gpus).toEqual([]);
    expect(environment.driverProblem).toBe('nvidia-smi not found (no NVIDIA driver installed, or not on PATH)');
    expect(environment.libraries.map((l) => l.soname)).toEqual(CUDA_LIBRARIES);
    expect(environment.libraries.find((l) => l.soname === 'libcudart.so.11.0')?.path).toBe('/opt/cuda/lib64/libcudart.so.11.0');
    expect(environment.libraries.find((l) => l.soname === 'libcudnn.so.8')?.path).toBe('/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
    expect(describeCudaEnvironment(environment)).toBe(
      'no GPU: nvidia-smi not found (no NVIDIA driver installed, or not on PATH); missing: libcublas.so.11, libcublasLt.so.11, libcufft.so.10, libcurand.so.10, libcusolver.so.11, libcusparse.so.11',
    );
  });

  it('lists the GPUs nvidia-smi reports', () => {
    const environment = inspectCudaEnvironment((command) => (command === 'nvidia-smi' ? { stdout: 'NVIDIA A100-SXM4-40GB, 535.104.05\n' } : { stdout: '' }), undefined, () => true);
    expect(environment.driverProblem).toBeUndefined();
    expect(describeCudaEnvironment(environment)).toBe('GPU 0: NVIDIA A100-SXM4-40GB (driver 535.104.05); missing: ' + CUDA_LIBRARIES.join(', '));
  });

  it('runs the real commands on this machine without throwing', () => {
    const environment = inspectCudaEnvironment();
    expect(environment.libraries).toHaveLength(CUDA_LIBRARIES.length);
    // No expectation on the result: it depends on the machine. Printed for the test log.
    console.warn(`backend-cuda: this machine: ${describeCudaEnvironment(environment)}`);
  });
});
