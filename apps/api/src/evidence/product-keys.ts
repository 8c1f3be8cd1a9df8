import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { AppConfig } from '@qadaga/config';
import { SigningKeyRepository } from '@qadaga/db';
import { SIGNATURE_ALGORITHM, publicKeyOfPem, type PinnedKey, type PublishedKey } from '@qadaga/evidence';
import { APP_CONFIG, PG_POOL } from '../core/tokens.js';

/**
 * The product's own signing keys: those the signing processes recorded as they booted
 * (signing_key, with the period each was the signer), and any configured here in
 * SIGNING_KEY_FILES that none has recorded yet, with no known period. Read on every call,
 * so a rotation a worker records is known without restarting the API.
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

  /** Every key, the active signer first, as GET /v1/keys publishes them. */
  async published(): Promise<PublishedKey[]> {
    const keys: PublishedKey[] = (await this.recorded.list()).map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, algorithm: SIGNATURE_ALGORITHM, validFrom: k.validFrom, validUntil: k.validUntil }));
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
