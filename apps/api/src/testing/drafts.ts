import { loadRulePack } from '@qadaga/rules';

/**
 * A draft over officers that fires for every officer who signed a decision in the range:
 * many real identities in one result, for tests of what each reader may see of them.
 */
export function everyOfficerDraft(): Record<string, unknown> {
  const rule = structuredClone(loadRulePack().find((r) => r.id === 'off-shift-action')) as unknown as Record<string, unknown>;
  rule['conditions'] = { all: [{ fact: 'decisions', operator: 'greaterThanInclusive', value: { fact: 'params', path: '$.minOffShiftDecisions' } }] };
  const parameters = rule['parameters'] as Record<string, { default: number }>;
  parameters['minOffShiftDecisions']!.default = 1;
  delete parameters['minOffShiftShare'];
  // The pack's translations describe the parameter removed above; a draft may translate only what it declares.
  const translations = rule['translations'] as Record<string, { parameters?: Record<string, string> }> | undefined;
  for (const language of Object.values(translations ?? {})) delete language.parameters?.['minOffShiftShare'];
  rule['display'] = [{ fact: 'decisions', threshold: { parameter: 'minOffShiftDecisions' }, direction: 'above', unit: 'count', peers: { scope: 'unit' } }];
  rule['explanation'] = { en: 'Officer {subjectId} signed {decisions|int} decisions (at least {param.minOffShiftDecisions}).', ru: 'Сотрудник {subjectId}: {decisions|int} (не менее {param.minOffShiftDecisions}).', kk: '{subjectId}: {decisions|int} (кемінде {param.minOffShiftDecisions}).' };
  return rule;
}
