import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, RuleRepository } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { installRulePack } from '@qadaga/detection';

/**
 * An imported history that ended months ago, dated to the day, that never reports a
 * delivery: `qadaga rules sweep` judges it as of its own end and says so, and
 * `qadaga coverage` says which rules cannot judge it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const LAST = new Date('2025-11-30T19:00:00.000Z');

function qadaga(args: string[]) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/cli/bin/qadaga.mjs'), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: testDatabaseUrl() }, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown> };
}

beforeAll(async () => {
  await resetLedger(pool);
  const events = Array.from({ length: 40 }, (_, i) => {
    const day = new Date(LAST.getTime() - (39 - i) * 2 * 86_400_000).toISOString();
    return [
      { source: 'xcity', eventId: `X-${i}-1`, violationRef: `X-${i}`, type: 'detected', occurredAt: day, actor: { kind: 'camera', id: 'C' }, payload: { article: '592.1', plate: '123ABC02' } },
      { source: 'xcity', eventId: `X-${i}-2`, violationRef: `X-${i}`, type: 'notice_issued', occurredAt: day, actor: { kind: 'system', id: 'x' }, payload: { noticeNumber: `N-${i}` } },
    ];
  }).flat();
  await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
  const prisma = createPrismaClient(pool);
  await installRulePack(new RuleRepository(prisma));
  await prisma.$disconnect();
});
afterAll(async () => pool.end());

describe('a sweep of an imported history', () => {
  it('judges as of the end of the history by default, and says so', () => {
    const run = qadaga(['rules', 'sweep', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ asOf: new Date(LAST.getTime() + 1).toISOString(), asOfBasis: 'history-end' });
    expect(run.stderr).toContain(`judging as of ${new Date(LAST.getTime() + 1).toISOString()} (the end of the ledger's history)`);
  });

  it('judges as of --as-of when given, and refuses one that is not an instant', () => {
    expect(qadaga(['rules', 'sweep', '--json', '--as-of', '2025-10-01T00:00:00Z']).json()).toMatchObject({ asOf: '2025-10-01T00:00:00.000Z', asOfBasis: 'given' });
    const bad = qadaga(['rules', 'sweep', '--as-of', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--as-of: not an instant: soon');
  });
});

describe('qadaga coverage', () => {
  it('says, per rule and source, what could not be judged', () => {
    const run = qadaga(['coverage']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^xcity\s+80\s+day\s+/mu);
    // Due: the 24 notices issued 31 days or more before the end (every other day, 78 days back).
    expect(run.stdout).toMatch(/^notice-not-delivered\s+1\s+1\s+0\s+24\s+xcity not at all: reports no deliveries$/mu);
    expect(run.stdout).toMatch(/^officer-outlier-rate\s+0\s+0\s+0\s+0\s+needs nothing a source may lack$/mu);
    const report = qadaga(['coverage', '--json']).json() as { rules: { ruleId: string; subjectsNotJudged: number }[] };
    expect(report.rules.find((r) => r.ruleId === 'notice-not-delivered')?.subjectsNotJudged).toBe(1);
  });
});
