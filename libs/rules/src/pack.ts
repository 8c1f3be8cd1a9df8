import { readdirSync, readFileSync } from 'node:fs';
import type { RuleDefinition } from './rule-definition.js';
import { RuleValidationFailure, validateRule } from './validate-rule.js';

/**
 * The built-in rule pack: one JSON file per rule under pack/, in the same format authors
 * use, so the shipped rules can be read, diffed and tuned like any other. Every file is
 * validated on load; a broken file stops the load rather than dropping a rule silently.
 */

export const RULE_PACK_DIRECTORY = new URL('../pack/', import.meta.url);

export function loadRulePack(directory: URL = RULE_PACK_DIRECTORY): RuleDefinition[] {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const input: unknown = JSON.parse(readFileSync(new URL(file, directory), 'utf8'));
    const checked = validateRule(input);
    if (!checked.ok) throw new RuleValidationFailure(file, checked.errors);
    if (`${checked.rule.id}.json` !== file) throw new Error(`pack file ${file} holds rule ${checked.rule.id}; name it ${checked.rule.id}.json`);
    return checked.rule;
  });
}
