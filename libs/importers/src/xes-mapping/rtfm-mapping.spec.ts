import { readFile } from 'node:fs/promises';
import { toUtcInstant, type EventType, type LifecycleEvent } from '@qadaga/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRejected, type AcceptedRecord, type ImportRecord } from '../import-record.js';
import { validateLifecycleEvent } from '@qadaga/contracts';
import { FIXTURES, rawAttribute, scanXesText, type RawXesEvent } from '../testing/fixtures.js';
import { loadXesMapping } from './load-xes-mapping.js';
import { readXesRecords } from './read-xes-records.js';
import type { XesMapping } from './xes-mapping-schema.js';

/**
 * The shipped RTFM mapping against the sample cut from the real log. Every expectation
 * is computed from the fixture's text with regular expressions, independently of the
 * streaming reader and the mapping engine.
 */

let mapping: XesMapping;
let raw: RawXesEvent[];
let records: ImportRecord[];

async function collect(path: string, options: { source?: string } = {}): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const record of readXesRecords(path, mapping, options)) out.push(record);
  return out;
}

function accepted(): AcceptedRecord[] {
  return records.filter((r): r is AcceptedRecord => !isRejected(r));
}

const activityOf = (event: RawXesEvent): string => rawAttribute(event, 'concept:name') ?? '';
const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};
const sorted = (counts: Map<string, number>): [string, number][] => [...counts].sort(([a], [b]) => a.localeCompare(b));
/** 0-based position of the i-th raw event inside its trace. */
const indexInTrace = (i: number): number => raw.slice(0, i).filter((e) => e.trace === raw[i]?.trace).length;
const eventsOf = (record: ImportRecord): LifecycleEvent[] => (isRejected(record) ? [] : record.events);

beforeAll(async () => {
  mapping = await loadXesMapping(FIXTURES.rtfmMapping);
  raw = scanXesText(await readFile(FIXTURES.rtfmSampleXes, 'utf8'));
  records = await collect(FIXTURES.rtfmSampleXes);
});

describe('RTFM mapping on the sample log', () => {
  it('covers every activity, dismissals, appeals, penalties and repeated payments', () => {
    const activities = new Set(raw.map(activityOf));
    expect(activities).toEqual(new Set(Object.keys(mapping.activities)));
    expect(raw.filter((e) => (rawAttribute(e, 'dismissal') ?? 'NIL') !== 'NIL').length).toBeGreaterThan(10);
    const paymentsPerTrace = countBy(raw.filter((e) => activityOf(e) === 'Payment'), (e) => e.trace);
    expect(Math.max(...paymentsPerTrace.values())).toBeGreaterThanOrEqual(3);
  });

  it('yields one accepted record per log event, with per-activity counts equal to the file', () => {
    expect(records).toHaveLength(raw.length);
    expect(records.filter(isRejected)).toEqual([]);
    expect(records.map((r) => r.index)).toEqual(raw.map((_, i) => i + 1));
    expect(sorted(countBy(records, (r) => r.activity))).toEqual(sorted(countBy(raw, activityOf)));
  });

  it('keeps the verbatim activity on every lifecycle event and labels records by trace', () => {
    for (const [i, record] of records.entries()) {
      expect(record.label).toBe(`${raw[i]?.trace}#${indexInTrace(i)} ${activityOf(raw[i] as RawXesEvent)}`);
      for (const event of eventsOf(record)) {
        expect(event.payload.sourceActivity).toBe(record.activity);
        expect(event.source).toBe('rtfm');
        expect(event.violationRef).toBe(`RTFM-${raw[i]?.trace}`);
        expect(event.occurredAt).toBe(toUtcInstant(rawAttribute(raw[i] as RawXesEvent, 'time:timestamp') ?? ''));
        expect(validateLifecycleEvent(event).ok).toBe(true);
      }
    }
  });

  it('turns each Create Fine into detected and confirmed by the officer in org:resource', () => {
    for (const [i, record] of records.entries()) {
      if (record.activity !== 'Create Fine') continue;
      const source = raw[i] as RawXesEvent;
      const [detected, confirmed] = eventsOf(record);
      expect(detected?.type).toBe('detected');
      expect(detected?.actor.kind).toBe('system');
      if (detected?.type === 'detected') {
        expect(detected.payload.article).toBe(rawAttribute(source, 'article'));
        expect(detected.payload.fine?.amount).toBe(Number(rawAttribute(source, 'amount')));
        expect(detected.payload.vehicleClass).toBe(rawAttribute(source, 'vehicleClass'));
      }
      expect(confirmed?.type).toBe('confirmed');
      expect(confirmed?.actor).toEqual({ kind: 'officer', id: rawAttribute(source, 'org:resource') });
    }
  });

  it('records each penalty as an amendment of the amount from the fine current in that trace', () => {
    const penalties = records.flatMap((record, i) => (record.activity === 'Add penalty' ? [{ record, source: raw[i] as RawXesEvent }] : []));
    expect(penalties.length).toBeGreaterThan(0);
    for (const { record, source } of penalties) {
      const created = raw.find((e) => e.trace === source.trace && activityOf(e) === 'Create Fine') as RawXesEvent;
      const [amended] = eventsOf(record);
      expect(amended?.type).toBe('amended');
      if (amended?.type !== 'amended') continue;
      expect(amended.payload.field).toBe('amount');
      expect(amended.payload.before).toBe(Number(rawAttribute(created, 'amount')));
      expect(amended.payload.after).toBe(Number(rawAttribute(source, 'amount')));
    }
  });

  it('issues the notice for the fine plus the expense, numbered by the trace', () => {
    for (const [i, record] of records.entries()) {
      if (record.activity !== 'Send Fine') continue;
      const source = raw[i] as RawXesEvent;
      const created = raw.find((e) => e.trace === source.trace && activityOf(e) === 'Create Fine') as RawXesEvent;
      const [notice] = eventsOf(record);
      expect(notice?.type).toBe('notice_issued');
      if (notice?.type !== 'notice_issued') continue;
      expect(notice.payload.noticeNumber).toBe(source.trace);
      expect(notice.payload.fine?.amount).toBeCloseTo(Number(rawAttribute(created, 'amount')) + Number(rawAttribute(source, 'expense')), 6);
    }
  });

  it('cancels exactly where a dismissal code other than NIL is recorded, with that code as the reason', () => {
    const dismissals = raw.flatMap((e, i) => {
      const code = rawAttribute(e, 'dismissal');
      return code === undefined || code === 'NIL' ? [] : [{ index: i + 1, code, activity: activityOf(e) }];
    });
    const cancellations = records.flatMap((r) =>
      eventsOf(r).flatMap((e) => (e.type === 'cancelled' ? [{ index: r.index, code: e.payload.reasonCode, activity: r.activity }] : [])),
    );
    expect(cancellations).toEqual(dismissals);
    const judge = records.flatMap(eventsOf).filter((e) => e.type === 'cancelled' && e.payload.sourceActivity === 'Appeal to Judge');
    expect(judge.every((e) => e.actor.kind === 'court')).toBe(true);
  });

  it('maps payments, deliveries, credit collection and appeals to their lifecycle types', () => {
    const expected: Record<string, EventType> = {
      Payment: 'paid',
      'Insert Fine Notification': 'notice_delivered',
      'Send for Credit Collection': 'sent_to_enforcement',
      'Insert Date Appeal to Prefecture': 'appealed',
      'Send Appeal to Prefecture': 'appealed',
      'Appeal to Judge': 'appealed',
      'Receive Result Appeal from Prefecture': 'appeal_decided',
      'Notify Result Appeal to Offender': 'appeal_decided',
    };
    for (const [i, record] of records.entries()) {
      const type = expected[record.activity];
      if (type === undefined) continue;
      const [first] = eventsOf(record);
      expect(first?.type).toBe(type);
      if (first?.type === 'paid') expect(first.payload.amount).toBe(Number(rawAttribute(raw[i] as RawXesEvent, 'paymentAmount')));
      if (first?.type === 'appealed') expect(first.payload.body).toBe(record.activity === 'Appeal to Judge' ? 'court' : 'prefecture');
    }
  });

  it("derives an appeal's outcome from the prefecture's dismissal code on the same trace", () => {
    const outcomeFromData = (trace: string): string => {
      const code = raw.find((e) => e.trace === trace && activityOf(e) === 'Send Appeal to Prefecture');
      const dismissal = code === undefined ? undefined : rawAttribute(code, 'dismissal');
      return dismissal === '#' ? 'overturned' : dismissal === 'NIL' ? 'upheld' : 'other';
    };
    const decided = records.flatMap((record, i) =>
      eventsOf(record).flatMap((e) => (e.type === 'appeal_decided' ? [{ outcome: e.payload.outcome, trace: raw[i]?.trace ?? '' }] : [])),
    );
    expect(new Set(decided.map((d) => d.outcome))).toEqual(new Set(['overturned', 'upheld', 'other']));
    for (const { outcome, trace } of decided) expect(outcome).toBe(outcomeFromData(trace));
  });

  it('gives every lifecycle event a unique id that is the same on every run', async () => {
    const ids = accepted().flatMap((r) => r.events.map((e) => e.eventId));
    expect(new Set(ids).size).toBe(ids.length);
    const again = (await collect(FIXTURES.rtfmSampleXes)).flatMap(eventsOf).map((e) => e.eventId);
    expect(again).toEqual(ids);
    for (const [i, record] of records.entries()) {
      const [first, ...others] = eventsOf(record);
      expect(first?.eventId).toBe(`${raw[i]?.trace}:${indexInTrace(i)}`);
      for (const other of others) expect(other.eventId).toBe(`${raw[i]?.trace}:${indexInTrace(i)}:${other.type}`);
    }
  });

  it('reads the zip and the plain file into the same records', async () => {
    expect(await collect(FIXTURES.rtfmSampleZip)).toEqual(records);
  });

  it('writes the source code given by the caller instead of the mapping default', async () => {
    const events = (await collect(FIXTURES.rtfmSampleXes, { source: 'rtfm-2013' })).flatMap(eventsOf);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['rtfm-2013']));
    const systemActors = events.filter((e) => e.actor.kind === 'system').map((e) => e.actor.id);
    expect(new Set(systemActors)).toEqual(new Set(['rtfm-2013']));
  });
});
