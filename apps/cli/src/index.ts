#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs-core';
// Registers the cpu backend and the gradient functions training needs.
import '@trientropy/distributions';
import { runCli } from './cli-program.js';

tf.enableProdMode();
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
