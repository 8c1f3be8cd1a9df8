import { parseIsoDateTime } from '../shared/date-time.js';
import type { XesAttribute, XesAttributeType } from './xes-model.js';
import { XES_COMPOSITE_TYPES, XES_SCALAR_TYPES } from './xes-model.js';

const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set<string>([...XES_SCALAR_TYPES, ...XES_COMPOSITE_TYPES]);

export function isXesAttributeElement(name: string): name is XesAttributeType {
  return ATTRIBUTE_TYPES.has(name);
}

const XS_INTEGER = /^[+-]?\d+$/u;
const XS_DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;

function parseInt64(raw: string): number | null {
  const text = raw.trim();
  if (!XS_INTEGER.test(text)) return null;
  const n = Number(text);
  // A 64-bit XES int beyond 2^53 would silently lose digits as a JS number.
  return Number.isSafeInteger(n) ? n : null;
}

function parseDouble(raw: string): number | null {
  const text = raw.trim();
  if (text === 'INF' || text === '+INF') return Number.POSITIVE_INFINITY;
  if (text === '-INF') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  return XS_DOUBLE.test(text) ? Number(text) : null;
}

function parseBoolean(raw: string): boolean | null {
  const text = raw.trim();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return null;
}

function parseDate(raw: string): Date | null {
  // No zone is assumed here: a date without an offset stays unparsed (value null) and the
  // mapping, which may name a zone for such a log, decides.
  const parsed = parseIsoDateTime(raw);
  return parsed.ok ? parsed.instant : null;
}

/** Builds a typed attribute from an XES element name and its key/value XML attributes. */
export function makeXesAttribute(type: XesAttributeType, key: string, raw: string): XesAttribute {
  switch (type) {
    case 'string':
    case 'id':
      return { type, key, raw, value: raw };
    case 'date':
      return { type, key, raw, value: parseDate(raw) };
    case 'int':
      return { type, key, raw, value: parseInt64(raw) };
    case 'float':
      return { type, key, raw, value: parseDouble(raw) };
    case 'boolean':
      return { type, key, raw, value: parseBoolean(raw) };
    case 'list':
    case 'container':
      return { type, key, raw, value: null };
  }
}
