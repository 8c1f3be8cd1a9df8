import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { SigningKeyRepository } from '@qadaga/db';
import { KeyRing, generateSigningKey } from '@qadaga/evidence';

/**
 * The signing key ring from the configured PEM files: the first signs, the others (private,
 * or public only once retired) are kept so what they signed still verifies. Without files an
 * ephemeral key is made: good enough to try the product, worthless as evidence, and said so
 * in the log.
 *
 * The ring is recorded before anything is signed, so the verifier knows from when each key
 * signs: a new first key starts its period now and ends the previous key's. Boot fails when
 * the first key was already retired, rather than sign evidence the product would refuse.
 */
export async function signingKeyRing(files: string[] | null, pool: pg.Pool): Promise<KeyRing> {
  let ring: KeyRing;
  if (files === null) {
    new Logger('evidence').warn('SIGNING_KEY_FILES is not set: signing with an ephemeral key that dies with this process (each start records a new key and retires the last; run one worker so)');
    ring = KeyRing.of(generateSigningKey());
  } else {
    ring = KeyRing.fromPem(
      files.map((file) => readFileSync(file, 'utf8')),
      files.map((file) => `SIGNING_KEY_FILES: ${file}`),
    );
  }
  const recorded = await new SigningKeyRepository(pool).recordRing({ activeKeyId: ring.activeKeyId, keys: ring.publicKeys() });
  ring.activeSince = recorded.find((k) => k.keyId === ring.activeKeyId)?.validFrom ?? null;
  return ring;
}
