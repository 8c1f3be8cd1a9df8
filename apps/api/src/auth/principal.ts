import type { Role } from '@qadaga/db';

/** Who is calling. Today a key; the guard is written so a user session or an OIDC token can resolve to the same shape. */
export interface Principal {
  /** Stable id written to the access log, e.g. "key:3f2c…" or "user:42". */
  id: string;
  roles: Role[];
  /** A source system's key writes only this source's events. */
  sourceCode: string | null;
  /** A signed-in user, when the caller is one (keys have none). */
  userId?: string;
  displayName?: string;
  /**
   * The officer or unit the user belongs to, if any: such a user never sees flags,
   * cases or profiles about that officer or unit (recusal).
   */
  officerId?: string | null;
  unit?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
