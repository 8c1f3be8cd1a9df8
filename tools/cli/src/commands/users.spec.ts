import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepository, createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const pool = createPool({ url: testDatabaseUrl(), size: 2 });

/** The CLI as an operator runs it: a process, the password on standard input. */
function qadaga(args: string[], input = '') {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/cli/bin/qadaga.mjs'), ...args], {
    cwd: ROOT,
    input,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => resetLedger(pool));
afterAll(async () => pool.end());

describe('qadaga user add', () => {
  it('creates a person whose password (from standard input) signs them in', async () => {
    const run = qadaga(['user', 'add', 'a.sapar', '--name', 'Aigerim Saparova', '--role', 'prosecutor', '--unit', 'U-4', '--json'], 'long enough password\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ username: 'a.sapar', roles: ['prosecutor'], unit: 'U-4' });
    const users = new UserRepository(pool);
    expect(await users.checkPassword('a.sapar', 'long enough password')).toMatchObject({ displayName: 'Aigerim Saparova' });
    expect(await users.checkPassword('a.sapar', 'long enough passwor')).toBeNull();
  });

  it('refuses an unknown role and a short password, naming each', () => {
    const role = qadaga(['user', 'add', 'x', '--name', 'X', '--role', 'judge'], 'long enough password');
    expect(role.code).toBe(1);
    expect(role.stderr).toMatch(/--role: unknown role judge/u);
    const short = qadaga(['user', 'add', 'x', '--name', 'X', '--role', 'auditor'], 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password \(standard input\): at least 12 characters/u);
  });

  it('verifies the access log from the command line', () => {
    const run = qadaga(['access-log', 'verify', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ ok: true });
  });
});
