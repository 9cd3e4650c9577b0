import { doctorReport, formatDoctorReport, selectBackend } from '@trientropy/backends';

const selection = await selectBackend('auto'); // or 'cpu' | 'wasm' | 'node' | 'cuda'
console.log(selection.report);
// backend: wasm (auto: fastest that loads) — @tensorflow/tfjs-backend-wasm@4.22.0, CPU (WebAssembly, XNNPACK, SIMD128), SIMD on, threads 1
//   skipped cuda: @tensorflow/tfjs-node-gpu is not installed (it is an optional peer dependency)
//   skipped node: @tensorflow/tfjs-node is not installed (it is an optional peer dependency)

console.log(formatDoctorReport(await doctorReport())); // what `trientropy doctor` prints
