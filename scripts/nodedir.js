#!/usr/bin/env node
// Runs a build tool (node-gyp-build, node-gyp, cmake-js, prebuildify) with the headers of the Node
// that runs it, so that no build ever downloads anything.
//
// node-gyp, cmake-js and prebuildify all fetch Node's headers from the internet unless
// npm_config_nodedir points at a local copy. Debian's and the official Node packages ship those
// headers next to the binary (<prefix>/include/node), so when nodedir is not already set we set it
// to <prefix> of process.execPath. A nodedir given by the user or by npm's config always wins.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function localNodedir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

const [tool, ...args] = process.argv.slice(2);
if (!tool) {
  console.error('usage: node scripts/nodedir.js <tool> [args...]');
  process.exit(2);
}
const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const dir = localNodedir();
  if (dir) env.npm_config_nodedir = dir;
}
const r = spawnSync(tool, args, { stdio: 'inherit', env });
if (r.error) {
  console.error(`${tool}: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
