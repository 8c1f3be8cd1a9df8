import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { UserRepository, type UserRole } from '@qadaga/db';
import { generateSigningKey } from '@qadaga/evidence';

/** The password of every demo account; the demo prints it. Never used outside the demo. */
export const DEMO_PASSWORD = 'qadaga-demo';

/** Two of each role that acts in pairs (four eyes), one of the others. */
export const DEMO_USERS: { username: string; displayName: string; roles: UserRole[]; locale: 'ru' | 'kk' | 'en' }[] = [
  { username: 'prosecutor', displayName: 'Айгерим Сапарова', roles: ['prosecutor'], locale: 'ru' },
  { username: 'prosecutor2', displayName: 'Нурлан Ахметов', roles: ['prosecutor'], locale: 'kk' },
  { username: 'author', displayName: 'Dana Omarova', roles: ['rule_author'], locale: 'en' },
  { username: 'author2', displayName: 'Ерлан Жумабаев', roles: ['rule_author'], locale: 'ru' },
  { username: 'auditor', displayName: 'Мадина Искакова', roles: ['auditor'], locale: 'ru' },
  { username: 'admin', displayName: 'Администратор', roles: ['admin'], locale: 'ru' },
];

/** Creates the demo accounts, or resets their roles and password when they exist. */
export async function seedDemoUsers(pool: pg.Pool): Promise<void> {
  const users = new UserRepository(pool);
  for (const user of DEMO_USERS) await users.upsert({ ...user, password: DEMO_PASSWORD });
}

/**
 * A signing key for the demo's evidence, made once and kept under var/ so bundles signed
 * in one demo run still verify against the same key in the next.
 */
export function demoSigningKeyFile(root: string): string {
  const file = path.join(root, 'var', 'keys', 'demo-signing.pem');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, generateSigningKey().privateKeyPem, { mode: 0o600 });
  }
  return file;
}
