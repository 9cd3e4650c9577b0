#!/usr/bin/env node
import * as tf from '@tensorflow/tfjs-core';
// Registers the cpu backend and the gradient functions training needs.
import '@trientropy/distributions';
import { runCli } from './cli-program.js';
import { InterruptSignal } from './interrupt.js';

// `trientropy … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const interrupt = new InterruptSignal();
process.on('SIGINT', () => {
  if (interrupt.requested) {
    // Second Ctrl-C: leave now, with the cursor shown (a progress bar hides it).
    process.stderr.write('\u001B[?25h\ntrientropy: interrupted again, exiting without waiting\n');
    process.exit(130);
  }
  process.stderr.write('\ntrientropy: interrupted; finishing the current step and saving (Ctrl-C again to quit at once)\n');
  interrupt.request();
});

tf.enableProdMode();
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, interrupt);
