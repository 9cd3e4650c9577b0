#!/usr/bin/env node
// The release that `changeset version` would make now, from .changeset/*.md and the config, without
// touching git or the files: `{ releases: [{ name, type, oldVersion, newVersion }] }` as JSON.
import assembleReleasePlan from '@changesets/assemble-release-plan';
import { read as readConfig } from '@changesets/config';
import readChangesets from '@changesets/read';
import { getPackages } from '@manypkg/get-packages';
import { ROOT } from './package-policy.mjs';

const packages = await getPackages(ROOT);
const config = await readConfig(ROOT, packages);
const changesets = await readChangesets(ROOT);
const plan = (assembleReleasePlan.default ?? assembleReleasePlan)(changesets, packages, config, undefined);
console.log(JSON.stringify({
  changesets: changesets.length,
  // `changeset version` leaves the packages that the config ignores (the private docs site) untouched.
  releases: plan.releases.filter(({ name }) => !config.ignore.includes(name)).map(({ name, type, oldVersion, newVersion }) => ({ name, type, oldVersion, newVersion })),
}, null, 2));
