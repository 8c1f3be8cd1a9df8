import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { isRejected } from '../import-record.js';
import { FIXTURES } from '../testing/fixtures.js';
import { loadXesMapping } from './load-xes-mapping.js';
import { readXesRecords } from './read-xes-records.js';

/**
 * Streams the whole RTFM log (3.4 MB zipped, 185 MB of XML) through the importer and
 * checks it against a count made without it: the zip entry read line by line with
 * regular expressions (OpenXES writes one element per line), no XML parser involved.
 */

/** Totals the dataset's publishers state (4TU.ResearchData; shared/data/rtfm/README.md). */
const PUBLISHED = { events: 561_470, traces: 150_370 };

interface TextCount {
  traces: number;
  events: number;
  activities: Map<string, number>;
  createFineResources: Set<string>;
}

async function openLogEntry(zipPath: string): Promise<Readable> {
  const zip = await yauzl.openPromise(zipPath, { autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('.xes') && !entry.fileName.startsWith('__MACOSX/')) return await zip.openReadStreamPromise(entry);
    }
    throw new Error(`${zipPath} holds no .xes entry`);
  } finally {
    zip.close();
  }
}

async function countByText(zipPath: string): Promise<TextCount> {
  const count: TextCount = { traces: 0, events: 0, activities: new Map(), createFineResources: new Set() };
  let inEvent = false;
  let activity = '';
  let resource: string | undefined;
  for await (const line of createInterface({ input: await openLogEntry(zipPath), crlfDelay: Infinity })) {
    const element = line.trim();
    if (element === '<trace>') count.traces += 1;
    else if (element === '<event>') [inEvent, activity, resource] = [true, '', undefined];
    else if (element === '</event>') {
      inEvent = false;
      count.events += 1;
      count.activities.set(activity, (count.activities.get(activity) ?? 0) + 1);
      if (activity === 'Create Fine' && resource !== undefined) count.createFineResources.add(resource);
    } else if (inEvent) {
      activity = /^<string key="concept:name" value="([^"]*)"\/>$/u.exec(element)?.[1] ?? activity;
      resource = /^<string key="org:resource" value="([^"]*)"\/>$/u.exec(element)?.[1] ?? resource;
    }
  }
  return count;
}

describe('the full RTFM log', () => {
  it('streams 561,470 log events of 150,370 traces into accepted records that match an independent count', async () => {
    await access(FIXTURES.rtfmFullZip).catch(() => {
      throw new Error(`the RTFM log is expected at ${FIXTURES.rtfmFullZip} (shared/data beside the repository)`);
    });
    const byText = await countByText(FIXTURES.rtfmFullZip);

    const mapping = await loadXesMapping(FIXTURES.rtfmMapping);
    const started = performance.now();
    let records = 0;
    let rejected = 0;
    let events = 0;
    const activities = new Map<string, number>();
    const violations = new Set<string>();
    const officers = new Set<string>();
    const eventIds = new Set<string>();
    for await (const record of readXesRecords(FIXTURES.rtfmFullZip, mapping)) {
      records += 1;
      activities.set(record.activity, (activities.get(record.activity) ?? 0) + 1);
      if (isRejected(record)) {
        rejected += 1;
        continue;
      }
      for (const event of record.events) {
        events += 1;
        violations.add(event.violationRef);
        eventIds.add(event.eventId);
        if (event.type === 'confirmed') officers.add(event.actor.id);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `RTFM full log: ${records} log events -> ${events} lifecycle events in ${seconds.toFixed(1)} s ` +
        `(${Math.round(records / seconds)} log events/s, ${(185.4 / seconds).toFixed(1)} MB of XML/s)`,
    );

    expect(byText.events).toBe(PUBLISHED.events);
    expect(byText.traces).toBe(PUBLISHED.traces);
    expect(records).toBe(byText.events);
    expect(rejected).toBe(0);
    expect(violations.size).toBe(byText.traces);
    expect([...activities].sort()).toEqual([...byText.activities].sort());
    expect(officers).toEqual(byText.createFineResources);
    expect(officers.size).toBe(147);
    expect(eventIds.size).toBe(events);
  }, 300_000);
});
