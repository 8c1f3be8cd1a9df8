import type { RuleRepository } from '@qadaga/db';
import { loadRulePack } from '@qadaga/rules';

/**
 * Publishes the built-in rule pack (system-authored and approved); a rule whose
 * definition is unchanged is left alone. Returns "ruleId@version" for each rule.
 */
export async function installRulePack(repo: RuleRepository): Promise<string[]> {
  const installed: string[] = [];
  for (const rule of loadRulePack()) {
    const stored = await repo.installBuiltIn(rule.id, rule as unknown as Record<string, unknown>);
    installed.push(`${stored.ruleId}@${stored.version}`);
  }
  return installed;
}
