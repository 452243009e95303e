#!/usr/bin/env node
// `npx tz …` from the repository root. Runs the bundled CLI; builds it first on a checkout where
// `npm ci` ran with --ignore-scripts (no dist/ yet).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..', '..', '..');
const bundle = join(root, 'dist', 'apps', 'cli', 'tz.cjs');
if (!existsSync(bundle)) {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
}
require(bundle);
