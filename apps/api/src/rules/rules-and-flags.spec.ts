import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyRepository, ReferenceRepository, RuleRepository, createPrismaClient } from '@qadaga/db';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { RuleRunner, installRulePack } from '@qadaga/detection';
import { loadRulePack } from '@qadaga/rules';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let secondAuthor: string;
const prismaOf = (t: TestApp) => createPrismaClient(t.pool);

const backdatedRule = () => structuredClone(loadRulePack().find((r) => r.id === 'backdated-cancellation')) as unknown as Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PUT', url: string, key: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

beforeAll(async () => {
  t = await startTestApp();
  const prisma = prismaOf(t);
  await t.pool.query('TRUNCATE flag, flag_history, suppression, rule_version, rule, officer CASCADE');
  secondAuthor = (await new ApiKeyRepository(prisma).issue({ roles: ['rule_author'], label: 'second author' })).key;
  // One backdated cancellation, flagged by the published pack.
  await new ReferenceRepository(t.pool).load({ sources: [{ code: 'sergek-almaty', name: 'Sergek', kind: 'review' }], officers: [], vehicles: [], cameras: [], dispatches: [] });
  const day = 86_400_000;
  const at = (d: number) => new Date(Date.now() - d * day).toISOString();
  const event = (id: string, type: string, when: string, extra: Record<string, unknown> = {}) => ({
    source: 'sergek-almaty', eventId: id, violationRef: 'V-API-1', type, occurredAt: when, actor: { kind: 'officer', id: 'OF-7' }, payload: {}, ...extra,
  });
  await new IngestPipeline(new LedgerWriter(t.pool)).ingest(
    [
      event('d', 'detected', at(20), { actor: { kind: 'camera', id: 'C' }, payload: { article: '592.1', plate: '123ABC02' } }),
      event('c', 'confirmed', at(19)),
      event('x', 'cancelled', at(10), { recordedAt: at(5), payload: { reasonCode: 'appeal_granted', legalBasis: 'art. 826' } }),
    ].map((value, index) => ({ index, value })),
    { allowedSource: null },
  );
  const rules = new RuleRepository(prisma);
  await installRulePack(rules);
  await new RuleRunner(t.pool, rules, 'Asia/Almaty').evaluate({ asOf: new Date() });
});
afterAll(async () => t.close());

describe('flags API', () => {
  it('lists flags with filters and counts, and records the read', async () => {
    const res = await call('GET', '/v1/flags?scheme=backdated_cancellation&status=new&limit=10', t.keys.prosecutor);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(1);
    expect(body.flags[0]).toMatchObject({ ruleId: 'backdated-cancellation', subjectId: 'V-API-1', status: 'new', ruleVersion: 1 });
    const logged = await t.pool.query("SELECT 1 FROM access_log WHERE action = 'list_flags'");
    expect(logged.rowCount).toBeGreaterThan(0);
    expect((await call('GET', '/v1/flags?severity=extreme', t.keys.prosecutor)).json().reasons[0].path).toBe('severity.0');
  });

  it('shows one flag with its explanation, facts, evidence hashes and history', async () => {
    const id = (await call('GET', '/v1/flags?scheme=backdated_cancellation', t.keys.prosecutor)).json().flags[0].id;
    const flag = (await call('GET', `/v1/flags/${id}`, t.keys.auditor)).json();
    expect(flag.explanation.en).toMatch(/120/u);
    expect(flag.explanation.ru.length).toBeGreaterThan(20);
    expect(flag.facts.backdatedHours).toBeCloseTo(120, 0);
    expect(flag.evidence.map((e: { eventId: string }) => e.eventId).sort()).toEqual(['c', 'd', 'x']);
    expect(flag.history).toEqual([expect.objectContaining({ action: 'raised', to: 'new' })]);
  });

  it('changes a status only with a reason, and keeps the history', async () => {
    const id = (await call('GET', '/v1/flags?scheme=backdated_cancellation', t.keys.prosecutor)).json().flags[0].id;
    const noReason = await call('POST', `/v1/flags/${id}/status`, t.keys.prosecutor, { status: 'triaged' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().reasons[0].path).toBe('reason');
    const ok = await call('POST', `/v1/flags/${id}/status`, t.keys.prosecutor, { status: 'triaged', reason: 'checked the appeal file' });
    expect(ok.json()).toMatchObject({ status: 'triaged', statusReason: 'checked the appeal file' });
    const history = (await call('GET', `/v1/flags/${id}`, t.keys.prosecutor)).json().history;
    expect(history.at(-1)).toMatchObject({ action: 'status', from: 'new', to: 'triaged', reason: 'checked the appeal file' });
  });

  it('suppresses a subject for a rule until a date: no new flag is raised for it', async () => {
    const id = (await call('GET', '/v1/flags?scheme=backdated_cancellation', t.keys.prosecutor)).json().flags[0].id;
    await call('POST', `/v1/flags/${id}/status`, t.keys.prosecutor, { status: 'dismissed', reason: 'lawful late entry' });
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await call('POST', '/v1/suppressions', t.keys.prosecutor, { ruleId: 'backdated-cancellation', subjectKind: 'violation', subjectId: 'V-API-1', until, reason: 'court file 12/2026' });
    expect(res.statusCode).toBe(201);
    const report = await new RuleRunner(t.pool, new RuleRepository(prismaOf(t)), 'Asia/Almaty').evaluate({ asOf: new Date(), ruleIds: ['backdated-cancellation'] });
    expect(report.fired).toBe(1);
    expect(report.raised).toBe(0);
    const open = await t.pool.query("SELECT 1 FROM flag WHERE rule_id = 'backdated-cancellation' AND status <> 'dismissed'");
    expect(open.rowCount).toBe(0);
  });
});

describe('rules API', () => {
  it('refuses an invalid draft with the path and the reason', async () => {
    const rule = backdatedRule();
    rule['conditions'] = { all: [{ fact: 'noSuchFact', operator: 'equal', value: true }] };
    const res = await call('PUT', '/v1/rules/backdated-cancellation/draft', t.keys.rule_author, { definition: rule });
    expect(res.statusCode).toBe(422);
    expect(res.json().reasons[0]).toMatchObject({ path: expect.stringContaining('definition.conditions'), message: expect.stringMatching(/noSuchFact/u) });
  });

  it('takes a draft through submit, approval by another user, and publish; the author cannot approve their own', async () => {
    const rule = backdatedRule();
    (rule['parameters'] as Record<string, { default: number }>)['minBackdatedHours']!.default = 48;
    const draft = await call('PUT', '/v1/rules/backdated-cancellation/draft', t.keys.rule_author, { definition: rule });
    expect(draft.statusCode).toBe(200);
    const version = draft.json().version as number;
    expect(version).toBe(2);
    expect((await call('POST', `/v1/rules/backdated-cancellation/versions/${version}/approve`, secondAuthor)).statusCode).toBe(409);
    expect((await call('POST', `/v1/rules/backdated-cancellation/versions/${version}/submit`, t.keys.rule_author)).statusCode).toBe(200);
    const own = await call('POST', `/v1/rules/backdated-cancellation/versions/${version}/approve`, t.keys.rule_author);
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/another user must approve/u);
    expect((await call('POST', `/v1/rules/backdated-cancellation/versions/${version}/approve`, secondAuthor)).statusCode).toBe(200);
    const published = await call('POST', `/v1/rules/backdated-cancellation/versions/${version}/publish`, secondAuthor);
    expect(published.json()).toMatchObject({ status: 'published', version });
    const versions = (await call('GET', '/v1/rules/backdated-cancellation', t.keys.auditor)).json();
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'retired']]);
    // A published version never changes, even through SQL.
    await expect(t.pool.query(`UPDATE rule_version SET definition = '{}' WHERE rule_id = 'backdated-cancellation' AND version = 2`)).rejects.toThrow(/cannot change/u);
  });

  it('backtests a draft against the published version and moves with its threshold', async () => {
    const from = new Date(Date.now() - 60 * 86_400_000).toISOString();
    const to = new Date().toISOString();
    const rule = backdatedRule();
    const threshold = (rule['parameters'] as Record<string, { default: number }>)['minBackdatedHours']!;
    threshold.default = 200;
    const strict = (await call('POST', '/v1/rules/backtest', t.keys.rule_author, { definition: rule, from, to })).json();
    threshold.default = 24;
    const loose = (await call('POST', '/v1/rules/backtest', t.keys.rule_author, { definition: rule, from, to })).json();
    expect(strict.flags).toEqual([]);
    expect(loose.flags.map((f: { subjectId: string }) => f.subjectId)).toEqual(['V-API-1']);
    expect(loose.diff.publishedVersion).toBe(2);
    expect(loose.timings.cachedFacts).toBe(true);
    expect(loose.perWeek.reduce((n: number, w: { events: number }) => n + w.events, 0)).toBe(3);
    const bad = await call('POST', '/v1/rules/backtest', t.keys.rule_author, { definition: rule, from: to, to: from });
    expect(bad.json().reasons[0].path).toBe('from');
  });

  it('names the people who wrote, approved and published each version, keeping their ids', async () => {
    const author = await t.signIn('author');
    const approver = await t.signIn('author2');
    const rule = backdatedRule();
    (rule['parameters'] as Record<string, { default: number }>)['minBackdatedHours']!.default = 36;
    const send = (method: 'PUT' | 'POST', url: string, headers: { authorization: string }, payload?: unknown) =>
      t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const version = (await send('PUT', '/v1/rules/backdated-cancellation/draft', author, { definition: rule })).json().version as number;
    expect((await send('POST', `/v1/rules/backdated-cancellation/versions/${version}/submit`, author)).statusCode).toBe(200);
    expect((await send('POST', `/v1/rules/backdated-cancellation/versions/${version}/approve`, approver)).statusCode).toBe(200);
    expect((await send('POST', `/v1/rules/backdated-cancellation/versions/${version}/publish`, approver)).statusCode).toBe(200);
    const versions = (await call('GET', '/v1/rules/backdated-cancellation', t.keys.auditor)).json();
    expect(versions[0]).toMatchObject({
      version,
      authorId: `user:${t.users.author.id}`,
      authorName: 'Test author',
      approvedBy: `user:${t.users.author2.id}`,
      approvedByName: 'Test author2',
      publishedBy: `user:${t.users.author2.id}`,
      publishedByName: 'Test author2',
    });
    // An actor that is no person (the pack installer, an API key) keeps its id as its name.
    const first = versions.at(-1);
    expect(first.authorName).toBe(first.authorId);
  });

  it('lists rules with hit counts', async () => {
    const rules = (await call('GET', '/v1/rules', t.keys.prosecutor)).json();
    expect(rules.length).toBe(loadRulePack().length);
    expect(rules.find((r: { ruleId: string }) => r.ruleId === 'backdated-cancellation')).toMatchObject({ publishedVersion: 3, hits: 1 });
  });
});
