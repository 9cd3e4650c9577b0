#!/usr/bin/env bash
# The project's one test command (README, `npm test`, .ci/run): build, typecheck and test every
# project through Nx, then print one summary line `N passed, N failed` over all projects.
set -u
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false FORCE_COLOR=0
node tools/test-summary.mjs --clean
npx nx run-many -t build typecheck test --output-style=static "$@"
rc=$?
node tools/test-summary.mjs
summary_rc=$?
if [ "$rc" -ne 0 ]; then exit "$rc"; fi
exit "$summary_rc"
