import type pg from 'pg';
import { inTransaction } from '../transaction.js';

/** One signing key and the period it was the product's active signer. */
export interface SigningKeyRecord {
  keyId: string;
  /** The raw 32-byte Ed25519 public key in base64. */
  publicKey: string;
  algorithm: string;
  /** When it became the active signer; null when it signed before periods were recorded. */
  validFrom: string | null;
  /** When another key replaced it; null while it is the active signer. */
  validUntil: string | null;
  recordedAt: string;
}

/** The public view of a key ring: its active key first among its keys. */
export interface RingPublicKeys {
  activeKeyId: string;
  keys: readonly { keyId: string; publicKey: string }[];
}

/** A ring whose active key was retired: signing with it would make evidence the product itself refuses. */
export class RetiredSigningKeyError extends Error {
  constructor(
    readonly keyId: string,
    readonly retiredAt: string,
  ) {
    super(`SIGNING_KEY_FILES: the first key, ${keyId}, was retired at ${retiredAt} when another key became the signer; a retired key does not sign again: list the current key first, or make a new one (npx qadaga signing-key new)`);
    this.name = 'RetiredSigningKeyError';
  }
}

interface SigningKeyRow {
  key_id: string;
  public_key: string;
  algorithm: string;
  active_from: Date | null;
  retired_at: Date | null;
  recorded_at: Date;
}

const toRecord = (r: SigningKeyRow): SigningKeyRecord => ({
  keyId: r.key_id,
  publicKey: r.public_key,
  algorithm: r.algorithm,
  validFrom: r.active_from?.toISOString() ?? null,
  validUntil: r.retired_at?.toISOString() ?? null,
  recordedAt: r.recorded_at.toISOString(),
});

/** Serialises recordings across processes: an API and workers may boot at the same moment. */
const RECORD_LOCK = 'signing_key.record';

/**
 * When each signing key was the active signer. A process that signs records its ring as it
 * boots; the verifier reads the periods back, so evidence a key signed outside its period
 * is refused.
 */
export class SigningKeyRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Records a ring as it boots, at `at` (the signer's own clock, the one it dates its
   * signatures with). The first recording ever gives every key no known start, because
   * they may have signed before periods were kept; the active key stays open and the others
   * are retired now. Later, a new active key starts now and retires the one before it; keys
   * of the ring not seen before are recorded as retired now. Idempotent for an unchanged
   * ring. Refuses a ring whose active key was already retired.
   */
  async recordRing(ring: RingPublicKeys, at: Date = new Date()): Promise<SigningKeyRecord[]> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [RECORD_LOCK]);
      const { rows } = await client.query<SigningKeyRow>('SELECT * FROM signing_key');
      const known = new Map(rows.map((r) => [r.key_id, r]));
      const active = ring.keys.find((k) => k.keyId === ring.activeKeyId);
      if (active === undefined) throw new Error(`activeKeyId: ${ring.activeKeyId} is not among the ring's keys`);
      const current = known.get(active.keyId);
      if (current?.retired_at !== null && current?.retired_at !== undefined) throw new RetiredSigningKeyError(active.keyId, current.retired_at.toISOString());
      // A clock behind the last recorded start must not end a period before it began.
      const latestStart = rows.reduce((max, r) => (r.active_from !== null && r.active_from.getTime() > max ? r.active_from.getTime() : max), Number.NEGATIVE_INFINITY);
      const now = new Date(Math.max(at.getTime(), latestStart + 1));
      if (current === undefined) {
        const first = rows.length === 0;
        if (!first) await client.query('UPDATE signing_key SET retired_at = $1 WHERE retired_at IS NULL', [now]);
        await client.query('INSERT INTO signing_key (key_id, public_key, active_from) VALUES ($1, $2, $3)', [active.keyId, active.publicKey, first ? null : now]);
      }
      for (const key of ring.keys) {
        if (key.keyId === active.keyId || known.has(key.keyId)) continue;
        await client.query('INSERT INTO signing_key (key_id, public_key, active_from, retired_at) VALUES ($1, $2, NULL, $3)', [key.keyId, key.publicKey, now]);
      }
    });
    return this.list();
  }

  /** Every recorded key, the active signer first, then by when they were retired, newest first. */
  async list(): Promise<SigningKeyRecord[]> {
    const { rows } = await this.pool.query<SigningKeyRow>('SELECT * FROM signing_key ORDER BY retired_at DESC NULLS FIRST, active_from DESC NULLS LAST, key_id');
    return rows.map(toRecord);
  }
}
