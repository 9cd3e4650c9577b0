// my-adapter.test.ts, in the test folder of a backend adapter package (run by Jest)
import { describeBackendContract } from '@trientropy/backends/testing';
import { wasmAdapter } from '@trientropy/backend-wasm';

describeBackendContract(wasmAdapter);
