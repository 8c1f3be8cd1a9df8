import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Role } from '@qadaga/contracts/api';
import type { PrismaClient } from '../generated/prisma/client.js';

/** Roles a key or a user may hold (declared with the API contract). Sources only write; the others read and act. */
export { ROLES, type Role } from '@qadaga/contracts/api';

export interface KeyPrincipal {
  keyId: string;
  /** Set for a source system's key: it may write only this source's events. */
  sourceCode: string | null;
  roles: Role[];
}

const KEY_PREFIX = 'qdg_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async ensureSource(code: string, name: string): Promise<void> {
    await this.prisma.sourceSystem.upsert({ where: { code }, create: { code, name }, update: {} });
  }

  /** Issues a key and returns it once; only its hash is kept. */
  async issue(options: { sourceCode?: string; roles?: Role[]; label?: string }): Promise<{ id: string; key: string }> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const roles: Role[] = options.sourceCode === undefined ? (options.roles ?? []) : ['source'];
    if (roles.length === 0) throw new Error('a key needs a source or at least one role');
    const row = await this.prisma.apiKey.create({
      data: {
        sourceCode: options.sourceCode ?? null,
        roles,
        prefix: key.slice(0, KEY_PREFIX.length + 6),
        keyHash: hashApiKey(key),
        label: options.label ?? null,
      },
    });
    return { id: row.id, key };
  }

  async authenticate(key: string): Promise<KeyPrincipal | null> {
    if (!key.startsWith(KEY_PREFIX)) return null;
    const row = await this.prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
    if (row === null || row.revokedAt !== null) return null;
    return { keyId: row.id, sourceCode: row.sourceCode, roles: row.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) };
  }

  /** Whether this key was ever issued, revoked or not: a revoked key retried is no guess. */
  async keyIssued(key: string): Promise<boolean> {
    if (!key.startsWith(KEY_PREFIX)) return false;
    return (await this.prisma.apiKey.count({ where: { keyHash: hashApiKey(key) } })) > 0;
  }

  async sourceExists(code: string): Promise<boolean> {
    return (await this.prisma.sourceSystem.count({ where: { code } })) > 0;
  }

  async revoke(id: string): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  }
}
