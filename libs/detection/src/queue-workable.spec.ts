import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlagPage } from '@qadaga/contracts/api';
import { createPool, createPrismaClient, FlagRepository, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { IngestPipeline, LedgerWriter, ingestStream } from '@qadaga/ledger';
// The simulated city is what the demo and the quality command load; a spec may read it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { simulateCity } from '@qadaga/simulator';
import { inPriorityOrder, type Severity } from '@qadaga/domain';
import { installRulePack } from './install-rule-pack.js';
import { QUALITY_CITY, QUALITY_SIMULATION_END, queueHealth, sweepMonthEnds, type QueueHealth } from './quality.js';
import { RuleRunner } from './rule-runner.js';

/**
 * The queue a prosecutor opens, on the two simulated cities the product is judged on: the
 * demo's (seed 2026, 20,000 violations, one sweep as of the simulation's end, as the demo
 * evaluates it) and the quality command's (seed 7, 60,000 violations, a sweep at every
 * month's end, as `qadaga quality` replays the year). On each: no rule drowns the others,
 * every open flag has a score to order it by, and the first page shows every severity
 * there is to see, each its share as the domain orders the queue. Completeness rules raise
 * one flag per responsible unit or source, not one per violation (they raised about 900 of
 * the demo's 1,000 open flags).
 */
const DEMO_END = '2026-10-31T19:00:00Z';
const OPEN: ('new' | 'triaged')[] = ['new', 'triaged'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

const pool = createPool({ url: testDatabaseUrl(), size: 6 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);
const flags = new FlagRepository(pool);

interface OpenFlag {
  id: string;
  rule_id: string;
  severity: Severity;
  score: number;
  subject_kind: string;
}

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

const CITIES = [
  { name: "the demo's city", seed: 2026, violations: 20_000, end: DEMO_END, evaluate: (runner: RuleRunner) => runner.evaluate({ asOf: new Date(DEMO_END) }) },
  { name: "the quality command's city", ...QUALITY_CITY, end: QUALITY_SIMULATION_END, evaluate: (runner: RuleRunner) => sweepMonthEnds(runner, QUALITY_SIMULATION_END) },
];

describe.each(CITIES)('the queue on $name', (cityOptions) => {
  let open: OpenFlag[] = [];
  let firstPage: FlagPage['flags'] = [];
  let firstPageCounts: Record<(typeof SEVERITIES)[number], number>;
  let health: QueueHealth;

  beforeAll(async () => {
    await resetLedger(pool);
    await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, rule_version, rule, suppression, officer, vehicle, camera, dispatch CASCADE');
    const city = simulateCity({ seed: cityOptions.seed, violations: cityOptions.violations, end: cityOptions.end });
    await new ReferenceRepository(pool).load(city.reference);
    await installRulePack(rules);
    await ingestStream(new IngestPipeline(new LedgerWriter(pool)), city.events());
    await cityOptions.evaluate(new RuleRunner(pool, rules, 'Asia/Almaty'));
    open = (await pool.query<OpenFlag>('SELECT id::text, rule_id, severity, score, subject_kind FROM flag WHERE status = ANY($1)', [OPEN])).rows;
    const page = await flags.list({ status: OPEN, limit: 50 });
    firstPage = page.flags;
    firstPageCounts = page.bySeverity;
    health = await queueHealth(pool);
    // The numbers behind the assertions, for whoever tunes the pack.
    const perRule = new Map<string, number>();
    for (const flag of open) perRule.set(flag.rule_id, (perRule.get(flag.rule_id) ?? 0) + 1);
    console.info(`${cityOptions.name}: open flags ${open.length}; per rule: ${JSON.stringify(Object.fromEntries([...perRule].sort((a, b) => b[1] - a[1])))}`);
    console.info(`${cityOptions.name}: first page (${firstPage.length}) by severity: ${JSON.stringify(health.firstPage)}`);
  }, 900_000);

  it('raises completeness flags per responsible unit or source, not per violation', () => {
    const completeness = open.filter((flag) => ['unreviewed-detection', 'confirmed-without-notice', 'notice-not-delivered', 'paid-without-treasury'].includes(flag.rule_id));
    expect(completeness.length).toBeGreaterThan(0);
    expect(completeness.every((flag) => flag.subject_kind === 'unit' || flag.subject_kind === 'source')).toBe(true);
  });

  it('names the violations of each roll-up, and as its evidence the events that started their wait', async () => {
    const lists: Record<string, [string, string]> = {
      'unreviewed-detection': ['unreviewedRefs', 'unreviewedEvidenceEventIds'],
      'confirmed-without-notice': ['withoutNoticeRefs', 'withoutNoticeEvidenceEventIds'],
      'notice-not-delivered': ['undeliveredRefs', 'undeliveredEvidenceEventIds'],
      'paid-without-treasury': ['unmatchedRefs', 'unmatchedEvidenceEventIds'],
    };
    const { rows } = await pool.query<{ rule_id: string; facts: Record<string, unknown>; evidence: string[] }>(
      `SELECT rule_id, facts, (SELECT coalesce(array_agg((x->>'source') || '|' || (x->>'eventId')), '{}') FROM jsonb_array_elements(evidence) x) AS evidence
       FROM flag WHERE rule_id = ANY($1)`,
      [Object.keys(lists)],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { rule_id, facts, evidence } of rows) {
      const [refsFact, evidenceFact] = lists[rule_id] as [string, string];
      const refs = facts[refsFact] as string[];
      // The rule's evidence list is stored as the flag's evidence, not repeated among its facts.
      expect(facts[evidenceFact]).toBeUndefined();
      expect(refs.length).toBeGreaterThan(0);
      const events = await pool.query<{ ref: string }>(
        "SELECT DISTINCT e.violation_ref AS ref FROM unnest($1::text[]) k JOIN ledger_event e ON e.source || '|' || e.event_id = k",
        [evidence],
      );
      // The evidence covers the oldest of the violations listed (up to 200), and nothing else.
      expect(events.rows.map((r) => r.ref).sort()).toEqual(refs.slice(0, 200).sort());
    }
  });

  it('lets no rule hold more than a quarter of the open flags', () => {
    const perRule = new Map<string, number>();
    for (const flag of open) perRule.set(flag.rule_id, (perRule.get(flag.rule_id) ?? 0) + 1);
    const heavy = [...perRule].filter(([, n]) => n > open.length / 4);
    expect(heavy).toEqual([]);
  });

  it('gives every open flag a score above zero', () => {
    expect(open.length).toBeGreaterThan(0);
    expect(open.filter((flag) => !(flag.score > 0)).map((flag) => flag.rule_id)).toEqual([]);
  });

  it('counts on the first page of the queue every severity of the open flags, exactly', () => {
    for (const severity of SEVERITIES) {
      expect(firstPageCounts[severity], severity).toBe(open.filter((flag) => flag.severity === severity).length);
    }
  });

  it('shows every severity of the open flags on the first page of the queue', () => {
    const present = SEVERITIES.filter((severity) => open.some((flag) => flag.severity === severity));
    const shown = new Set<string>(firstPage.map((flag) => flag.severity));
    expect(present.filter((severity) => !shown.has(severity))).toEqual([]);
  });

  it('orders the first page as the domain orders the whole queue', () => {
    expect(firstPage.map((flag) => flag.id)).toEqual(inPriorityOrder(open).slice(0, 50).map((flag) => flag.id));
  });

  it('is summed up by queueHealth as the quality command prints it', () => {
    const perRule = new Map<string, number>();
    for (const flag of open) perRule.set(flag.rule_id, (perRule.get(flag.rule_id) ?? 0) + 1);
    const largest = Math.max(...perRule.values());
    expect(health).toMatchObject({ open: open.length, unscored: 0, largestRule: { flags: largest, share: largest / open.length } });
    for (const severity of SEVERITIES) expect(health.firstPage[severity as Severity]).toBe(firstPage.filter((f) => f.severity === severity).length);
  });
});
