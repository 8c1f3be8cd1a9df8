import { z } from 'zod';
import { endpoint, type EndpointContract } from './endpoint.js';

export const PSEUDONYM_KINDS = ['officer', 'plate', 'vehicle'] as const;
export type PseudonymKind = (typeof PSEUDONYM_KINDS)[number];

/** The identity behind a pseudonym, as a reveal answers it. */
export const RevealedIdentity = z
  .object({ kind: z.enum(PSEUDONYM_KINDS), pseudonym: z.string(), value: z.string() })
  .meta({ id: 'RevealedIdentity' });
export type RevealedIdentity = z.infer<typeof RevealedIdentity>;

export const privacyEndpoints = {
  reveal: endpoint({
    method: 'POST',
    path: '/v1/reveal',
    tag: 'privacy',
    access: ['rule_author', 'prosecutor', 'auditor', 'admin'],
    summary: 'Reveal the officer or plate behind a pseudonym; needs a stated reason, and is recorded',
    body: z.strictObject({
      pseudonym: z.string().regex(/^(officer|plate|vehicle)~[0-9a-f]{10}$/u, 'a pseudonym such as officer~3f9a1c2b7d'),
      reason: z.string().trim().min(10, 'state why you need the identity (at least 10 characters)').max(2_000),
    }),
    response: RevealedIdentity,
    status: 200,
  }),
} satisfies Record<string, EndpointContract>;
