import { hash } from 'node:crypto';
import { parseCopyLine } from './copy-text.js';
import { canonicalRowForm } from './fast-canonical.js';
import { canonicalJsonbText } from './jsonb-canonical.js';

// Everything a line's check calls per row lives in this one module: calls across modules
// go through export getters once the worker's TypeScript is loaded as CommonJS, which
// showed in profiles. For the same reason the hash is the domain's sha256Hex written out.
const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/** Field positions in a COPY line of VERIFY_COLUMNS: tab k ends field k. */
const FIELDS = 16;
const F = { actorKind: 9, actorId: 10, actorUnit: 11, actorWorkstation: 12, payload: 13, occurredAt: 7, recordedAt: 8, source: 3, eventId: 4, violationRef: 5, type: 6 } as const;

/** What the batch check needs of one line, its content hash already recomputed. */
export interface LineRow {
  id: string;
  chainId: string;
  chainSeq: string;
  eventId: string;
  contentHash: string;
  chainHash: string;
  contentOk: boolean;
}

const TABS = new Int32Array(FIELDS - 1);

/** The offsets of the line's tabs (shared, overwritten by the next call), or undefined if it does not have exactly FIELDS - 1. */
export function lineTabs(text: string, start: number, end: number): Int32Array | undefined {
  let n = 0;
  for (let at = text.indexOf('\t', start); at !== -1 && at < end && n < FIELDS; at = text.indexOf('\t', at + 1)) {
    if (n < FIELDS - 1) TABS[n] = at;
    n += 1;
  }
  return n === FIELDS - 1 ? TABS : undefined;
}

/**
 * Reads one COPY line and recomputes its content hash. Lines whose fields need no
 * unescaping (nearly all) are turned into the canonical form straight from the text;
 * any other goes through the parsed row and the domain's canonical form.
 */
export function readLine(text: string, start: number, end: number): LineRow {
  if (lineTabs(text, start, end) !== undefined) {
    const hashes = text.slice((TABS[FIELDS - 3] as number) + 1, end);
    const form = hashes.includes('\\') ? undefined : canonicalLineForm(text, start, TABS);
    if (form !== undefined) {
      const contentHash = lineField(text, start, TABS, FIELDS - 2);
      return {
        id: lineField(text, start, TABS, 0),
        chainId: lineField(text, start, TABS, 1),
        chainSeq: lineField(text, start, TABS, 2),
        eventId: lineField(text, start, TABS, 4),
        contentHash,
        chainHash: text.slice((TABS[FIELDS - 2] as number) + 1, end),
        contentOk: sha256Hex(form) === contentHash,
      };
    }
  }
  const row = parseCopyLine(text.slice(start, end));
  return { ...row, contentOk: sha256Hex(canonicalRowForm(row)) === row.contentHash };
}

/** A character JSON would escape (the tabs between fields aside). */
const JSON_ESCAPED = /["\x00-\x08\x0a-\x1f]/u;

/**
 * Whether the fields before the payload can go into the form as they are: no character
 * JSON escapes, and no backslash other than a `\N` null (COPY escaped something).
 * Two cheap scans: one regular expression with a lookahead cost more than the rest of the line.
 */
function plainFields(text: string, start: number, end: number): boolean {
  if (JSON_ESCAPED.test(text.slice(start, end))) return false;
  for (let at = text.indexOf('\\', start); at !== -1 && at < end; at = text.indexOf('\\', at + 2)) {
    const nullField = text.charCodeAt(at - 1) === 0x09 && text.charCodeAt(at + 1) === 0x4e && (at + 2 === end || text.charCodeAt(at + 2) === 0x09);
    if (!nullField) return false;
  }
  return true;
}

/**
 * The canonical form of a COPY line's event built directly from the line's text, or
 * undefined when some field needs unescaping or escaping (the caller then parses the
 * line and takes the generic route). `tabs[k]` is the offset of the tab ending field k;
 * the line starts at `start`. Byte for byte what canonicalRowForm gives for the same line.
 */
export function canonicalLineForm(text: string, start: number, tabs: Int32Array): string | undefined {
  if (!plainFields(text, start, tabs[F.actorWorkstation] as number)) return undefined;
  const occurredAt = isoAt(text, (tabs[F.occurredAt - 1] as number) + 1, tabs[F.occurredAt] as number);
  const recordedFrom = (tabs[F.recordedAt - 1] as number) + 1;
  const recordedAt = isNull(text, recordedFrom, tabs[F.recordedAt] as number) ? null : isoAt(text, recordedFrom, tabs[F.recordedAt] as number);
  if (occurredAt === undefined || recordedAt === undefined) return undefined;
  const payload = canonicalJsonbText(text, (tabs[F.payload - 1] as number) + 1, tabs[F.payload] as number);
  if (payload === undefined) return undefined;
  const unitFrom = (tabs[F.actorUnit - 1] as number) + 1;
  const unit = isNull(text, unitFrom, tabs[F.actorUnit] as number) ? '' : `,"unit":"${lineField(text, start, tabs, F.actorUnit)}"`;
  const workstationFrom = (tabs[F.actorWorkstation - 1] as number) + 1;
  const workstation = isNull(text, workstationFrom, tabs[F.actorWorkstation] as number) ? '' : `,"workstation":"${lineField(text, start, tabs, F.actorWorkstation)}"`;
  return (
    `{"actor":{"id":"${lineField(text, start, tabs, F.actorId)}","kind":"${lineField(text, start, tabs, F.actorKind)}"${unit}${workstation}},"eventId":"${lineField(text, start, tabs, F.eventId)}",` +
    `"occurredAt":"${occurredAt}","payload":${payload}${recordedAt === null ? '' : `,"recordedAt":"${recordedAt}"`},` +
    `"source":"${lineField(text, start, tabs, F.source)}","type":"${lineField(text, start, tabs, F.type)}","violationRef":"${lineField(text, start, tabs, F.violationRef)}"}`
  );
}

/** Field k of the line starting at `start` (k < FIELDS - 1: the last field ends with the line). */
function lineField(text: string, start: number, tabs: Int32Array, k: number): string {
  return text.slice(k === 0 ? start : (tabs[k - 1] as number) + 1, tabs[k]);
}

function isNull(text: string, from: number, to: number): boolean {
  return to - from === 2 && text.charCodeAt(from) === 0x5c && text.charCodeAt(from + 1) === 0x4e;
}

/**
 * `2026-01-01 00:00:00.5+00` (UTC, ISO DateStyle; PostgreSQL drops trailing zeros of the
 * fraction) as `2026-01-01T00:00:00.500Z`, the form Date#toISOString gives; undefined for
 * any other shape (years beyond 9999, BC, another offset), which the generic route handles.
 */
function isoAt(text: string, from: number, to: number): string | undefined {
  const length = to - from;
  if (text.charCodeAt(from + 10) !== 0x20 || text.charCodeAt(from + 4) !== 0x2d || !text.startsWith('+00', to - 3)) return undefined;
  const date = text.slice(from, from + 10);
  switch (length) {
    case 26:
      return `${date}T${text.slice(from + 11, from + 23)}Z`;
    case 25:
      return `${date}T${text.slice(from + 11, from + 22)}0Z`;
    case 24:
      return `${date}T${text.slice(from + 11, from + 21)}00Z`;
    case 22:
      return `${date}T${text.slice(from + 11, from + 19)}.000Z`;
    default:
      return undefined;
  }
}
