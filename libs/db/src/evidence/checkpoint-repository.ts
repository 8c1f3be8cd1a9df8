import type pg from 'pg';
import type { Checkpoint, IntegrityAlarm, IntegrityAlarmKind } from '@qadaga/contracts/api';
import { inTransaction } from '../transaction.js';

/** The heads of every ledger chain (that has rows) and of every access-log lane. */
export interface ChainHeads {
  ledgerHeads: { chainId: string; seq: string; hash: string }[];
  accessLogLanes: { lane: number; seq: string; hash: string }[];
}

/** Reads the heads with the caller's connection, so they belong to the caller's snapshot. */
export async function readHeads(client: pg.PoolClient): Promise<ChainHeads> {
  const ledger = await client.query<{ chain_id: string; head_seq: string; head_hash: string }>('SELECT chain_id, head_seq, head_hash FROM ledger_chain WHERE head_seq > 0 ORDER BY chain_id');
  const access = await client.query<{ lane: number; head_seq: string; head_hash: string }>('SELECT lane, head_seq, head_hash FROM access_log_chain ORDER BY lane');
  return {
    ledgerHeads: ledger.rows.map((r) => ({ chainId: r.chain_id, seq: r.head_seq, hash: r.head_hash })),
    accessLogLanes: access.rows.map((r) => ({ lane: r.lane, seq: r.head_seq, hash: r.head_hash })),
  };
}

/** A signed checkpoint as stored and as the API answers it. */
export type StoredCheckpoint = Checkpoint;

/** A ledger_checkpoint row as node-postgres returns it. */
export interface CheckpointRow {
  id: string;
  at: Date;
  ledger_heads: StoredCheckpoint['ledgerHeads'];
  access_log_head: StoredCheckpoint['accessLogHead'];
  key_id: string;
  public_key: string;
  signature: string;
}

export const toCheckpoint = (r: CheckpointRow): StoredCheckpoint => ({
  id: r.id,
  at: r.at.toISOString(),
  ledgerHeads: r.ledger_heads,
  accessLogHead: r.access_log_head,
  keyId: r.key_id,
  publicKey: r.public_key,
  signature: r.signature,
});

/** Signed checkpoints of the chains' heads, append-only. Signing happens outside: this only stores and reads. */
export class CheckpointRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The current heads of every ledger chain and access-log lane, read in one snapshot. */
  async currentHeads(): Promise<ChainHeads> {
    return inTransaction(this.pool, readHeads, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async store(
    checkpoint: Omit<StoredCheckpoint, 'id' | 'ledgerHeads' | 'accessLogHead'> & {
      ledgerHeads: { chainId: string; seq: string | number; hash: string }[];
      accessLogHead: Readonly<Record<string, unknown>> | null;
    },
  ): Promise<StoredCheckpoint> {
    const { rows } = await this.pool.query<CheckpointRow>(
      `INSERT INTO ledger_checkpoint (at, ledger_heads, access_log_head, key_id, public_key, signature)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [checkpoint.at, JSON.stringify(checkpoint.ledgerHeads.map((h) => ({ chainId: h.chainId, seq: String(h.seq), hash: h.hash }))), checkpoint.accessLogHead === null ? null : JSON.stringify(checkpoint.accessLogHead), checkpoint.keyId, checkpoint.publicKey, checkpoint.signature],
    );
    return toCheckpoint(rows[0] as CheckpointRow);
  }

  async latest(): Promise<StoredCheckpoint | null> {
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM ledger_checkpoint ORDER BY id DESC LIMIT 1');
    return rows[0] === undefined ? null : toCheckpoint(rows[0]);
  }

  /** Every checkpoint since a time, oldest first: what an outside copy needs to keep. */
  async since(from: Date, limit = 10_000): Promise<StoredCheckpoint[]> {
    const { rows } = await this.pool.query<CheckpointRow>('SELECT * FROM ledger_checkpoint WHERE at >= $1 ORDER BY id LIMIT $2', [from, limit]);
    return rows.map(toCheckpoint);
  }
}

export type { IntegrityAlarm, IntegrityAlarmKind } from '@qadaga/contracts/api';

interface AlarmRow {
  id: string;
  raised_at: Date;
  kind: IntegrityAlarmKind;
  message: string;
  checkpoint_id: string | null;
  failures: unknown[];
}

const toAlarm = (r: AlarmRow): IntegrityAlarm => ({ id: r.id, raisedAt: r.raised_at.toISOString(), kind: r.kind, message: r.message, checkpointId: r.checkpoint_id, failures: r.failures });

/**
 * Integrity alarms, append-only: a checkpoint refused is written down where a person will
 * find it, and a trigger keeps the record from being quietly withdrawn.
 */
export class IntegrityAlarmRepository {
  constructor(private readonly pool: pg.Pool) {}

  async raise(alarm: Omit<IntegrityAlarm, 'id' | 'raisedAt'>): Promise<IntegrityAlarm> {
    const { rows } = await this.pool.query<AlarmRow>('INSERT INTO integrity_alarm (kind, message, checkpoint_id, failures) VALUES ($1, $2, $3, $4) RETURNING *', [
      alarm.kind,
      alarm.message,
      alarm.checkpointId,
      JSON.stringify(alarm.failures),
    ]);
    return toAlarm(rows[0] as AlarmRow);
  }

  /** Alarms raised since a time, newest first. */
  async since(from: Date, limit = 1_000): Promise<IntegrityAlarm[]> {
    const { rows } = await this.pool.query<AlarmRow>('SELECT * FROM integrity_alarm WHERE raised_at >= $1 ORDER BY id DESC LIMIT $2', [from, limit]);
    return rows.map(toAlarm);
  }
}
