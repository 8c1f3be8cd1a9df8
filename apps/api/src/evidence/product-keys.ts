import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import { SigningKeyRepository } from '@qadaga/db';
import { SIGNATURE_ALGORITHM, publicKeyOfPem, type PinnedKey, type PublishedKey } from '@qadaga/evidence';
import { APP_CONFIG, PG_POOL } from '../core/tokens.js';

/**
 * The product's own signing keys. Trust comes from outside the database: the public keys
 * the API is given in SIGNING_KEY_FILES are the only ones it pins, and signing_key (which
 * the signing processes write as they boot) only adds the period each of them was the
 * signer. A key someone with SQL rights writes into signing_key is not trusted. Without
 * key files (a demo, a trial) nothing outside the database names the keys: the recorded
 * ones are used, and the answers say so (keysFrom: 'database'). Read on every call, so a
 * rotation a worker records is known without restarting the API.
 */
@Injectable()
export class ProductKeys {
  private readonly recorded: SigningKeyRepository;
  private readonly configured: { keyId: string; publicKey: string }[];

  constructor(@Inject(PG_POOL) pool: pg.Pool, @Inject(APP_CONFIG) config: AppConfig) {
    this.recorded = new SigningKeyRepository(pool);
    // Only the public halves are kept: the API verifies, it never signs.
    this.configured = (config.evidence.signingKeyFiles ?? []).map((file) => publicKeyOfPem(readKeyFile(file), `SIGNING_KEY_FILES: ${file}`));
  }

  /** Where the trusted keys come from: the API's own configuration, or (without it) the database alone. */
  get keysFrom(): 'configured' | 'database' {
    return this.configured.length > 0 ? 'configured' : 'database';
  }

  /** Every key, the active signer first, as GET /v1/keys publishes them. */
  async published(): Promise<PublishedKey[]> {
    const recorded: PublishedKey[] = (await this.recorded.list()).map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, algorithm: SIGNATURE_ALGORITHM, validFrom: k.validFrom, validUntil: k.validUntil }));
    if (this.keysFrom === 'database') return recorded;
    // A recorded key counts only if it is one of ours, byte for byte; a configured key no worker recorded has no known period.
    const keys = recorded.filter((r) => this.configured.some((c) => c.keyId === r.keyId && c.publicKey === r.publicKey));
    for (const k of this.configured) {
      if (!keys.some((r) => r.keyId === k.keyId)) keys.push({ ...k, algorithm: SIGNATURE_ALGORITHM, validFrom: null, validUntil: null });
    }
    return keys;
  }

  /** The same keys, as the verifier pins them. */
  async pinned(): Promise<PinnedKey[]> {
    return (await this.published()).map(({ keyId, publicKey, validFrom, validUntil }) => ({ keyId, publicKey, validFrom, validUntil }));
  }
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`SIGNING_KEY_FILES: ${file}: cannot be read by the API (${error instanceof Error ? error.message : String(error)}); give the API the public keys only, or unset it there`);
  }
}
