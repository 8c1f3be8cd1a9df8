import { Controller, Inject } from '@nestjs/common';
import { integrityEndpoints as api, type LedgerStats, type LedgerVerification } from '@qadaga/contracts/api';
import { AccessLogRepository } from '@qadaga/db';
import { LedgerReader, LedgerVerifier } from '@qadaga/ledger';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { CheckpointTrust } from '../integrity/checkpoint-trust.js';
import { Endpoint } from '../http/endpoint.decorator.js';

@Controller()
export class LedgerController {
  constructor(
    @Inject(LedgerReader) private readonly reader: LedgerReader,
    @Inject(LedgerVerifier) private readonly verifier: LedgerVerifier,
    @Inject(AccessLogRepository) private readonly accessLog: AccessLogRepository,
    @Inject(CheckpointTrust) private readonly trust: CheckpointTrust,
  ) {}

  @Endpoint(api.ledgerStats)
  stats(): Promise<LedgerStats> {
    return this.reader.stats();
  }

  @Endpoint(api.verifyLedger)
  async verify(@CurrentPrincipal() principal: Principal): Promise<LedgerVerification> {
    await this.accessLog.record({ principal: principal.id, roles: principal.roles, action: 'verify_ledger', subjectKind: 'ledger', subjectId: '*' });
    const report = await this.verifier.verify({ checkpoints: { signature: this.trust.signature } });
    return { ...report, checkpoints: { ...report.checkpoints, trust: this.trust.trust } };
  }
}
