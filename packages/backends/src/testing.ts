// Entry point `@trientropy/backends/testing`: the backend contract suite and what it is built from. It calls
// Jest's `describe`/`it`/`expect` globals, so import it from test files only.
export { type BackendContractOptions, describeBackendContract } from './testing/describe-backend-contract.js';
export { type OpCaseResult, evaluateOpCase } from './testing/evaluate-op-case.js';
export { type FixedSeedVaeRun, type FixedSeedVaeSettings, assertTrainingRunsAgree, trainFixedSeedVae } from './testing/fixed-seed-vae-training.js';
export { type InputSpec, type OpCase, OP_CASES } from './testing/op-cases.js';
export { indexValues, mulberry32, uniformValues } from './testing/seeded-values.js';
export { type Comparison, ELEMENTWISE, EXACT, REDUCTION, TRAINING, type Tolerance, assertArraysClose, compareArrays } from './testing/tolerance.js';
