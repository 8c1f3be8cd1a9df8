import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageReport } from '@qadaga/contracts/api';
import { ReferenceRepository, RuleRepository, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { installRulePack } from '@qadaga/detection';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/**
 * GET /v1/coverage over an imported export that dates its events and never reports a
 * delivery: the workbench is told which rules cannot judge it, instead of seeing silence.
 */
let t: TestApp;
const LAST = new Date('2026-04-10T19:00:00.000Z');

beforeAll(async () => {
  // A fresh database: the test app empties it before issuing its keys.
  t = await startTestApp();
  await t.pool.query('TRUNCATE flag, flag_history, suppression, rule_version, rule, officer CASCADE');
  await new ReferenceRepository(t.pool).load({ sources: [{ code: 'xcity', name: 'Another city', kind: 'register' }], officers: [], vehicles: [], cameras: [], dispatches: [] });
  const events = Array.from({ length: 30 }, (_, i) => {
    const day = new Date(LAST.getTime() - (29 - i) * 3 * 86_400_000).toISOString();
    return [
      { source: 'xcity', eventId: `X-${i}-1`, violationRef: `X-${i}`, type: 'detected', occurredAt: day, actor: { kind: 'camera', id: 'C' }, payload: { article: '592.1', plate: '123ABC02' } },
      { source: 'xcity', eventId: `X-${i}-2`, violationRef: `X-${i}`, type: 'notice_issued', occurredAt: day, actor: { kind: 'system', id: 'x' }, payload: { noticeNumber: `N-${i}` } },
    ];
  }).flat();
  const ingested = await new IngestPipeline(new LedgerWriter(t.pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
  expect(ingested.summary.rejected).toBe(0);
  await installRulePack(new RuleRepository(createPrismaClient(t.pool)));
});
afterAll(async () => t.close());

describe('GET /v1/coverage', () => {
  it('judges as of the end of the imported history and says which rules cannot judge which source', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/coverage', headers: { authorization: `Bearer ${t.keys.auditor}` } });
    expect(res.statusCode).toBe(200);
    const report = CoverageReport.parse(res.json());
    expect(report).toMatchObject({ asOf: new Date(LAST.getTime() + 1).toISOString(), asOfBasis: 'history-end' });
    expect(report.sources).toEqual([expect.objectContaining({ source: 'xcity', precision: 'day', events: 60, eventTypes: { detected: 30, notice_issued: 30 } })]);
    const notice = report.rules.find((r) => r.ruleId === 'notice-not-delivered');
    expect(notice).toMatchObject({ sources: [{ source: 'xcity', judges: 'cannot', unsupported: [{ fact: 'noticesUndelivered', reason: 'reports no deliveries' }] }], subjectsNotJudged: 1, itemsNotJudged: 19 });
    // Due: the 19 notices issued 31 days or more before the end (every third day, 87 days back).
  });

  it('refuses an asOf that is not an instant, naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/coverage?asOf=yesterday', headers: { authorization: `Bearer ${t.keys.rule_author}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json().reasons[0].path).toBe('asOf');
  });
});
