import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRejected, type ImportRecord } from '../import-record.js';
import { MappingError, type FieldIssue } from '../shared/issues.js';
import { FIXTURES } from '../testing/fixtures.js';
import { loadXesMapping } from './load-xes-mapping.js';
import { readXesRecords } from './read-xes-records.js';

type Json = Record<string, unknown>;
type Editable = Json & { activities: Record<string, { emit: Json[]; set?: Json }> };
let shipped: Json;
let workDir: string;

beforeAll(async () => {
  shipped = JSON.parse(await readFile(FIXTURES.rtfmMapping, 'utf8')) as Json;
  workDir = await mkdtemp(join(tmpdir(), 'qadaga-xes-mapping-'));
});

/** A copy of the shipped mapping with one change made by `edit`. */
function variant(edit: (m: Editable) => void): Json {
  const copy = structuredClone(shipped) as Editable;
  edit(copy);
  return copy;
}

async function issuesOf(mapping: string | object): Promise<FieldIssue[]> {
  try {
    await loadXesMapping(mapping);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return (error as MappingError).issues;
  }
  throw new Error('the mapping was accepted');
}

const createFine = (m: { activities: Record<string, { emit: Json[] }> }): Json[] => m.activities['Create Fine']?.emit ?? [];

describe('loadXesMapping', () => {
  it('accepts the shipped RTFM mapping and fills the documented defaults', async () => {
    const { activityAttribute, timestampAttribute, ...rest } = shipped;
    expect([activityAttribute, timestampAttribute]).toEqual(['concept:name', 'time:timestamp']);
    const mapping = await loadXesMapping(rest);
    expect(mapping.activityAttribute).toBe('concept:name');
    expect(mapping.timestampAttribute).toBe('time:timestamp');
  });

  it.each([
    [
      'an unknown event type',
      (m: Editable) => ((createFine(m)[0] as Json)['type'] = 'spotted'),
      'activities["Create Fine"].emit[0].type',
      /expected one of|discriminator/iu,
    ],
    [
      'a payload field the domain does not know',
      (m: Editable) => (((createFine(m)[0] as Json)['payload'] as Json)['fineAmount'] = { attr: 'amount' }),
      'activities["Create Fine"].emit[0].payload.fineAmount',
      /unknown field/u,
    ],
    [
      'a required payload field left out',
      (m: Editable) => delete ((createFine(m)[0] as Json)['payload'] as Json)['article'],
      'activities["Create Fine"].emit[0].payload.article',
      /required for a detected event/u,
    ],
    [
      'an expression with two sources',
      (m: Editable) => (((createFine(m)[0] as Json)['payload'] as Json)['article'] = { attr: 'article', const: '157' }),
      'activities["Create Fine"].emit[0].payload.article',
      /exactly one of .* \(found const, attr\)/u,
    ],
    [
      'a CSV-only source in an XES mapping',
      (m: Editable) => (((createFine(m)[0] as Json)['payload'] as Json)['article'] = { column: 'article' }),
      'activities["Create Fine"].emit[0].payload.article.column',
      /not available in XES mappings/u,
    ],
    [
      'a constant that can never fit its field',
      (m: Editable) => (((createFine(m)[0] as Json)['payload'] as Json)['article'] = { const: 157 }),
      'activities["Create Fine"].emit[0].payload.article.const',
      /expected string/u,
    ],
    [
      'a variable nobody sets (a typo)',
      (m: Editable) => (((m.activities['Add penalty']?.emit[0] as Json)['payload'] as Json)['before'] = { var: 'fineAmont' }),
      'activities["Add penalty"].emit[0].payload.before.var',
      /variable "fineAmont" is never set/u,
    ],
    [
      'an unknown template placeholder',
      (m: Editable) => (m['violationRef'] = { template: 'RTFM-{case:concept:name}' }),
      'violationRef.template',
      /unknown placeholder scope "case"/u,
    ],
    [
      'a conditional first emission',
      (m: Editable) => ((createFine(m)[0] as Json)['when'] = { value: { attr: 'dismissal' }, equals: 'NIL' }),
      'activities["Create Fine"].emit[0].when',
      /first emission must be unconditional/u,
    ],
    [
      'two emissions that would share an event id',
      (m: Editable) => ((createFine(m)[2] as Json)['idSuffix'] = 'confirmed'),
      'activities["Create Fine"].emit[2].idSuffix',
      /already used by emit\[1\]/u,
    ],
    [
      'a time zone that does not exist',
      (m: Editable) => (m['timeZone'] = 'Europe/Atlantis'),
      'timeZone',
      /not a UTC offset/u,
    ],
    [
      'an actor kind outside the domain',
      (m: Editable) => (((createFine(m)[1] as Json)['actor'] as Json)['kind'] = 'clerk'),
      'activities["Create Fine"].emit[1].actor.kind',
      /Invalid option/u,
    ],
  ])('rejects %s, naming the field', async (_case, edit, path, message) => {
    const issues = await issuesOf(variant(edit));
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('names the file and says so when it is not JSON', async () => {
    const path = join(workDir, 'broken.json');
    await writeFile(path, '{ "format": "qadaga/xes-mapping@1", }');
    await expect(loadXesMapping(path)).rejects.toThrow(/broken\.json is not a valid mapping:\n\(file\): not valid JSON/u);
  });
});

describe('records the mapping cannot map', () => {
  async function recordsFor(xes: string, mapping: object): Promise<ImportRecord[]> {
    const path = join(workDir, `log-${Math.random().toString(36).slice(2)}.xes`);
    await writeFile(path, xes);
    const loaded = await loadXesMapping(mapping);
    const out: ImportRecord[] = [];
    for await (const record of readXesRecords(path, loaded)) out.push(record);
    return out;
  }

  it('rejects an unmapped activity and a missing attribute, and still maps the events after them', async () => {
    const records = await recordsFor(
      `<log><trace><string key="concept:name" value="X1"/>
        <event><string key="concept:name" value="Create Fine"/><string key="org:resource" value="7"/><int key="article" value="7"/>
          <string key="dismissal" value="NIL"/><date key="time:timestamp" value="2006-07-24T00:00:00+02:00"/></event>
        <event><string key="concept:name" value="Tow Vehicle"/><date key="time:timestamp" value="2006-07-25T00:00:00+02:00"/></event>
        <event><string key="concept:name" value="Payment"/><float key="paymentAmount" value="35.0"/><date key="time:timestamp" value="2006-07-26"/></event>
        <event><string key="concept:name" value="Payment"/><float key="paymentAmount" value="35.0"/><date key="time:timestamp" value="2006-07-27T00:00:00+02:00"/></event>
      </trace></log>`,
      shipped,
    );
    expect(records.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(records[0]).toMatchObject({
      activity: 'Create Fine',
      rejected: [{ path: 'detected.payload.fine.amount', message: 'attribute "amount" is absent' }, { path: 'confirmed.payload.fine.amount', message: 'attribute "amount" is absent' }, { path: 'set.fineAmount', message: 'attribute "amount" is absent' }],
    });
    expect(records[1]).toMatchObject({ activity: 'Tow Vehicle', rejected: [{ path: 'concept:name', message: 'no mapping for activity "Tow Vehicle"' }] });
    expect(records[2]).toMatchObject({ rejected: [{ path: 'paid.occurredAt', message: expect.stringMatching(/no UTC offset/u) }] });
    expect(isRejected(records[3] as ImportRecord)).toBe(false);
  });

  it('reads dates without an offset in the zone the mapping names', async () => {
    const records = await recordsFor(
      `<log><trace><string key="concept:name" value="X2"/>
        <event><string key="concept:name" value="Payment"/><float key="paymentAmount" value="35.0"/><date key="time:timestamp" value="2006-07-26T10:00:00"/></event>
      </trace></log>`,
      { ...shipped, timeZone: 'Europe/Rome' },
    );
    expect(records[0]).toMatchObject({ events: [{ type: 'paid', occurredAt: '2006-07-26T08:00:00.000Z' }] });
  });
});
