import { LRUCache } from 'lru-cache';
import type { User, UserRepository } from '@qadaga/db';

/** How long a session lookup is trusted by this process; sign-out elsewhere takes effect within it. */
export const SESSION_CACHE_TTL_MS = 5_000;

/** Recent session lookups, so a page's burst of requests costs one database round trip. */
export class SessionCache {
  private readonly cache = new LRUCache<string, { user: (User & { expiresAt: Date }) | null }>({ max: 10_000, ttl: SESSION_CACHE_TTL_MS });

  constructor(private readonly users: UserRepository) {}

  async resolve(token: string): Promise<(User & { expiresAt: Date }) | null> {
    const hit = this.cache.get(token);
    if (hit !== undefined && (hit.user === null || hit.user.expiresAt.getTime() > Date.now())) return hit.user;
    const user = await this.users.sessionUser(token);
    this.cache.set(token, { user });
    return user;
  }

  /** Whether the token was ever issued; asked only of tokens that failed, so it is not cached. */
  issued(token: string): Promise<boolean> {
    return this.users.sessionIssued(token);
  }

  forget(token: string): void {
    this.cache.delete(token);
  }
}
