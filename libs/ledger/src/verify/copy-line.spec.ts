import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@qadaga/domain';
import { canonicalEventForm } from '@qadaga/domain/hashing';
import { createPool } from '@qadaga/db';
import { resetLedger, testDatabaseUrl } from '@qadaga/db/testing';
import { LedgerWriter } from '../ledger-writer.js';
import { LedgerVerifier } from '../ledger-verifier.js';
import { CopyOutBatches } from './copy-out-batches.js';
import { VERIFY_COLUMNS, parseCopyLine } from './copy-text.js';
import { canonicalLineForm, lineTabs } from './copy-line.js';
import { canonicalRowForm } from './fast-canonical.js';
import { canonicalJsonbText } from './jsonb-canonical.js';

const pool = createPool({ url: testDatabaseUrl(), size: 2 });

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Keys and strings that stress the canonical form: ordering by UTF-16 code units (an
// astral character sorts before U+FF5A, after it by code point), characters JSON escapes,
// integer-like keys the engine enumerates first, keys JavaScript treats specially.
const KEYS = ['a', 'b', 'ab', 'B', 'plate', 'speed', 'é', 'e', 'Алмалы', '😀', 'ｚ', '\ue000', '', ' ', 'a b', 'a!', '1', '10', '2', '__proto__', 'toJSON', 'quote"d', 'back\\slash', 'new\nline', 'tab\t', '\u0001'];
const STRINGS = ['', 'plain', 'Zhetysu', 'Алмалы', '🚓 полиция', 'quote " inside', 'back \\ slash', 'line\nbreak', 'tab\there', 'cr\rlf', '\b\f', '\u0001\u001f', '\u007f', '\u2028\u2029', 'ｚ', '\\u0041'];
const NUMBERS = [0, -0, 1, -1, 42, 3692, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 31), 1e21, 1e-7, 1.5e300, 5e-324, 0.1 + 0.2, 43.25, 76.91578093380667, -0.000001, 123.456, 1e15, 123456789012345678];

/** Text that neither JSON nor COPY escapes: the direct route's common case. */
const plain = (t: string) => !/["\\\x00-\x1f]/u.test(t);
const PLAIN_KEYS = KEYS.filter(plain);
const PLAIN_STRINGS = STRINGS.filter(plain);

function value(next: () => number, depth: number, odd: boolean): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const r = next();
  if (depth < 3 && r < 0.2) return object(next, depth + 1, odd);
  if (depth < 3 && r < 0.3) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1, odd));
  if (r < 0.55) return pick(odd ? STRINGS : PLAIN_STRINGS);
  if (r < 0.85) return pick(NUMBERS);
  return pick([true, false, null]);
}

function object(next: () => number, depth: number, odd: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(next() * 7);
  const keys = odd ? KEYS : PLAIN_KEYS;
  for (let i = 0; i < n; i += 1) {
    const key = keys[Math.floor(next() * keys.length)] as string;
    Object.defineProperty(out, key, { value: value(next, depth, odd), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const TIMES = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.500Z', '2025-12-31T23:59:59.120Z', '2025-02-10T16:39:52.522Z', '0999-06-30T12:00:00.001Z'];
const NAMES = ['C1', 'Ж-6', '🚓7', 'tab\tin', 'quote"in', 'back\\in', 'line\nin', '\u0001ctl', 'N', '\\N'];
const PLAIN_NAMES = NAMES.filter(plain);

function generatedEvents(count: number, seed: number): LifecycleEvent[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    // Every other event only has text that needs no escaping; the others may have anything.
    const odd = i % 2 === 1;
    const names = odd ? NAMES : PLAIN_NAMES;
    const actor: LifecycleEvent['actor'] = { kind: 'officer', id: pick(names) };
    if (next() < 0.5) actor.unit = pick(names);
    if (next() < 0.3) actor.workstation = pick(names);
    const event = {
      source: odd && next() < 0.3 ? 'cam "b"' : 'cam-a',
      eventId: `${pick(names)}-${i}`,
      violationRef: `V-${pick(names)}`,
      type: 'detected',
      occurredAt: pick(TIMES),
      actor,
      // The violation projection reads a detection's plate.
      payload: { ...object(next, 0, odd), plate: pick(['123ABC02', 'Ж 123 АВС']) },
    } as LifecycleEvent;
    if (next() < 0.5) event.recordedAt = pick(TIMES);
    return event;
  });
}

beforeAll(async () => resetLedger(pool));
afterAll(async () => pool.end());

describe('canonical form straight from jsonb text', () => {
  it('equals the domain canonical form of the parsed payload for generated payloads', async () => {
    const next = random(7);
    // Stored text need not be what JSON.stringify printed: numbers as another writer may send them.
    const written = ['{"n": 12345678901234567}', '{"n": 9007199254740993}', '{"n": 1.0}', '{"n": 1e2}', '{"n": -0}', '{"n": 0.10}', '{"n": 1E-7}', '{"n": 1e21}', '{"n": 100000000000000000000000}', '{"n": [0.1e1, -1.50, 2e-6]}'];
    const payloads = [...written, ...Array.from({ length: 3_000 }, () => JSON.stringify(object(next, 0, next() < 0.3)))];
    const { rows } = await pool.query<{ text: string }>('SELECT p::jsonb::text AS text FROM unnest($1::text[]) AS p', [payloads]);
    // The payload's place in the form of an event whose other fields are fixed.
    const base = { source: 's', eventId: 'e', violationRef: 'v', type: 'detected', occurredAt: TIMES[0], actor: { kind: 'camera', id: 'C1' } } as const;
    const [before, after] = canonicalEventForm({ ...base, payload: {} } as unknown as LifecycleEvent).split('"payload":{}') as [string, string];
    let direct = 0;
    for (const { text } of rows) {
      const form = canonicalJsonbText(text, 0, text.length);
      if (form === undefined) continue;
      direct += 1;
      expect(`${before}"payload":${form}${after}`).toBe(canonicalEventForm({ ...base, payload: JSON.parse(text) as Record<string, unknown> } as unknown as LifecycleEvent));
    }
    // Most generated payloads carry no escape and take the direct route.
    expect(direct).toBeGreaterThan(rows.length / 4);
  });

  it('leaves text that is not plain jsonb output to the generic route', () => {
    for (const text of ['{"a":1}', '{"a": "x\\"y"}', '{"a": 1,"b": 2}', '{"a": 1e400}', '{"a": tru}', '[1, 2', '{"a": 1} ']) {
      expect(canonicalJsonbText(text, 0, text.length)).toBeUndefined();
    }
    const text = '{"b": [1, 2.50, -0, 1E+2], "a": {}}';
    expect(canonicalJsonbText(text, 0, text.length)).toBe('{"a":{},"b":[1,2.5,0,100]}');
  });
});

describe('canonical form straight from a COPY line', () => {
  it('equals the generic route for every line it handles, and verification passes', async () => {
    const events = generatedEvents(2_000, 11);
    await new LedgerWriter(pool).write(events.map((event, index) => ({ index, event })));
    const client = await pool.connect();
    const lines: string[] = [];
    try {
      await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'`);
      const copy = client.query(new CopyOutBatches(`COPY (SELECT ${VERIFY_COLUMNS} FROM ledger_event ORDER BY id) TO STDOUT`, 4_096));
      for await (const batch of copy.batches()) lines.push(...Buffer.from(batch.buffer, 0, batch.length).toString('utf8').split('\n').filter((l) => l.length > 0));
    } finally {
      client.release();
    }
    expect(lines).toHaveLength(events.length);
    let direct = 0;
    for (const line of lines) {
      const tabs = lineTabs(line, 0, line.length);
      expect(tabs).toBeDefined();
      const form = canonicalLineForm(line, 0, tabs as Int32Array);
      if (form === undefined) continue;
      direct += 1;
      expect(form).toBe(canonicalRowForm(parseCopyLine(line)));
    }
    expect(direct).toBeGreaterThan(lines.length / 4);
    for (const threads of [0, 2]) {
      const report = await new LedgerVerifier(pool).verify({ threads, batchBytes: 8_192 });
      expect(report.failures).toEqual([]);
      expect(report.rowsChecked).toBe(events.length);
    }
  });

  it('reports the error of a COPY that fails after some rows and leaves the connection usable', async () => {
    const client = await pool.connect();
    try {
      const failing = 'COPY (SELECT CASE WHEN g < 20000 THEN g ELSE 1 / (g - g) END FROM generate_series(1, 30000) AS g) TO STDOUT';
      const copy = client.query(new CopyOutBatches(failing, 4_096));
      await expect(async () => {
        for await (const batch of copy.batches()) expect(batch.length).toBeGreaterThan(0);
      }).rejects.toThrow(/division by zero/u);
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
  });

  it('drops the rest of a COPY whose reader stops early and leaves the connection usable', async () => {
    const client = await pool.connect();
    try {
      const copy = client.query(new CopyOutBatches('COPY (SELECT g, repeat(\'x\', 200) FROM generate_series(1, 200000) AS g) TO STDOUT', 4_096));
      let seen = 0;
      for await (const batch of copy.batches()) {
        seen += batch.length;
        if (seen > 100_000) break;
      }
      expect(seen).toBeGreaterThan(100_000);
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
  });
});
