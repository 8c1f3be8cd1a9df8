import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, RuleRepository } from '@qadaga/db';
import { testDatabaseUrl } from '@qadaga/db/testing';
import { loadRulePack } from '@qadaga/rules';
import { installRulePack } from './install-rule-pack.js';

const pool = createPool({ url: testDatabaseUrl(), size: 2 });
const prisma = createPrismaClient(pool);
const rules = new RuleRepository(prisma);

beforeAll(async () => {
  await pool.query('TRUNCATE flag, flag_history, pending_evaluation, rule_version, rule, suppression CASCADE');
});

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

describe('installRulePack', () => {
  it('publishes a new version of a rule whose pack file changed, and leaves unchanged rules alone', async () => {
    const pack = loadRulePack();
    const [changed, ...unchanged] = pack;
    if (changed === undefined) throw new Error('the pack is empty');
    // The rule as it was before its name and description were translated.
    const { translations, ...before } = changed;
    expect(translations).toBeDefined();
    await rules.installBuiltIn(changed.id, before as unknown as Record<string, unknown>);

    const first = await installRulePack(rules);
    expect(first).toEqual(pack.map((rule) => `${rule.id}@${rule.id === changed.id ? 2 : 1}`));
    const published = await rules.published(changed.id);
    expect(published?.definition).toMatchObject({ translations });
    expect((await rules.versions(changed.id)).map((version) => [version.version, version.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);

    const again = await installRulePack(rules);
    expect(again).toEqual(first);
    for (const rule of unchanged) expect(await rules.versions(rule.id)).toHaveLength(1);
  });

  it('dismisses, with a stated reason, the open flags a rule raised on subjects its new version no longer judges', async () => {
    const current = loadRulePack().find((rule) => rule.id === 'notice-not-delivered');
    if (current === undefined) throw new Error('no notice-not-delivered in the pack');
    expect(current.subject).toBe('source');
    // The version a register was running: one flag per violation.
    const perViolation = { ...current, subject: 'violation', version: undefined };
    await rules.installBuiltIn(current.id, perViolation as unknown as Record<string, unknown>);
    const insert = (subjectKind: string, subjectId: string, status: string) =>
      pool.query<{ id: string }>(
        `INSERT INTO flag (id, rule_id, rule_version, scheme, subject_kind, subject_id, status, severity, score, explanation, facts, baseline, evidence, window_from, window_to)
         VALUES (gen_random_uuid(), $1, 1, 'notice_not_delivered', $2, $3, $4, 'medium', 1, '{}', '{}', '{}', '[]', now() - interval '365 days', now()) RETURNING id`,
        [current.id, subjectKind, subjectId, status],
      );
    const open = (await insert('violation', 'V-OLD-1', 'new')).rows[0]?.id;
    const inCase = (await insert('violation', 'V-OLD-2', 'in_case')).rows[0]?.id;
    const rolledUp = (await insert('source', 'register', 'new')).rows[0]?.id;

    await installRulePack(rules);

    const status = async (id: string | undefined) => (await pool.query<{ status: string; status_reason: string | null }>('SELECT status, status_reason FROM flag WHERE id = $1', [id])).rows[0];
    expect(await status(open)).toEqual({ status: 'dismissed', status_reason: expect.stringMatching(/superseded by version \d+, which judges source subjects/u) });
    // A flag in a case stays where the case put it; a flag of the new kind is the new version's.
    expect((await status(inCase))?.status).toBe('in_case');
    expect((await status(rolledUp))?.status).toBe('new');
    const history = await pool.query('SELECT actor, action, "from", "to" FROM flag_history WHERE flag_id = $1', [open]);
    expect(history.rows).toEqual([{ actor: 'system:rule-pack', action: 'status', from: 'new', to: 'dismissed' }]);
  });
});
