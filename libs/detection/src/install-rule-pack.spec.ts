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
});
