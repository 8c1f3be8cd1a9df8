import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { CheckpointRepository, IntegrityAlarmRepository, type ChainHeads, type IntegrityAlarm, type StoredCheckpoint } from '@qadaga/db';
import { verifyCheckpointExtension, type ExtensionFailure } from '@qadaga/ledger';
import { signCheckpoint, verifyCheckpoint, type KeyRing } from '@qadaga/evidence';

export type SignOutcome =
  | { id: string; rowsChecked: number }
  | { skipped: true }
  /** Nothing signed: the chains do not extend the last checkpoint; a person has to look. */
  | { refused: true; alarm: IntegrityAlarm };

/**
 * Signs a checkpoint only once the chains are shown to extend the last one, as a
 * Certificate Transparency log proves consistency between signed tree heads: each signed
 * position still holds its hash, no head went back, and every row written since links up
 * to the new head. Otherwise it signs nothing and raises an integrity alarm, so a rewrite
 * by someone with the database's superuser rights is never sealed by a new signature.
 */
export class CheckpointSigner {
  private readonly checkpoints: CheckpointRepository;
  private readonly alarms: IntegrityAlarmRepository;
  private readonly logger = new Logger('evidence');
  /** The last checkpoint this process signed: the database must still hold it, or a newer one. */
  private lastSigned: { id: string; at: string } | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly keyRing: KeyRing,
    /**
     * Key ids a previous checkpoint may be signed by; null when the ring is an ephemeral
     * key (no SIGNING_KEY_FILES), whose predecessors died with their processes: then only
     * that each checkpoint's signature holds with the key it carries is checked.
     */
    private readonly trustedKeys: readonly string[] | null,
  ) {
    this.checkpoints = new CheckpointRepository(pool);
    this.alarms = new IntegrityAlarmRepository(pool);
  }

  async sign(): Promise<SignOutcome> {
    const latest = await this.checkpoints.latest();
    if (this.lastSigned !== null && (latest === null || BigInt(latest.id) < BigInt(this.lastSigned.id))) {
      return this.refuse({
        kind: 'checkpoint_vanished',
        message: `checkpoint ${this.lastSigned.id} (${this.lastSigned.at}), signed by this process, is gone from the database (the latest is ${latest === null ? 'none' : latest.id})`,
        checkpointId: this.lastSigned.id,
        failures: [],
      });
    }
    if (latest !== null) {
      const signature = verifyCheckpoint(latest, this.trustedKeys === null ? {} : { trustedKeys: this.trustedKeys });
      if (!signature.ok) {
        return this.refuse({ kind: 'checkpoint_signature_invalid', message: `the latest checkpoint ${latest.id} (${latest.at}) cannot be extended: ${signature.reason}`, checkpointId: latest.id, failures: [] });
      }
    }
    const extension = await verifyCheckpointExtension(this.pool, latest);
    if (extension.failures.length > 0) return this.refuse(notExtended(latest, extension.failures));
    const { heads } = extension;
    if (latest !== null && sameHeads(latest, heads)) return { skipped: true };
    const signed = signCheckpoint({ at: new Date().toISOString(), ledgerHeads: heads.ledgerHeads, accessLogHead: { lanes: heads.accessLogLanes } }, this.keyRing);
    const stored = await this.checkpoints.store({
      at: signed.at,
      ledgerHeads: signed.ledgerHeads,
      accessLogHead: signed.accessLogHead,
      keyId: signed.keyId,
      publicKey: signed.publicKey,
      signature: signed.signature,
    });
    this.lastSigned = { id: stored.id, at: stored.at };
    return { id: stored.id, rowsChecked: extension.rowsChecked };
  }

  private async refuse(alarm: Omit<IntegrityAlarm, 'id' | 'raisedAt'>): Promise<SignOutcome> {
    const stored = await this.alarms.raise(alarm);
    const detail = (alarm.failures as ExtensionFailure[]).map((f) => `\n  ${f.kind} ${f.log === 'ledger' ? 'chain' : 'access-log lane'} ${f.chain}#${f.seq}: ${f.message}`).join('');
    this.logger.error(`INTEGRITY ALARM ${stored.id} (${alarm.kind}): no checkpoint signed. ${alarm.message}${detail}`);
    return { refused: true, alarm: stored };
  }
}

/** Compared field by field: jsonb hands the stored heads back with their keys in its own order. */
function sameHeads(latest: StoredCheckpoint, heads: ChainHeads): boolean {
  const ledger = (list: { chainId: string; seq: string; hash: string }[]) => list.map((h) => `${h.chainId} ${h.seq} ${h.hash}`).join('\n');
  const lanes = (list: { lane: number; seq: string; hash: string }[]) => list.map((l) => `${l.lane} ${l.seq} ${l.hash}`).join('\n');
  return ledger(latest.ledgerHeads) === ledger(heads.ledgerHeads) && lanes(latest.accessLogHead?.lanes ?? []) === lanes(heads.accessLogLanes);
}

function notExtended(latest: StoredCheckpoint | null, failures: ExtensionFailure[]): Omit<IntegrityAlarm, 'id' | 'raisedAt'> {
  const where = latest === null ? 'the chains do not recompute from their first rows' : `the chains no longer extend checkpoint ${latest.id} (${latest.at})`;
  return { kind: 'checkpoint_not_extended', message: `${where}: ${failures.length} failure${failures.length === 1 ? '' : 's'}, the first: ${failures[0]?.message ?? ''}`, checkpointId: latest?.id ?? null, failures };
}
