import { existsSync } from 'node:fs';

/** Debian's Chromium, the only browser the e2e tests use (never a downloaded one). */
export const CHROMIUM = '/usr/bin/chromium';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium); .ci/run installs it`);

/** `describe` where Chromium is installed, else `describe.skip` (with the warning above saying why). */
export const describeInChromium: typeof describe | typeof describe.skip = haveChromium ? describe : describe.skip;
