import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, ReferenceRepository, RuleRepository } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { computeFacts, withFactSession } from '@qadaga/facts';
import { evaluateRule, loadRulePack, OVER_FLAGGING_SHARE, type RuleDefinition } from '@qadaga/rules';
import { Backtester, publishedCounterpart } from './backtest.js';
import { installRulePack } from './install-rule-pack.js';
import { TINY_REFERENCE, lifecycle } from '@qadaga/facts/testing';

const pool = createPool({ url: testDatabaseUrl(), size: 4 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);
const day = 86_400_000;
const at = (days: number) => new Date(Date.now() - days * day).toISOString();
const range = { from: new Date(Date.now() - 60 * day), to: new Date() };
const backdated = () => structuredClone(loadRulePack().find((r) => r.id === 'backdated-cancellation')) as RuleDefinition;

beforeAll(async () => {
  await resetLedger(pool);
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, outbox_cursor, rule_version, rule, suppression, officer, vehicle, camera, dispatch CASCADE');
  await new ReferenceRepository(pool).load(TINY_REFERENCE);
  await installRulePack(rules);
  const officer = { kind: 'officer' as const, id: 'S1', unit: 'AP-1', workstation: 'WS-S1' };
  // Cancellations recorded 72, 48 and 30 hours after they take effect, one recorded on time, and
  // a violation never cancelled: the default threshold (24 h) flags three, 48 h flags one.
  const cancelled = (ref: string, backdatedHours: number) =>
    lifecycle(ref, [
      { type: 'detected', at: at(20), source: 'cam', actor: { kind: 'camera', id: 'C1' } },
      { type: 'cancelled', at: at(10), recordedAt: at(10 - backdatedHours / 24), source: 'desk', actor: officer, payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } },
    ]);
  const events = [
    ...cancelled('V-late', 72),
    ...cancelled('V-48h', 48),
    ...cancelled('V-30h', 30),
    ...cancelled('V-prompt', 0),
    ...lifecycle('V-open', [{ type: 'detected', at: at(15), source: 'cam', actor: { kind: 'camera', id: 'C1' } }]),
  ];
  await new IngestPipeline(new LedgerWriter(pool)).ingest(events.map((value, index) => ({ index, value })), { allowedSource: null });
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

describe('Backtester progress', () => {
  it('reports a rising percent after each phase, ending at 100, on a first and on a cached run', async () => {
    const backtester = new Backtester(pool, 'Asia/Almaty');
    const published = await publishedCounterpart(rules, 'backdated-cancellation');
    expect(published?.version).toBe(1);
    const first: number[] = [];
    const result = await backtester.run(backdated(), published, range, { onProgress: (p) => void first.push(p) });
    expect(result.flags.map((f) => f.subjectId).sort()).toEqual(['V-30h', 'V-48h', 'V-late']);
    expect(result.timings.cachedFacts).toBe(false);
    expect(first.at(-1)).toBe(100);
    expect(first.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < first.length; i += 1) expect(first[i]).toBeGreaterThan(first[i - 1] as number);

    const moved = backdated();
    moved.parameters['minBackdatedHours']!.default = 200;
    const again: number[] = [];
    const strict = await backtester.run(moved, published, range, { onProgress: async (p) => void again.push(p) });
    expect(strict.timings.cachedFacts).toBe(true);
    expect(strict.diff.removed).toEqual(['V-30h', 'V-48h', 'V-late']);
    expect(again).toEqual(first);
  });

  it('waits for an asynchronous progress callback before going on', async () => {
    const order: string[] = [];
    await new Backtester(pool, 'Asia/Almaty').run(backdated(), null, range, {
      onProgress: async (p) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(`stored ${p}`);
      },
    });
    expect(order).toEqual(['stored 50', 'stored 75', 'stored 98', 'stored 100']);
  });

  it('compares with no published version when the stored one no longer validates', async () => {
    expect(await publishedCounterpart(rules, 'no-such-rule')).toBeNull();
    expect(await publishedCounterpart({ published: async () => ({ definition: { id: 'broken' }, version: 3 }) }, 'broken')).toBeNull();
  });
});

/** A backtest's result without its timings, which differ from run to run. */
const outcome = ({ timings: _timings, ...rest }: Awaited<ReturnType<Backtester['run']>>) => rest;

function withParameter(rule: RuleDefinition, name: string, value: number): RuleDefinition {
  const moved = structuredClone(rule);
  (moved.parameters[name] as { default: number }).default = value;
  return moved;
}

/** The per-week counts as one join over the ledger computes them, to check the cached lookups against. */
async function perWeekByJoin(kind: RuleDefinition['subject'], flagged: string[], window: { from: Date; to: Date }) {
  const subjects = await withFactSession(pool, (db) => computeFacts(db, kind, { ...window, timeZone: 'Asia/Almaty' }, { all: true }));
  const bySubject = subjects.filter((s) => flagged.includes(s.id)).map((s) => ({ subject: s.id, ids: s.facts['evidenceEventIds'] ?? [] }));
  const { rows } = await pool.query<{ week: string; flagged: number; events: number }>(
    `SELECT to_char(date_trunc('week', e.occurred_at AT TIME ZONE 'Asia/Almaty'), 'YYYY-MM-DD') AS week,
       count(DISTINCT s.subject)::int AS flagged, count(*)::int AS events
     FROM jsonb_to_recordset($1::jsonb) AS s(subject text, ids text[]) CROSS JOIN LATERAL unnest(s.ids) AS k(key)
     JOIN ledger_event e ON e.source = split_part(k.key, '|', 1) AND e.event_id = substr(k.key, length(split_part(k.key, '|', 1)) + 2)
     WHERE e.occurred_at >= $2 AND e.occurred_at < $3
     GROUP BY 1 ORDER BY 1`,
    [JSON.stringify(bySubject), window.from, window.to],
  );
  return rows;
}

describe('Backtester caches', () => {
  it('gives for a moved threshold, facts and published flags cached, what a fresh run gives', async () => {
    const warm = new Backtester(pool, 'Asia/Almaty');
    const published = { definition: backdated(), version: 1 };
    const first = await warm.run(backdated(), published, range);
    expect(first.timings).toMatchObject({ cachedFacts: false, cachedPublished: false });
    for (const hours of [48, 47, 30, 200]) {
      const moved = withParameter(backdated(), 'minBackdatedHours', hours);
      const cached = await warm.run(moved, published, range);
      expect(cached.timings).toMatchObject({ cachedFacts: true, cachedPublished: true });
      const fresh = await new Backtester(pool, 'Asia/Almaty').run(moved, published, range);
      expect(fresh.timings).toMatchObject({ cachedFacts: false, cachedPublished: false });
      expect(outcome(cached)).toEqual(outcome(fresh));
    }
    // The per-week counts of a run whose evidence weeks were all looked up before match a join.
    expect(first.perWeek).toEqual(await perWeekByJoin('violation', first.flags.map((f) => f.subjectId), range));
    const again = await warm.run(backdated(), published, range);
    expect(again.perWeek).toEqual(first.perWeek);
    // At exactly 48 h the 48-hour cancellation is not "more than" the threshold.
    const at48 = await warm.run(withParameter(backdated(), 'minBackdatedHours', 48), published, range);
    expect(at48.flags.map((f) => f.subjectId)).toEqual(['V-late']);
    expect(at48.diff).toEqual({ added: [], removed: ['V-30h', 'V-48h'], publishedVersion: 1 });
    expect(at48.perWeek).toEqual(await perWeekByJoin('violation', ['V-late'], range));
    expect(at48.perWeek.reduce((sum, week) => sum + week.events, 0)).toBe(2);
  });

  it('evaluates the published version again when its version or its parameters change', async () => {
    const backtester = new Backtester(pool, 'Asia/Almaty');
    const draft = withParameter(backdated(), 'minBackdatedHours', 48);
    const v1 = { definition: backdated(), version: 1 };
    expect((await backtester.run(draft, v1, range)).timings.cachedPublished).toBe(false);
    expect((await backtester.run(draft, v1, range)).timings.cachedPublished).toBe(true);

    // Another version: its own flags, even with the same definition.
    const v2 = { definition: withParameter(backdated(), 'minBackdatedHours', 40), version: 2 };
    const againstV2 = await backtester.run(draft, v2, range);
    expect(againstV2.timings.cachedPublished).toBe(false);
    expect(againstV2.diff).toEqual({ added: [], removed: ['V-48h'], publishedVersion: 2 });

    // The same version number with other parameters is not taken for the cached one.
    const v2Stricter = { definition: withParameter(backdated(), 'minBackdatedHours', 100), version: 2 };
    const againstStricter = await backtester.run(draft, v2Stricter, range);
    expect(againstStricter.timings.cachedPublished).toBe(false);
    expect(againstStricter.diff).toEqual({ added: ['V-late'], removed: [], publishedVersion: 2 });

    // Going back to v1 finds its flags still cached, with the v1 diff.
    const backToV1 = await backtester.run(draft, v1, range);
    expect(backToV1.timings.cachedPublished).toBe(true);
    expect(backToV1.diff.removed).toEqual(['V-30h', 'V-48h']);
  });
});

describe('Backtester verdicts', () => {
  const end = new Date();
  const pack = loadRulePack();

  it.each(pack.map((rule) => [rule.id, rule] as const))(
    'flags for %s exactly what json-rules-engine fires, at each parameter\u2019s default and bounds',
    async (_id, rule) => {
      const backtester = new Backtester(pool, 'Asia/Almaty');
      const window = { from: new Date(end.getTime() - rule.windowDays * day), to: end };
      const subjects = await withFactSession(pool, (db) => computeFacts(db, rule.subject, { ...window, timeZone: 'Asia/Almaty' }, { all: true }));
      const published = { definition: rule, version: 1 };
      const publishedFired = new Set((await evaluateRule(rule, subjects)).filter((v) => v.fired).map((v) => v.subjectId));
      const drafts = [rule, ...Object.entries(rule.parameters).flatMap(([name, p]) => [p.min, p.max].filter((v) => v !== undefined).map((v) => withParameter(rule, name, v)))];
      for (const draft of drafts) {
        const fired = (await evaluateRule(draft, subjects)).filter((v) => v.fired);
        const result = await backtester.run(draft, published, window);
        expect(result.subjects).toBe(subjects.length);
        expect(result.flags).toEqual(fired.map((v) => ({ subjectId: v.subjectId, score: v.score, qValue: v.qValue ?? null, explanation: v.explanation })));
        expect(result.perWeek).toEqual(await perWeekByJoin(rule.subject, fired.map((v) => v.subjectId), window));
        const firedIds = new Set(fired.map((v) => v.subjectId));
        expect(result.diff.added).toEqual([...firedIds].filter((id) => !publishedFired.has(id)).sort());
        expect(result.diff.removed).toEqual([...publishedFired].filter((id) => !firedIds.has(id)).sort());
      }
    },
  );
});

describe('Backtester shows why a threshold moves nothing', () => {
  const published = () => ({ definition: withParameter(backdated(), 'minBackdatedHours', 48), version: 1 });

  it('draws the fact over the judged subjects, as the facts give it, with the subjects between the two thresholds', async () => {
    const subjects = await withFactSession(pool, (db) => computeFacts(db, 'violation', { ...range, timeZone: 'Asia/Almaty' }, { all: true }));
    const values = subjects.map((s) => s.facts['backdatedHours']).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    expect(values.length).toBeGreaterThanOrEqual(4);
    const result = await new Backtester(pool, 'Asia/Almaty').run(backdated(), published(), range);
    expect(result.distributions).toEqual([
      {
        fact: 'backdatedHours',
        parameter: 'minBackdatedHours',
        direction: 'above',
        unit: 'hours',
        inclusive: false,
        threshold: 24,
        publishedThreshold: 48,
        count: values.length,
        withoutValue: subjects.length - values.length,
        beyond: values.filter((v) => v > 24).length,
        // 30 h and 48 h: beyond 24 and not beyond "more than 48".
        betweenThresholds: 2,
        values,
        sampled: false,
      },
    ]);
    // From 24 to 25 hours no subject lies between: the move changes nothing, and the distribution says so.
    const nudged = await new Backtester(pool, 'Asia/Almaty').run(withParameter(backdated(), 'minBackdatedHours', 25), { definition: backdated(), version: 1 }, range);
    expect(nudged.distributions[0]).toMatchObject({ threshold: 25, publishedThreshold: 24, betweenThresholds: 0 });
    expect(nudged.diff).toEqual({ added: [], removed: [], publishedVersion: 1 });
  });

  it('counts the added and removed subjects by the labels their closed cases left on the rule\u2019s flags', async () => {
    const flag = (subject: string, label: string | null, updated: string, ruleId = 'backdated-cancellation', status = 'in_case') =>
      pool.query(
        `INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, status, severity, score, explanation, facts, baseline, evidence, window_from, window_to, label, updated_at)
         VALUES (gen_random_uuid(), $1, 1, 'backdated_cancellation', 'violation', $2, $5, 'high', 1, '{}', '{}', '{}', '[]', now() - interval '60 days', now(), $3, $4)`,
        [ruleId, subject, label, updated, status],
      );
    try {
      // An earlier flag on the same subject, closed since: the latest label counts.
      await flag('V-30h', 'unfounded', at(40), 'backdated-cancellation', 'dismissed');
      await flag('V-30h', 'substantiated', at(5));
      await flag('V-48h', 'unfounded', at(5));
      // Another rule's label and an open flag without one do not count.
      await flag('V-late', 'substantiated', at(5), 'cancel-near-deadline');
      await flag('V-late', null, at(5), 'backdated-cancellation', 'new');
      const backtester = new Backtester(pool, 'Asia/Almaty');
      // Against "more than 48 h" the default adds the 30 h and 48 h cancellations.
      const adds = await backtester.run(backdated(), published(), range);
      expect(adds.diff.added).toEqual(['V-30h', 'V-48h']);
      expect(adds.outcomes).toEqual({ added: { substantiated: 1, unfounded: 1, unjudged: 0 }, removed: { substantiated: 0, unfounded: 0, unjudged: 0 } });
      // Against the default, 200 h removes all three; the 72 h one was never judged.
      const removes = await backtester.run(withParameter(backdated(), 'minBackdatedHours', 200), { definition: backdated(), version: 1 }, range);
      expect(removes.diff.removed).toEqual(['V-30h', 'V-48h', 'V-late']);
      expect(removes.outcomes).toEqual({ added: { substantiated: 0, unfounded: 0, unjudged: 0 }, removed: { substantiated: 1, unfounded: 1, unjudged: 1 } });
    } finally {
      await pool.query(`DELETE FROM flag WHERE subject_kind = 'violation' AND subject_id IN ('V-30h', 'V-48h', 'V-late')`);
    }
  });

  it('warns when the draft flags more than the over-flagging share of the subjects it judges', async () => {
    const backtester = new Backtester(pool, 'Asia/Almaty');
    const subjects = (await backtester.run(backdated(), null, range)).subjects;
    for (const hours of [1, 24, 48, 200]) {
      const result = await backtester.run(withParameter(backdated(), 'minBackdatedHours', hours), null, range);
      const flagged = result.flags.length;
      expect(result.flaggedShare).toEqual({ flagged, subjects, share: flagged / subjects, limit: OVER_FLAGGING_SHARE, exceeded: flagged / subjects > OVER_FLAGGING_SHARE });
    }
    // Three of the five violations past 24 h is a broken threshold; one past 48 h is not.
    expect((await backtester.run(backdated(), null, range)).flaggedShare.exceeded).toBe(true);
    expect((await backtester.run(withParameter(backdated(), 'minBackdatedHours', 48), null, range)).flaggedShare.exceeded).toBe(false);
  });
});
