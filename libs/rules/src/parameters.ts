import type { RuleDefinition } from './rule-definition.js';

/**
 * The parameter values one evaluation uses: each declared default, overridden by the
 * caller (a rule author trying other thresholds over past data). An override outside the
 * declared bounds or for an undeclared name is refused, so a backtest can never run a
 * rule in a state its author did not allow.
 */
export function resolveParameters(
  rule: Pick<RuleDefinition, 'id' | 'parameters'>,
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const resolved: Record<string, number> = {};
  for (const [name, definition] of Object.entries(rule.parameters)) resolved[name] = definition.default;
  for (const [name, value] of Object.entries(overrides)) {
    const definition = Object.hasOwn(rule.parameters, name) ? rule.parameters[name] : undefined;
    if (definition === undefined) {
      throw new RangeError(`rule ${rule.id} has no parameter "${name}"; it has: ${Object.keys(rule.parameters).join(', ') || 'none'}`);
    }
    if (!Number.isFinite(value)) throw new RangeError(`parameter ${name} must be a finite number, got ${value}`);
    if (definition.min !== undefined && value < definition.min) {
      throw new RangeError(`parameter ${name} = ${value} is below its minimum ${definition.min}`);
    }
    if (definition.max !== undefined && value > definition.max) {
      throw new RangeError(`parameter ${name} = ${value} is above its maximum ${definition.max}`);
    }
    resolved[name] = value;
  }
  return resolved;
}
