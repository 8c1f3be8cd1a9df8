import { z } from 'zod';
import { SUBJECT_KINDS } from '@qadaga/domain';
import { uuid } from '../ids.js';
import { answerId, isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';
import { CHAIN_FAILURE_KINDS, CHECKPOINT_FAILURE_KINDS, CheckpointSummary, checkpointComparisonFields } from './integrity.js';

export const BUNDLE_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type BundleStatus = (typeof BUNDLE_STATUSES)[number];

/** A signed evidence bundle, built by a worker: its progress, and its SHA-256 and size once done. */
export const Bundle = z
  .object({
    id: answerId,
    caseId: answerId.nullable(),
    status: z.enum(BUNDLE_STATUSES),
    /** In percent, 0..100. */
    progress: z.number(),
    fileName: z.string(),
    sha256: z.string().nullable(),
    size: z.number().int().nullable(),
    error: z.string().nullable(),
    reason: z.string(),
    requestedBy: z.string(),
    createdAt: isoInstant,
    finishedAt: isoInstant.nullable(),
  })
  .meta({ id: 'Bundle' });
export type Bundle = z.infer<typeof Bundle>;

/** A bundle as the list shows it: who built it by name, and the case's number when it is a case's. */
export const BundleListItem = Bundle.extend({
  requestedByName: z.string().nullable().meta({ description: "the requester's display name; null when the requester is not a person (an API key)" }),
  caseNumber: z.string().nullable(),
  /** What a query bundle was asked for (null for a case's bundle): its subjects, rules and period. */
  query: z
    .object({
      subjects: z.array(z.object({ kind: z.enum(SUBJECT_KINDS), id: z.string() })),
      ruleIds: z.array(z.string()),
      from: z.string(),
      to: z.string(),
    })
    .nullable(),
}).meta({ id: 'BundleListItem' });
export type BundleListItem = z.infer<typeof BundleListItem>;

export const BundleList = z
  .object({
    items: z.array(BundleListItem),
    /** Bundles of the page the caller is recused from: left out, counted here. */
    withheld: z.number().int(),
  })
  .meta({ id: 'BundleList' });
export type BundleList = z.infer<typeof BundleList>;

/** Where the server's trusted keys came from: files it was given, or the database alone. */
export const KEYS_FROM = ['configured', 'database'] as const;

/** What verifying a bundle found: each failure names the file of the bundle at fault. */
export const BundleVerification = z
  .object({
    ok: z.boolean(),
    failures: z.array(z.object({ file: z.string(), reason: z.string() })),
    checked: z.object({
      files: z.number().int(),
      events: z.number().int(),
      flags: z.number().int(),
      rules: z.number().int(),
      checkpoints: z.number().int(),
      signedBy: z.string().nullable(),
    }),
    /** True when no key was pinned, so the manifest's signer was reported as an unknown key. */
    unpinned: z.boolean(),
    keysFrom: z.enum(KEYS_FROM),
  })
  .meta({ id: 'BundleVerification' });
export type BundleVerification = z.infer<typeof BundleVerification>;

/** A signed checkpoint of the heads of every ledger chain and of each lane of the access log. */
export const Checkpoint = z
  .object({
    id: z.string(),
    at: isoInstant,
    ledgerHeads: z.array(z.object({ chainId: z.string(), seq: z.string(), hash: z.string() })),
    /** The head of each lane of the hash-chained access log; null before anyone was logged. Kept as signed. */
    accessLogHead: z.looseObject({ lanes: z.array(z.looseObject({ lane: z.number().int(), seq: z.string(), hash: z.string() })) }).nullable(),
    keyId: z.string(),
    publicKey: z.string(),
    signature: z.string(),
  })
  .meta({ id: 'Checkpoint' });
export type Checkpoint = z.infer<typeof Checkpoint>;

export const AccessLogVerifyFailure = z
  .object({
    kind: z.enum([...CHAIN_FAILURE_KINDS, 'row_unchained', ...CHECKPOINT_FAILURE_KINDS]),
    lane: z.number().int().nullable(),
    seq: z.string().nullable(),
    rowId: z.string().nullable(),
    message: z.string(),
    ...checkpointComparisonFields,
  })
  .meta({ id: 'AccessLogVerifyFailure' });
export type AccessLogVerifyFailure = z.infer<typeof AccessLogVerifyFailure>;

export const AccessLogVerification = z
  .object({
    ok: z.boolean(),
    rowsChecked: z.number().int(),
    lanes: z.array(z.object({ lane: z.number().int(), headSeq: z.string(), headHash: z.string() })),
    failures: z.array(AccessLogVerifyFailure),
    checkpoints: CheckpointSummary,
  })
  .meta({ id: 'AccessLogVerification' });
export type AccessLogVerification = z.infer<typeof AccessLogVerification>;

/** One public key of the product, and the period it was the signer. */
export const PublishedKey = z
  .object({
    keyId: z.string(),
    /** The raw Ed25519 public key in base64. */
    publicKey: z.string(),
    algorithm: z.literal('Ed25519'),
    /** When it became the signer; null: it signed before periods were recorded. */
    validFrom: isoInstant.nullable(),
    /** When it was retired; null: it signs now. */
    validUntil: isoInstant.nullable(),
  })
  .meta({ id: 'PublishedKey' });
export type PublishedKey = z.infer<typeof PublishedKey>;

const evidenceReason = z.string().trim().min(10, 'state why the evidence is needed (at least 10 characters)').max(2_000);
const bundleId = z.object({ id: uuid.meta({ description: "the bundle's id" }) });

export const evidenceEndpoints = {
  forCase: endpoint({
    method: 'POST',
    path: '/v1/cases/{id}/bundles',
    tag: 'evidence',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'Build the signed evidence bundle of a case (a worker job); answers its id to follow progress',
    params: z.object({ id: uuid.meta({ description: "the case's id" }) }),
    body: z.strictObject({ reason: evidenceReason }),
    response: Bundle,
    status: 202,
  }),
  forQuery: endpoint({
    method: 'POST',
    path: '/v1/bundles',
    tag: 'evidence',
    access: ['auditor', 'admin'],
    summary: 'Build a signed evidence bundle for a query: subjects, rules and a time range',
    body: z.strictObject({
      reason: evidenceReason,
      query: z
        .strictObject({
          subjects: z.array(z.strictObject({ kind: z.enum(SUBJECT_KINDS), id: z.string().min(1).max(200) })).max(1_000).optional(),
          ruleIds: z.array(z.string().min(1).max(100)).max(100).optional(),
          from: z.iso.datetime({ offset: true }),
          to: z.iso.datetime({ offset: true }),
        })
        .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] }),
    }),
    response: Bundle,
    status: 202,
  }),
  list: endpoint({
    method: 'GET',
    path: '/v1/bundles',
    tag: 'evidence',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      "Bundles built, newest first, optionally of one case: status, progress, size, SHA-256, who asked for it (by name), why, the case's number, when asked and finished. Bundles about an officer or unit the caller is recused from are left out and counted in withheld",
    query: z.strictObject({
      case: uuid.optional().meta({ description: "only this case's bundles" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).max(100_000).default(0),
    }),
    response: BundleList,
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/bundles/{id}',
    tag: 'evidence',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'A bundle: status (queued, running, done, failed), progress in percent, and its SHA-256 and size when done',
    params: bundleId,
    response: Bundle,
  }),
  download: endpoint({
    method: 'GET',
    path: '/v1/bundles/{id}/download',
    tag: 'evidence',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'Download a finished bundle, streamed',
    params: bundleId,
    response: { media: 'application/zip', description: 'the signed bundle (ZIP); its SHA-256 in the x-content-sha256 header' },
  }),
  verify: endpoint({
    method: 'POST',
    path: '/v1/bundles/verify',
    tag: 'evidence',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      "Verify a bundle sent as the request body (Content-Type application/zip): every hash, the chain links, and that the manifest and checkpoints are signed by the product's own keys (GET /v1/keys) within each key's period; names each failure",
    rawBody: { media: ['application/zip'], description: 'the bundle (ZIP) as it was downloaded' },
    response: BundleVerification,
  }),
  latestCheckpoint: endpoint({
    method: 'GET',
    path: '/v1/checkpoints/latest',
    tag: 'evidence',
    access: ['prosecutor', 'rule_author', 'auditor', 'admin'],
    summary: 'The latest signed checkpoint of every chain head and of the access log',
    response: Checkpoint,
  }),
  checkpoints: endpoint({
    method: 'GET',
    path: '/v1/checkpoints',
    tag: 'evidence',
    access: ['auditor', 'admin'],
    summary: 'Every signed checkpoint since a time, to keep a copy outside the product',
    query: z.strictObject({ from: z.iso.datetime({ offset: true }).optional() }),
    response: z.object({ items: z.array(Checkpoint) }).meta({ id: 'CheckpointList' }),
  }),
  verifyAccessLog: endpoint({
    method: 'POST',
    path: '/v1/access-log/verify',
    tag: 'evidence',
    access: ['auditor', 'admin'],
    summary: 'Recompute the access log chains, hold them to every signed checkpoint, and name any edited, deleted, inserted or unchained row',
    response: AccessLogVerification,
  }),
  keys: endpoint({
    method: 'GET',
    path: '/v1/keys',
    tag: 'evidence',
    access: 'public',
    summary:
      'Open, no sign-in: the public keys that sign evidence bundles and checkpoints, the active one first: { keys: [{ keyId, publicKey (raw Ed25519, base64), algorithm, validFrom, validUntil }] }. validFrom null: it signed before periods were recorded; validUntil null: it signs now. Save the answer to a file and pass it to `npx qadaga verify-bundle FILE --keys keys.json`.',
    response: z.object({ keys: z.array(PublishedKey) }).meta({ id: 'PublishedKeys' }),
  }),
} satisfies Record<string, EndpointContract>;
