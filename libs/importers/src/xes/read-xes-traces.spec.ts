import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rawAttribute, scanXesText } from '../testing/fixtures.js';
import type { XesLogHeader, XesTrace } from './xes-model.js';
import { readXesTraces } from './read-xes-traces.js';

async function collect(path: string, onHeader?: (h: XesLogHeader) => void): Promise<XesTrace[]> {
  const traces: XesTrace[] = [];
  for await (const trace of readXesTraces(path, onHeader === undefined ? {} : { onHeader })) traces.push(trace);
  return traces;
}

let workDir: string;
async function xesFile(name: string, body: string): Promise<string> {
  const path = join(workDir, name);
  await writeFile(path, body);
  return path;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'qadaga-xes-'));
});

describe('readXesTraces on the RTFM sample', () => {
  it('yields every trace and event of the file, in document order', async () => {
    const raw = scanXesText(await readFile(FIXTURES.rtfmSampleXes, 'utf8'));
    const traces = await collect(FIXTURES.rtfmSampleXes);
    const events = traces.flatMap((t) => t.events);

    expect(events).toHaveLength(raw.length);
    expect(traces.map((t) => t.attributes.get('concept:name')?.raw)).toEqual([...new Set(raw.map((e) => e.trace))]);
    expect(events.map((e) => e.position)).toEqual(raw.map((_, i) => i + 1));
    expect(events.map((e) => e.attributes.get('concept:name')?.raw)).toEqual(raw.map((e) => rawAttribute(e, 'concept:name')));
    for (const trace of traces) expect(trace.events.map((e) => e.indexInTrace)).toEqual(trace.events.map((_, i) => i));
  });

  it('types attribute values by their XES element', async () => {
    const [first] = await collect(FIXTURES.rtfmSampleXes);
    const create = first?.events[0]?.attributes;
    expect(create?.get('amount')).toMatchObject({ type: 'float', raw: '35.0', value: 35 });
    expect(create?.get('article')).toMatchObject({ type: 'int', raw: '157', value: 157 });
    expect(create?.get('org:resource')).toMatchObject({ type: 'string', value: '561' });
    const timestamp = create?.get('time:timestamp');
    expect(timestamp?.type).toBe('date');
    expect(timestamp?.value).toEqual(new Date('2006-07-23T22:00:00.000Z'));
  });

  it('reads the same traces from the zip, skipping the macOS resource fork entry before it', async () => {
    const plain = await collect(FIXTURES.rtfmSampleXes);
    const zipped = await collect(FIXTURES.rtfmSampleZip);
    expect(zipped).toEqual(plain);
  });

  it('hands the log header over once, before the first trace', async () => {
    const seen: string[] = [];
    let header: XesLogHeader | undefined;
    for await (const trace of readXesTraces(FIXTURES.rtfmSampleXes, { onHeader: (h) => ((header = h), seen.push('header')) })) {
      seen.push(String(trace.position));
      if (trace.position === 2) break;
    }
    expect(seen).toEqual(['header', '1', '2']);
    expect(header?.extensions.map((e) => e.prefix)).toContain('concept');
    expect(header?.classifiers).toEqual([{ name: 'Event Name', keys: 'concept:name' }]);
    expect(header?.attributes.get('meta_3TU:language')?.value).toBe('eng');
  });
});

describe('readXesTraces on XES features the RTFM log does not use', () => {
  it('fills missing attributes from <global> defaults and marks them as such', async () => {
    const path = await xesFile(
      'globals.xes',
      `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="2.0">
  <global scope="trace"><string key="concept:name" value="UNNAMED"/></global>
  <global><string key="org:resource" value="UNKNOWN"/><int key="cost" value="0"/></global>
  <trace>
    <event><string key="concept:name" value="a"/><string key="org:resource" value="r1"/></event>
    <event><string key="concept:name" value="b"/></event>
  </trace>
</log>`,
    );
    let header: XesLogHeader | undefined;
    const [trace] = await collect(path, (h) => (header = h));
    expect(header?.eventGlobals.get('org:resource')?.value).toBe('UNKNOWN');
    expect(trace?.attributes.get('concept:name')).toMatchObject({ value: 'UNNAMED', fromGlobal: true });
    expect(trace?.events[0]?.attributes.get('org:resource')).toMatchObject({ value: 'r1' });
    expect(trace?.events[0]?.attributes.get('org:resource')?.fromGlobal).toBeUndefined();
    expect(trace?.events[1]?.attributes.get('org:resource')).toMatchObject({ value: 'UNKNOWN', fromGlobal: true });
    expect(trace?.events[1]?.attributes.get('cost')).toMatchObject({ type: 'int', value: 0, fromGlobal: true });
  });

  it('keeps nested attributes, list items, ids and booleans, and never guesses an unparseable value', async () => {
    const path = await xesFile(
      'features.xes',
      `<log xes.version="2.0" xes.features="nested-attributes">
  <trace>
    <string key="concept:name" value="t &amp; 1"/>
    <event>
      <string key="concept:name" value="step"/>
      <float key="speed" value="72.5"><string key="unit" value="km/h"/></float>
      <list key="plates"><values><string key="plate" value="123ABC02"/><string key="plate" value="123АВС02"/></values></list>
      <id key="identity:id" value="6f1c"/>
      <boolean key="flagged" value="true"/>
      <int key="count" value="12x"/>
      <date key="local" value="2024-03-01T10:00:00"/>
      <unknownElement key="x"><string key="hidden" value="1"/></unknownElement>
    </event>
  </trace>
</log>`,
    );
    const [trace] = await collect(path);
    const attributes = trace?.events[0]?.attributes;
    expect(trace?.attributes.get('concept:name')?.value).toBe('t & 1');
    expect(attributes?.get('speed')?.children?.get('unit')?.value).toBe('km/h');
    const plates = attributes?.get('plates');
    expect(plates?.type).toBe('list');
    expect([...(plates?.children?.values() ?? [])].map((a) => a.value)).toEqual(['123ABC02', '123АВС02']);
    expect(attributes?.get('identity:id')).toMatchObject({ type: 'id', value: '6f1c' });
    expect(attributes?.get('flagged')).toMatchObject({ type: 'boolean', value: true });
    expect(attributes?.get('count')).toMatchObject({ type: 'int', raw: '12x', value: null });
    expect(attributes?.get('local')).toMatchObject({ type: 'date', raw: '2024-03-01T10:00:00', value: null });
    expect(attributes?.has('hidden')).toBe(false);
  });

  it('decodes multi-byte UTF-8 characters split across read chunks', async () => {
    // The value starts 1,001 bytes before the reader's 1 MiB chunk boundary, so with 2-byte
    // letters the boundary falls inside the 501st letter.
    const before = '<log><!--';
    const after = '--><trace><string key="concept:name" value="';
    const padding = 'x'.repeat((1 << 20) - 1001 - before.length - after.length);
    const name = 'Ж'.repeat(2_000);
    const path = await xesFile('utf8.xes', `${before}${padding}${after}${name}"/></trace></log>`);
    const [trace] = await collect(path);
    expect(trace?.attributes.get('concept:name')?.value).toBe(name);
  });

  it('fails on malformed XML, naming the file', async () => {
    const path = await xesFile('broken.xes', '<log><trace><event><string key="a" value="1"/></trace></log>');
    await expect(collect(path)).rejects.toThrow(/broken\.xes/u);
  });

  it('fails on a document that is not XES', async () => {
    const path = await xesFile('other.xml', '<html><body/></html>');
    await expect(collect(path)).rejects.toThrow(/no <log> element/u);
  });
});
