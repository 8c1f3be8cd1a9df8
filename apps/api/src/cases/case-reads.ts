import { HttpStatus } from '@nestjs/common';
import type { CaseDetail, CaseRecord } from '@qadaga/contracts/api';
import type { AccessLogRepository, CaseRepository, FlagRepository } from '@qadaga/db';
import type { Principal } from '../auth/principal.js';
import { recusedSubjects, refuseRecused } from '../auth/recusal.js';
import { apiError } from '../http/api-error.js';

/**
 * What every endpoint that works on one case does around its own step: find the case and
 * refuse a reader recused from it, answer it as the case page shows it, and put the step in
 * the access log. The case, task and evidence endpoints share these so recusal cannot drift
 * between them.
 */

/** The case, if it exists (404 otherwise) and the principal is not recused from any officer or unit it is about (403). */
export async function readableCase(cases: CaseRepository, id: string, principal: Principal): Promise<CaseRecord> {
  const found = await cases.get(id);
  if (found === null) throw apiError(HttpStatus.NOT_FOUND, `no case ${id}`, [{ path: 'id', message: 'unknown case' }]);
  const recused = recusedSubjects(principal);
  if (recused.length > 0 && (await cases.subjectsOf(id)).some((s) => recused.includes(s))) throw refuseRecused('this case');
  return found;
}

/** The case with a summary of each of its flags, as the case page shows them. */
export async function caseWithFlags(flags: FlagRepository, detail: CaseRecord): Promise<CaseDetail> {
  const rows = await flags.getMany(detail.flagIds);
  return {
    ...detail,
    flags: rows.map((f) => ({ id: f.id, ruleId: f.ruleId, scheme: f.scheme, severity: f.severity, status: f.status, label: f.label, subjectKind: f.subjectKind, subjectId: f.subjectId, explanation: f.explanation, unit: f.unit, district: f.district })),
  };
}

/** One step on a case in the access log, with the reason the user gave when there is one. */
export async function logCaseStep(accessLog: AccessLogRepository, principal: Principal, action: string, caseId: string, details: Record<string, unknown>, reason?: string): Promise<void> {
  await accessLog.record({ principal: principal.id, roles: principal.roles, action, subjectKind: 'case', subjectId: caseId, details, ...(reason === undefined ? {} : { reason }) });
}
