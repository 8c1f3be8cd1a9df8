import { LRUCache } from 'lru-cache';
import type { ApiKeyRepository, KeyPrincipal } from '@qadaga/db';

/** How long a key's lookup is trusted; a revocation takes effect within this time. */
export const KEY_CACHE_TTL_MS = 30_000;

/**
 * Remembers recent key lookups so a busy source does not cost a database round trip
 * per request. Unknown keys are remembered too (briefly), so guessing keys cannot be
 * used to load the database.
 */
export class KeyCache {
  private readonly cache = new LRUCache<string, { principal: KeyPrincipal | null }>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });

  constructor(private readonly keys: ApiKeyRepository) {}

  /** Whether the key was ever issued; asked only of keys that failed, so it is not cached. */
  issued(key: string): Promise<boolean> {
    return this.keys.keyIssued(key);
  }

  async authenticate(key: string): Promise<KeyPrincipal | null> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit.principal;
    const principal = await this.keys.authenticate(key);
    this.cache.set(key, { principal });
    return principal;
  }
}
