import type { PrismaClient } from '../generated/prisma/client.js';

export interface AccessRecord {
  principal: string;
  roles: readonly string[];
  action: string;
  subjectKind: 'plate' | 'officer' | 'violation' | 'ledger' | 'export' | 'rule' | 'case';
  subjectId: string;
  reason?: string;
  details?: Record<string, unknown>;
}

/**
 * Every read of personal data is written down before the data is returned: if the
 * record cannot be written, the read fails.
 */
export class AccessLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AccessRecord): Promise<void> {
    await this.prisma.accessLog.create({
      data: {
        principal: entry.principal,
        roles: [...entry.roles],
        action: entry.action,
        subjectKind: entry.subjectKind,
        subjectId: entry.subjectId,
        reason: entry.reason ?? null,
        ...(entry.details === undefined ? {} : { details: entry.details as object }),
      },
    });
  }
}
