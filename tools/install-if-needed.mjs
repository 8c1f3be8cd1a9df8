#!/usr/bin/env node
// Runs before `npm run demo` and `npm test`, so both work on a fresh clone: when
// node_modules is missing or no longer matches package-lock.json, it runs `npm ci`.
// It imports nothing outside Node itself, since it must run before anything is installed,
// and on an installed tree it only reads two JSON files.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The fields npm records for each installed package that tell two installs apart. */
const IDENTITY = ['version', 'resolved', 'integrity', 'link'];

function readLock(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw new Error(`${file} cannot be read as JSON: ${error.message}`);
  }
}

/**
 * Why node_modules under `root` does not match its package-lock.json, or undefined when it
 * does. npm writes node_modules/.package-lock.json (its "hidden lockfile") after every
 * install with one entry per package it put there; the tree is up to date when those
 * entries are the lockfile's. A lockfile entry may be absent only where npm skips it by
 * design: optional packages for another platform (the nx and esbuild binaries).
 */
export function installNeeded(root) {
  const wanted = readLock(path.join(root, 'package-lock.json'));
  if (wanted === undefined) throw new Error(`${path.join(root, 'package-lock.json')} is missing: it is what \`npm ci\` installs from`);
  const installed = readLock(path.join(root, 'node_modules', '.package-lock.json'));
  if (installed === undefined) return 'node_modules/.package-lock.json is missing (nothing installed yet)';
  const want = wanted.packages ?? {};
  const have = installed.packages ?? {};
  for (const [name, entry] of Object.entries(want)) {
    if (name === '') continue;
    const got = have[name];
    if (got === undefined) {
      if (entry.optional === true || entry.devOptional === true) continue;
      return `${name} is in package-lock.json but not installed`;
    }
    for (const field of IDENTITY) {
      if (got[field] !== entry[field]) return `${name} differs from package-lock.json in ${field} (${String(got[field])} installed, ${String(entry[field])} locked)`;
    }
  }
  for (const name of Object.keys(have)) {
    if (!(name in want)) return `${name} is installed but no longer in package-lock.json`;
  }
  return undefined;
}

/** Installs when needed; answers the exit code to leave with (npm's own when it fails). */
export function ensureInstalled(root, log = (line) => process.stderr.write(`${line}\n`)) {
  const reason = installNeeded(root);
  if (reason === undefined) return 0;
  log(`Installing dependencies with npm ci (a minute or two on first use): ${reason}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error !== undefined) {
    log(`npm ci could not start: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) log(`npm ci failed (exit ${result.status ?? result.signal}); nothing else was run`);
  return result.status ?? 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    process.exitCode = ensureInstalled(root);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
