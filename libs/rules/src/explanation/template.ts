/**
 * Explanation templates: plain text with placeholders in braces. {adverse} is a fact,
 * {param.minShare} a parameter, {subjectId} and {windowDays} come from the evaluation, and
 * a format may follow a bar: {adverseShare|percent}. Parsed once into parts so that the
 * validator and the renderer agree on what a placeholder is.
 */

export const VALUE_FORMATS = ['int', 'fixed1', 'fixed2', 'percent', 'p', 'date', 'list'] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

/** Placeholders every rule may use besides its facts and parameters. */
export const BUILT_IN_PLACEHOLDERS = ['subjectId', 'windowDays'] as const;
export type BuiltInPlaceholder = (typeof BUILT_IN_PLACEHOLDERS)[number];

export const PARAMETER_PREFIX = 'param.';

export type PlaceholderSource =
  | { kind: 'fact'; name: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'builtIn'; name: BuiltInPlaceholder };

export interface Placeholder {
  source: PlaceholderSource;
  format?: ValueFormat;
  /** As written, for error messages. */
  text: string;
}

export type TemplatePart = string | Placeholder;

export interface ParsedTemplate {
  parts: TemplatePart[];
  errors: string[];
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function sourceOf(name: string): PlaceholderSource | undefined {
  if (name.startsWith(PARAMETER_PREFIX)) {
    const parameter = name.slice(PARAMETER_PREFIX.length);
    return NAME.test(parameter) ? { kind: 'parameter', name: parameter } : undefined;
  }
  if (!NAME.test(name)) return undefined;
  return (BUILT_IN_PLACEHOLDERS as readonly string[]).includes(name)
    ? { kind: 'builtIn', name: name as BuiltInPlaceholder }
    : { kind: 'fact', name };
}

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: string[] = [];
  let last = 0;
  const addText = (text: string): void => {
    if (text.includes('{') || text.includes('}')) errors.push(`unbalanced brace in "${text.trim()}"`);
    if (text.length > 0) parts.push(text);
  };
  for (const match of template.matchAll(PLACEHOLDER)) {
    addText(template.slice(last, match.index));
    last = match.index + match[0].length;
    const [name = '', format, ...extra] = (match[1] ?? '').split('|').map((piece) => piece.trim());
    const source = sourceOf(name);
    if (source === undefined) {
      errors.push(`placeholder ${match[0]} is not a fact, {param.name}, {subjectId} or {windowDays}`);
      continue;
    }
    if (extra.length > 0) {
      errors.push(`placeholder ${match[0]} has more than one format`);
      continue;
    }
    if (format !== undefined && !(VALUE_FORMATS as readonly string[]).includes(format)) {
      errors.push(`placeholder ${match[0]} has unknown format "${format}"; known: ${VALUE_FORMATS.join(', ')}`);
      continue;
    }
    parts.push({ source, text: match[0], ...(format === undefined ? {} : { format: format as ValueFormat }) });
  }
  addText(template.slice(last));
  return { parts, errors };
}
