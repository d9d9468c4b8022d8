#!/usr/bin/env node
// Completes package-lock.json with the optional platform packages npm could not resolve.
//
// The package registry this project is developed against serves only the native packages of the
// platforms it runs (rollup's and esbuild's per-platform binaries for linux-x64, say). npm then
// leaves the other platforms' optional dependencies out of the lockfile, and `npm ci` refuses the
// lockfile as out of sync ("Missing: @rollup/rollup-darwin-arm64@ from lock file"). This adds a
// minimal optional entry for each: npm ci skips an optional package it cannot fetch, and a machine
// whose registry has it installs it as usual. Run it after any `npm install` that changes the lock.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [where, entry] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies || {})) {
    const nested = where ? `${where}/node_modules/${name}` : `node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (pkgs[nested] || pkgs[top]) continue;
    pkgs[top] = { version: String(range).replace(/^[~^=]/, ''), ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lock: ${added} optional entr${added === 1 ? 'y' : 'ies'} added`);
