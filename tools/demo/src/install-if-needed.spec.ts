import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './api-process.js';

/**
 * The step `npm run demo` and `npm test` take first (tools/install-if-needed.mjs), run as
 * they run it, in a throw-away checkout whose lock state each case sets. `npm` there is a
 * stand-in that records its arguments and exits with the code it is told, so a case shows
 * both the decision and that the exit code reaches the caller.
 */
const SCRIPT = path.join(ROOT, 'tools/install-if-needed.mjs');

type Packages = Record<string, Record<string, unknown>>;

const LOCKED: Packages = {
  '': { name: 'qadaga', workspaces: ['apps/*'] },
  'node_modules/zod': { version: '4.6.7', resolved: 'https://registry.npmjs.org/zod/-/zod-4.6.7.tgz', integrity: 'sha512-zod' },
  'node_modules/@nx/nx-darwin-arm64': { version: '23.2.1', resolved: 'https://registry.npmjs.org/@nx/nx-darwin-arm64/-/nx-darwin-arm64-23.2.1.tgz', integrity: 'sha512-nx', optional: true },
  'node_modules/@qadaga/api': { resolved: 'apps/api', link: true },
  'apps/api': { name: '@qadaga/api', version: '0.1.0' },
};
/** What npm leaves in node_modules/.package-lock.json after installing LOCKED on Linux: no root, no other platform's binary. */
const INSTALLED: Packages = Object.fromEntries(Object.entries(LOCKED).filter(([name]) => name !== '' && !name.includes('darwin')));

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function checkout(options: { installed?: Packages; npmExit?: number } = {}): { run(): { status: number | null; stderr: string; npmArgs: string | undefined } } {
  const root = mkdtempSync(path.join(tmpdir(), 'qadaga-install-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'tools'));
  copyFileSync(SCRIPT, path.join(root, 'tools/install-if-needed.mjs'));
  writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify({ name: 'qadaga', lockfileVersion: 3, requires: true, packages: LOCKED }));
  if (options.installed !== undefined) {
    mkdirSync(path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'node_modules/.package-lock.json'), JSON.stringify({ name: 'qadaga', lockfileVersion: 3, requires: true, packages: options.installed }));
  }
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  const record = path.join(root, 'npm-args');
  writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$@" > '${record}'\nexit ${options.npmExit ?? 0}\n`);
  chmodSync(path.join(bin, 'npm'), 0o755);
  return {
    run() {
      const result = spawnSync(process.execPath, [path.join(root, 'tools/install-if-needed.mjs')], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` },
      });
      return { status: result.status, stderr: result.stderr, npmArgs: existsSync(record) ? readFileSync(record, 'utf8').trim() : undefined };
    },
  };
}

describe('install-if-needed', () => {
  it('runs npm ci on a fresh clone, where nothing is installed', () => {
    const result = checkout().run();
    expect(result.npmArgs).toBe('ci --no-audit --no-fund');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/npm ci .*node_modules\/\.package-lock\.json is missing/su);
  });

  it('installs nothing when node_modules matches the lockfile, another platform\'s optional binary left out as npm leaves it', () => {
    const result = checkout({ installed: INSTALLED }).run();
    expect(result.npmArgs).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('reinstalls when a locked package was installed at another version, naming it', () => {
    const result = checkout({ installed: { ...INSTALLED, 'node_modules/zod': { ...INSTALLED['node_modules/zod'], version: '4.5.0' } } }).run();
    expect(result.npmArgs).toBe('ci --no-audit --no-fund');
    expect(result.stderr).toContain('node_modules/zod differs from package-lock.json in version (4.5.0 installed, 4.6.7 locked)');
  });

  it('reinstalls when a locked package is missing or an installed one is no longer locked', () => {
    const { 'node_modules/zod': _zod, ...withoutZod } = INSTALLED;
    expect(checkout({ installed: withoutZod }).run().stderr).toContain('node_modules/zod is in package-lock.json but not installed');
    const extraneous = checkout({ installed: { ...INSTALLED, 'node_modules/left-pad': { version: '1.3.0' } } }).run();
    expect(extraneous.npmArgs).toBe('ci --no-audit --no-fund');
    expect(extraneous.stderr).toContain('node_modules/left-pad is installed but no longer in package-lock.json');
  });

  it('passes npm\'s exit code through when the install fails, so the command after it never runs', () => {
    const result = checkout({ npmExit: 7 }).run();
    expect(result.status).toBe(7);
    expect(result.stderr).toContain('npm ci failed (exit 7)');
  });
});
