#!/usr/bin/env node
// Kernels of one training step of the reference VAE-1 (trainVae's step: variableGrads of −objective, then
// LeanAdamOptimizer), counted by tfjs's profiler on one backend, with how many of them ran in the native addon
// (`native` only) and the time of each kind. Where a step goes, kernel by kernel; not a benchmark.
//
//   node tools/bench/kernel-profile.mjs [--backend native] [--batch 128] [--steps 20] [--hidden 400] [--latent 20] [--threads 1]
//   node --cpu-prof tools/bench/kernel-profile.mjs --plain --steps 300     (the steps alone, for a CPU profile)
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@trientropy/backends';
import { Vae1 } from '@trientropy/models';
import { LeanAdamOptimizer } from '@trientropy/trainers';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const backend = option('backend', 'native');
const batch = Number(option('batch', '128'));
const steps = Number(option('steps', '20'));
const hidden = Number(option('hidden', '400'));
const latent = Number(option('latent', '20'));
const d = 784;
tf.enableProdMode();
await selectBackend(backend, { init: { threads: Number(option('threads', '1')) } });
const model = new Vae1({ dataDim: d, latentDim: latent, hiddenSizes: [hidden], activation: 'relu', seed: 1 });
const variables = model.trainableVariables();
const optimizer = new LeanAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
const data = new Float32Array(batch * d).map((_, i) => ((i * 7919) % 256) / 255);
let seed = 0;
const step = () => {
  const xb = tf.tensor2d(data, [batch, d]);
  model.applyConstraints();
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(xb, { seed: seed++, samples: 1, beta: 1 })), variables);
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
    return value;
  });
  xb.dispose();
  return loss;
};
for (let i = 0; i < 5; i++) step().dispose();
if (process.argv.includes('--plain')) {
  // Steps only, nothing wrapped: for `node --cpu-prof`.
  const start = performance.now();
  for (let s = 0; s < steps; s++) step().dispose();
  console.log(`${steps} steps, ${((performance.now() - start) / steps).toFixed(2)} ms per step`);
  process.exit(0);
}
// Every registered kernel of the backend, wrapped: calls, time, and whether it called the addon (native) or not.
const nativeBackend = tf.backend();
const addon = nativeBackend.addon;
let addonCalls = 0;
if (addon !== undefined) {
  const counted = {};
  for (const key of Object.getOwnPropertyNames(addon)) {
    const fn = addon[key];
    counted[key] = typeof fn === 'function' ? (...args) => (addonCalls++, fn(...args)) : fn;
  }
  Object.defineProperty(nativeBackend, 'addon', { value: counted });
}
// CPU time (user + system, all threads) rather than wall time: on a loaded shared machine wall time mostly
// measures waiting for a core.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const stats = new Map();
let counting = false;
for (const config of tf.getKernelsForBackend(backend)) {
  const inner = config.kernelFunc;
  config.kernelFunc = (args) => {
    if (!counting) return inner(args);
    const before = addonCalls;
    const t = cpuMs();
    const out = inner(args);
    const ms = cpuMs() - t;
    const e = stats.get(config.kernelName) ?? { count: 0, native: 0, ms: 0, shapes: new Set() };
    e.count++;
    e.ms += ms;
    if (addonCalls > before) e.native++;
    if (e.shapes.size < 3) e.shapes.add(Object.values(args.inputs).map((x) => `[${x?.shape}]`).join(''));
    stats.set(config.kernelName, e);
    return out;
  };
}
let wall = 0;
let cpu = 0;
for (let s = 0; s < steps; s++) {
  const t = performance.now();
  const c = cpuMs();
  step().dispose();
  cpu += cpuMs() - c;
  wall += performance.now() - t;
}
counting = true;
for (let s = 0; s < steps; s++) step().dispose();
counting = false;
const total = [...stats.values()].reduce((p, e) => p + e.count, 0);
const kernelMs = [...stats.values()].reduce((p, e) => p + e.ms, 0);
console.log(`backend ${backend}, VAE-1 ${d}-${hidden}-2x${latent}, batch ${batch}: ${(total / steps).toFixed(0)} kernels per step; unwrapped ${(cpu / steps).toFixed(2)} CPU-ms (${(wall / steps).toFixed(2)} wall-ms) per step; wrapped, ${(kernelMs / steps).toFixed(2)} CPU-ms per step inside kernels`);
console.log('| kernel | per step | CPU-ms per step | native share | input shapes (first 3) |');
console.log('|---|---|---|---|---|');
for (const [name, e] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`| ${name} | ${(e.count / steps).toFixed(1)} | ${(e.ms / steps).toFixed(3)} | ${e.native}/${e.count} | ${[...e.shapes].join(' ')} |`);
}
