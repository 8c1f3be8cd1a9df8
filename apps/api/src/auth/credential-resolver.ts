import { Inject, Injectable } from '@nestjs/common';
import { isSessionToken } from '@qadaga/db';
import { KeyCache } from './key-cache.js';
import type { Principal } from './principal.js';
import { SessionCache } from './session-cache.js';

/**
 * Turns a bearer credential into a principal. Source systems and services send API keys,
 * people send session tokens; an identity provider's tokens (OIDC) would be one more
 * branch here resolving to the same Principal, and no guard or endpoint would change.
 */
@Injectable()
export class CredentialResolver {
  constructor(
    @Inject(KeyCache) private readonly keys: KeyCache,
    @Inject(SessionCache) private readonly sessions: SessionCache,
  ) {}

  /**
   * Whether a credential that resolved to nobody was ever issued (an expired session, a
   * revoked key) or is a guess. Only guesses count against an address's sign-in allowance,
   * so an office behind one address is not locked out by its own expired sessions.
   */
  wasIssued(credential: string): Promise<boolean> {
    return isSessionToken(credential) ? this.sessions.issued(credential) : this.keys.issued(credential);
  }

  async resolve(credential: string): Promise<Principal | null> {
    if (isSessionToken(credential)) {
      const user = await this.sessions.resolve(credential);
      if (user === null) return null;
      return {
        id: `user:${user.id}`,
        roles: user.roles,
        sourceCode: null,
        userId: user.id,
        displayName: user.displayName,
        officerId: user.officerId,
        unit: user.unit,
      };
    }
    const key = await this.keys.authenticate(credential);
    if (key === null) return null;
    return { id: `key:${key.keyId}`, roles: key.roles, sourceCode: key.sourceCode };
  }
}
