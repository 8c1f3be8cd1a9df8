import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@qadaga/config';
import type { SignatureCheck } from '@qadaga/ledger';
import { trustedKeysOfFiles, verifyCheckpoint } from '@qadaga/evidence';
import { APP_CONFIG } from '../core/tokens.js';

/**
 * Which keys a stored checkpoint must be signed by: the product's (SIGNING_KEY_FILES).
 * A checkpoint signed by any other key proves nothing, whoever wrote it into the table.
 * Without key files the signer uses an ephemeral key the API cannot know; a checkpoint is
 * then only checked against the key it carries, and the answer says so.
 */
@Injectable()
export class CheckpointTrust {
  readonly trustedKeys: readonly string[] | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const files = config.evidence.signingKeyFiles;
    this.trustedKeys = files === null ? null : trustedKeysOfFiles(files);
    if (this.trustedKeys === null) new Logger('integrity').warn('SIGNING_KEY_FILES is not set: checkpoints are checked against the key each one carries, not against the product\'s keys');
  }

  /** The signature check the verifiers take. */
  readonly signature: SignatureCheck = (checkpoint) => verifyCheckpoint(checkpoint, this.trustedKeys === null ? {} : { trustedKeys: this.trustedKeys });

  /** How the signatures were judged, for the answer. */
  get trust(): 'product_keys' | 'carried_key_only' {
    return this.trustedKeys === null ? 'carried_key_only' : 'product_keys';
  }
}
