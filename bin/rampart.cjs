#!/usr/bin/env node
// The `rampart` command: runs the built CLI (npm run build produces out/main/cli.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error("rampart: the CLI is not built yet. Run 'npm run build' in " + join(__dirname, '..'));
  process.exit(2);
}
require(cli).runAsProcess(process.argv.slice(2));
