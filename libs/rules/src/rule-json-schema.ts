import { z } from 'zod';
import { FACT_CATALOGUE, PARAMETERS_FACT } from '@qadaga/facts/catalogue';
import { OPERATOR_NAMES } from './conditions/operators.js';
import { ruleDefinitionSchema } from './rule-definition.js';

/** JSON Schema as plain JSON: what the editor reads. */
export type JsonSchema = Record<string, unknown>;

/**
 * The rule format as JSON Schema, for an editor to check and complete a rule as it is typed.
 * Generated from ruleDefinitionSchema itself, so the editor and the server cannot drift; the
 * condition tree, which zod checks with custom code, is described here by its JSON form with
 * the catalogue's fact names and the known operators, so "fact" and "operator" complete too.
 * It checks the shape only: validateRule, on save, still checks the meaning (a fact of the
 * rule's own subject kind, a parameter that is declared, a display that matches).
 */
export function ruleJsonSchema(): JsonSchema {
  const facts = [...new Set(Object.values(FACT_CATALOGUE).flatMap((defs) => defs.map((d) => d.name)))].sort();
  const schema = z.toJSONSchema(ruleDefinitionSchema, {
    // The condition tree is a z.custom: it is replaced below, not left out.
    unrepresentable: 'any',
    override: (context) => {
      if (context.zodSchema._zod.def.type === 'custom') {
        for (const key of Object.keys(context.jsonSchema)) delete (context.jsonSchema as Record<string, unknown>)[key];
        Object.assign(context.jsonSchema, { $ref: '#/$defs/condition' });
      }
    },
  }) as JsonSchema;
  const factReference = {
    type: 'object',
    properties: { fact: { type: 'string', enum: [PARAMETERS_FACT, ...facts] }, path: { type: 'string', description: 'for params: "$.<parameter name>"' } },
    required: ['fact'],
    additionalProperties: false,
  };
  const scalar = { type: ['string', 'number', 'boolean', 'null'] };
  const meta = { name: { type: 'string' }, priority: { type: 'number' } };
  // One object schema with every key a node may have, rather than an anyOf of the node kinds:
  // the editor's completion and hover resolve a plain object through $ref, not the branches of
  // an anyOf. Which keys go together (all / any / not / condition / fact + operator + value)
  // is validateRule's to say, with the path.
  schema['$defs'] = {
    ...((schema['$defs'] as Record<string, unknown> | undefined) ?? {}),
    condition: {
      type: 'object',
      description: 'all / any / not / a named condition, down to { fact, operator, value }',
      properties: {
        all: { type: 'array', items: { $ref: '#/$defs/condition' } },
        any: { type: 'array', items: { $ref: '#/$defs/condition' } },
        not: { $ref: '#/$defs/condition' },
        condition: { type: 'string', description: 'the name of a condition in namedConditions' },
        fact: { type: 'string', enum: facts, description: 'a fact of the catalogue for the rule\u2019s subject kind' },
        // A decorated operator ("not:equal") is checked by validateRule.
        operator: { type: 'string', examples: [...OPERATOR_NAMES], pattern: `^(?:[A-Za-z]+:)*(?:${OPERATOR_NAMES.join('|')})$` },
        value: { anyOf: [scalar, { type: 'array', items: scalar }, factReference] },
        path: { type: 'string' },
        ...meta,
      },
      additionalProperties: false,
    },
  };
  // The display's fact is a catalogue name too.
  const display = (schema['properties'] as Record<string, { items?: { properties?: Record<string, Record<string, unknown>> } }>)['display'];
  const displayFact = display?.items?.properties?.['fact'];
  if (displayFact !== undefined) displayFact['enum'] = facts;
  return schema;
}
