import { z } from 'zod';
import { isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';

/** A failure found by holding rows to a signed checkpoint, or of a checkpoint itself. */
export const CHECKPOINT_FAILURE_KINDS = [
  'checkpoint_hash_mismatch',
  'checkpoint_row_missing',
  'head_behind_checkpoint',
  'checkpoint_signature_invalid',
  'checkpoint_missing_from_database',
  'checkpoint_altered',
] as const;

/** What a chain walk finds wrong with the rows themselves. */
export const CHAIN_FAILURE_KINDS = ['content_edited', 'link_broken', 'rows_missing', 'row_inserted', 'tail_missing', 'head_mismatch'] as const;

/** How the signatures of the checkpoints were judged: with the product's keys, or only with the key each carries. */
export const CHECKPOINT_TRUSTS = ['product_keys', 'carried_key_only'] as const;

/** Which checkpoint a failure comes from, and whether it was read from the database or from a copy. */
export const CheckpointOrigin = z.object({ id: z.string(), at: isoInstant, origin: z.enum(['database', 'file']) }).meta({ id: 'CheckpointOrigin' });
export type CheckpointOrigin = z.infer<typeof CheckpointOrigin>;

/** How many signed checkpoints the rows were held to, whether their signatures were checked, and with which keys. */
export const CheckpointSummary = z
  .object({ checked: z.number().int(), fromFile: z.number().int(), signaturesChecked: z.boolean(), trust: z.enum(CHECKPOINT_TRUSTS) })
  .meta({ id: 'CheckpointSummary' });
export type CheckpointSummary = z.infer<typeof CheckpointSummary>;

/** What a failure found by holding rows to a signed checkpoint adds: the hash it signed, the hash found (null: no row), and which checkpoint. */
export const checkpointComparisonFields = {
  signedHash: z.string().nullable().optional(),
  foundHash: z.string().nullable().optional(),
  checkpoint: CheckpointOrigin.optional(),
};

export const LedgerVerifyFailure = z
  .object({
    kind: z.enum([...CHAIN_FAILURE_KINDS, ...CHECKPOINT_FAILURE_KINDS]),
    /** Null only for a failure of a checkpoint itself (missing, altered, badly signed). */
    chainId: z.string().nullable(),
    seq: z.string().nullable(),
    rowId: z.string().nullable(),
    eventId: z.string().nullable(),
    message: z.string(),
    ...checkpointComparisonFields,
  })
  .meta({ id: 'LedgerVerifyFailure' });
export type LedgerVerifyFailure = z.infer<typeof LedgerVerifyFailure>;

export const LedgerVerification = z
  .object({
    ok: z.boolean(),
    rowsChecked: z.number().int(),
    chains: z.array(z.object({ chainId: z.string(), rows: z.number().int(), headSeq: z.string(), headHash: z.string() })),
    failures: z.array(LedgerVerifyFailure),
    checkpoints: CheckpointSummary,
  })
  .meta({ id: 'LedgerVerification' });
export type LedgerVerification = z.infer<typeof LedgerVerification>;

/** Counts only: no personal data. */
export const LedgerStats = z
  .object({
    violations: z.number().int(),
    events: z.number().int(),
    eventsByType: z.record(z.string(), z.number()),
    eventsBySource: z.record(z.string(), z.number()),
    violationsByStatus: z.record(z.string(), z.number()),
    anomalies: z.number().int(),
    conflicts: z.number().int(),
  })
  .meta({ id: 'LedgerStats' });
export type LedgerStats = z.infer<typeof LedgerStats>;

export const INTEGRITY_ALARM_KINDS = ['checkpoint_not_extended', 'checkpoint_signature_invalid', 'checkpoint_vanished'] as const;
export type IntegrityAlarmKind = (typeof INTEGRITY_ALARM_KINDS)[number];

/** A checkpoint the signer refused to sign because the chains no longer extend the last one. */
export const IntegrityAlarm = z
  .object({
    id: z.string(),
    raisedAt: isoInstant,
    kind: z.enum(INTEGRITY_ALARM_KINDS),
    message: z.string(),
    /** The checkpoint the chains were compared with, if any. */
    checkpointId: z.string().nullable(),
    /** What was found, each naming the chain or lane, the position and the hashes. */
    failures: z.array(z.unknown()),
  })
  .meta({ id: 'IntegrityAlarm' });
export type IntegrityAlarm = z.infer<typeof IntegrityAlarm>;

export const integrityEndpoints = {
  alarms: endpoint({
    method: 'GET',
    path: '/v1/integrity/alarms',
    tag: 'integrity',
    access: ['auditor', 'admin'],
    summary: 'Integrity alarms, newest first: each refused checkpoint with the chain, position, signed and found hash of every failure',
    query: z.strictObject({
      from: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(1_000).optional(),
    }),
    response: z.object({ items: z.array(IntegrityAlarm) }).meta({ id: 'IntegrityAlarmList' }),
  }),
  ledgerStats: endpoint({
    method: 'GET',
    path: '/v1/ledger/stats',
    tag: 'ledger',
    access: ['prosecutor', 'rule_author', 'auditor', 'admin'],
    summary: 'Counts of violations and of events by type and source; no personal data',
    response: LedgerStats,
  }),
  verifyLedger: endpoint({
    method: 'POST',
    path: '/v1/ledger/verify',
    tag: 'ledger',
    access: ['auditor', 'admin'],
    summary:
      'Recompute every hash chain from the rows, hold them to every stored signed checkpoint, and name any edited, deleted or inserted row and any signed position that no longer holds its hash',
    response: LedgerVerification,
  }),
} satisfies Record<string, EndpointContract>;
