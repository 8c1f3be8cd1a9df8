import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestPipeline, LedgerWriter } from '@qadaga/ledger';
import { everyOfficerDraft } from '../testing/drafts.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let author: { authorization: string };
let admin: { authorization: string };

/** An officer rule that fires on any officer who decided anything: the test is about who is named, not the threshold. */
const day = 86_400_000;
const at = (d: number) => new Date(Date.now() - d * day).toISOString();
const range = { from: at(60), to: new Date().toISOString() };

beforeAll(async () => {
  t = await startTestApp();
  [author, admin] = await Promise.all([t.signIn('author'), t.signIn('admin')]);
  const event = (id: string, type: string, when: string, extra: Record<string, unknown> = {}) => ({
    source: 'sergek-almaty', eventId: id, violationRef: 'V-PSN-1', type, occurredAt: when, actor: { kind: 'officer', id: 'OF-7', unit: 'U-1' }, payload: {}, ...extra,
  });
  await new IngestPipeline(new LedgerWriter(t.pool)).ingest(
    [
      event('d', 'detected', at(20), { actor: { kind: 'camera', id: 'C' }, payload: { article: '592.1', plate: '123ABC02' } }),
      event('c', 'confirmed', at(19)),
    ].map((value, index) => ({ index, value })),
    { allowedSource: null },
  );
});
afterAll(async () => t.close());

const backtest = (headers: { authorization: string }) =>
  t.app.inject({ method: 'POST', url: '/v1/rules/backtest', headers, payload: { definition: everyOfficerDraft(), ...range } });

describe('pseudonyms for rule authors', () => {
  it('shows a rule author a stable pseudonym instead of the officer, in subjects and sentences alike', async () => {
    const first = (await backtest(author)).json();
    expect(first.pseudonymised).toBe(true);
    expect(first.flags).toHaveLength(1);
    const pseudonym = first.flags[0].subjectId;
    expect(pseudonym).toMatch(/^officer~[0-9a-f]{10}$/u);
    expect(JSON.stringify(first)).not.toContain('OF-7');
    expect(first.flags[0].explanation.en).toContain(pseudonym);
    expect(first.diff.added).toEqual([pseudonym]);
    const again = (await backtest(author)).json();
    expect(again.flags[0].subjectId).toBe(pseudonym);
  });

  it('shows an admin the officer', async () => {
    const body = (await backtest(admin)).json();
    expect(body.pseudonymised).toBeUndefined();
    expect(body.flags[0].subjectId).toBe('OF-7');
  });

  it('reveals an identity only with a stated reason, and records who asked and why', async () => {
    const pseudonym = (await backtest(author)).json().flags[0].subjectId;
    const noReason = await t.app.inject({ method: 'POST', url: '/v1/reveal', headers: author, payload: { pseudonym, reason: 'why' } });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().reasons[0]).toMatchObject({ path: 'reason', message: expect.stringMatching(/state why/u) });
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/reveal', headers: author, payload: { pseudonym: 'officer~0000000000', reason: 'checking a false positive in the backtest' } });
    expect(unknown.statusCode).toBe(404);

    const revealed = await t.app.inject({ method: 'POST', url: '/v1/reveal', headers: author, payload: { pseudonym, reason: 'checking a false positive in the backtest' } });
    expect(revealed.json()).toEqual({ kind: 'officer', pseudonym, value: 'OF-7' });
    const { rows } = await t.pool.query(`SELECT principal, subject_kind, subject_id, reason FROM access_log WHERE action = 'reveal'`);
    expect(rows).toEqual([{ principal: `user:${t.users.author.id}`, subject_kind: 'officer', subject_id: 'OF-7', reason: 'checking a false positive in the backtest' }]);
  });
});
