// Type-level tests of createVaeModel's overloads, compiled by the typecheck target (`tsc --strict`), never run.
// Each `@ts-expect-error` fails the typecheck if the line below it compiles.
import { createVaeModel } from './create-vae-model.js';
import type { Vae1 } from './vae1.js';

export function typedOverloads(kindFromCli: string): void {
  const vae1: Vae1 = createVaeModel('vae-1', { dataDim: 10, latentDim: 2, hiddenSizes: [20] });
  void vae1;
  // @ts-expect-error misspelt option of a literal kind: `hiddenSize` for `hiddenSizes`
  createVaeModel('vae-1', { dataDim: 10, latentDim: 2, hiddenSize: [20] });
  // @ts-expect-error an option of another variant (VAE-2's weightConstraint) on VAE-1
  createVaeModel('vae-1', { dataDim: 10, latentDim: 2, weightConstraint: 'rescale' });
  // @ts-expect-error a wrongly typed option value
  createVaeModel('vae-2', { dataDim: 10, latentDim: 2, hiddenSizes: '20' });
  // @ts-expect-error a literal that is no kind at all
  createVaeModel('vae-9', { dataDim: 10, latentDim: 2 });
  // A kind known only at run time takes the untyped form; its options are checked when it runs.
  createVaeModel(kindFromCli, { dataDim: 10, latentDim: 2, hiddenSize: [20] });
}
