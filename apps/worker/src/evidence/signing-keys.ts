import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { KeyRing, generateSigningKey, keyIdOf, rawPublicKey } from '@qadaga/evidence';

/**
 * The signing key ring from the configured PEM files: the first signs, the others are
 * kept so what they signed still verifies. Without files an ephemeral key is made: good
 * enough to try the product, worthless as evidence, and said so in the log.
 */
export function signingKeyRing(files: string[] | null): KeyRing {
  if (files === null) {
    new Logger('evidence').warn('SIGNING_KEY_FILES is not set: signing with an ephemeral key that dies with this process');
    return KeyRing.of(generateSigningKey());
  }
  const keys = files.map((file) => {
    const privateKeyPem = readFileSync(file, 'utf8');
    return { keyId: keyIdOf(rawPublicKey(createPublicKey(privateKeyPem))), privateKeyPem };
  });
  return new KeyRing({ activeKeyId: (keys[0] as { keyId: string }).keyId, keys });
}
