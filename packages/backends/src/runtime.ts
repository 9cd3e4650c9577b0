/** Whether this code runs in Node (as opposed to a browser or a Web Worker). */
export function isNodeRuntime(): boolean {
  const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions;
  return typeof versions?.node === 'string';
}
