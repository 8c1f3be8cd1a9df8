import type { RuleDefinition } from '@qadaga/contracts/api';

/** The definition with one parameter's default moved; everything else is kept as written. */
export function withParameter(definition: RuleDefinition, name: string, value: number): RuleDefinition {
  const current = definition.parameters[name];
  if (current === undefined) return definition;
  return { ...definition, parameters: { ...definition.parameters, [name]: { ...current, default: value } } };
}

export type Parsed = { ok: true; definition: RuleDefinition } | { ok: false; message: string };

/** The text area's JSON, read as a rule; the server validates the meaning, this only the shape it needs to draw the form. */
export function parseDefinition(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not an object' };
  const parameters = (value as { parameters?: unknown }).parameters;
  if (typeof parameters !== 'object' || parameters === null) return { ok: false, message: 'parameters: missing' };
  return { ok: true, definition: value as RuleDefinition };
}

/** A slider step that lands on round values: whole numbers for counts, a hundredth of the range otherwise. */
export function stepOf(p: { default: number; min?: number; max?: number }): number {
  const integral = Number.isInteger(p.default) && (p.min === undefined || Number.isInteger(p.min)) && (p.max === undefined || Number.isInteger(p.max));
  if (integral) return 1;
  const span = (p.max ?? Math.max(1, p.default * 2)) - (p.min ?? 0);
  const raw = span / 100;
  return Number((10 ** Math.floor(Math.log10(raw))).toPrecision(1));
}
